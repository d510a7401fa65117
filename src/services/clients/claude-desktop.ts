import { UserError } from '../errors.js';
import { connectorsCheck, connectorSteps } from './claude-desktop-guide.js';
import { clientDirs, exists, subdirs } from './paths.js';
import { summarizeEntry } from './shared.js';
import type { ClientAdapter, ConfigLocation } from './types.js';

const FILE = 'claude_desktop_config.json';
/** The Store package family of the MSIX build (default on Windows since ~Feb 2026). [CD-msix] */
const MSIX_PACKAGE = 'Claude_pzs8sxrjxfjjc';

/**
 * Claude Desktop. Its file takes stdio entries only: a `url`/`type:"http"` entry is skipped as
 * "not valid", and has crashed the app or got the file rewritten [CD-url] — so remote servers
 * are refused here (Settings → Connectors, or a stdio bridge via `bridgeEntry`). The app owns
 * other keys (`preferences`) in the same file; we only ever touch `mcpServers.<name>`.
 *
 * Windows: the MSIX build reads %LOCALAPPDATA%\Packages\Claude_*\LocalCache\Roaming\Claude and
 * silently ignores the legacy %APPDATA%\Claude file, so any Claude_* package found wins.
 * Linux has no official app; community builds use XDG/Claude.
 */
export const claudeDesktop: ClientAdapter = {
  id: 'claude-desktop',
  displayName: 'Claude Desktop',
  scopes: ['user'],
  defaultScope: 'user',
  locate(system) {
    const dirs = clientDirs(system);
    const dir =
      system.platform === 'win32'
        ? dirs.join(dirs.localAppData, 'Packages', MSIX_PACKAGE, 'LocalCache', 'Roaming', 'Claude')
        : dirs.join(dirs.appData, 'Claude');
    return { file: dirs.join(dir, FILE), format: 'json', jsonGrammar: 'strict', serversPath: ['mcpServers'] };
  },
  async candidates(system, scope) {
    const base = claudeDesktop.locate(system, scope);
    if (system.platform !== 'win32') return [base];
    const dirs = clientDirs(system);
    const packages = dirs.join(dirs.localAppData, 'Packages');
    const msix: ConfigLocation[] = (await subdirs(packages, (n) => n.startsWith('Claude_'))).map((pkg) => ({
      ...base,
      file: dirs.join(packages, pkg, 'LocalCache', 'Roaming', 'Claude', FILE),
      label: 'Microsoft Store (MSIX) app',
    }));
    const legacyDir = dirs.join(dirs.appData, 'Claude');
    const legacy: ConfigLocation = { ...base, file: dirs.join(legacyDir, FILE), label: msix.length > 0 ? 'legacy install (ignored by the Store app)' : 'classic install' };
    if (msix.length > 0) return (await exists(legacy.file)) ? [...msix, legacy] : msix;
    return (await exists(legacyDir)) ? [legacy] : [base];
  },
  detection(system) {
    const dirs = clientDirs(system);
    if (system.platform === 'darwin') return { paths: [dirs.join(dirs.appData, 'Claude'), '/Applications/Claude.app'], commands: [] };
    if (system.platform === 'win32') {
      return { paths: [dirs.join(dirs.localAppData, 'Packages', MSIX_PACKAGE), dirs.join(dirs.appData, 'Claude')], commands: [] };
    }
    return { paths: [dirs.join(dirs.appData, 'Claude')], commands: ['claude-desktop'] };
  },
  remoteEntry(spec) {
    const connectors = connectorsCheck(spec.url);
    const bridge = `Or connect through the local bridge (works for any URL): mcp-setup add --client claude-desktop --url ${spec.url} --via bridge`;
    throw new UserError({
      code: 'usage',
      message: "Claude Desktop's config file only takes local (stdio) servers; a URL there is ignored or can crash the app.",
      hint: connectors.ok
        ? 'Add it in the app as a connector, or let mcp-setup write a local bridge entry.'
        : `${connectors.message} Use the local bridge instead.`,
      nextSteps: connectors.ok
        ? [`In the app: ${connectorSteps(spec.url).slice(0, 3).join(' ')}`, bridge]
        : [`Connect through the local bridge: mcp-setup add --client claude-desktop --url ${spec.url} --via bridge`],
      exitCode: 2,
    });
  },
  supportsRemote: false,
  bridgeEntry: (command, args) => ({ command, args }),
  summarize: summarizeEntry,
  nextStep: 'Quit Claude Desktop completely (menu bar / tray → Quit) and start it again; then "mcp-setup doctor {name}" reads its log to confirm the server came up.',
  toolFilter: null,
  windowsApp: true,
};
