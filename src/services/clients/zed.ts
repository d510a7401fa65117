import { clientDirs } from './paths.js';
import { headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Zed: `context_servers` in settings.json (JSONC, the user's whole editor config, live-reloaded).
 * macOS reads ~/.config/zed too — not ~/Library/Application Support (add-mcp gets this wrong);
 * Linux honours FLATPAK_XDG_CONFIG_HOME, then XDG_CONFIG_HOME; Windows uses %APPDATA%\Zed.
 * The entry is `{url, headers?}`; Zed picks the transport. [ZED-src]
 */
export const zed: ClientAdapter = {
  id: 'zed',
  displayName: 'Zed',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = clientDirs(system);
    if (scope === 'project') return { file: dirs.join(system.cwd, '.zed', 'settings.json'), format: 'jsonc', serversPath: ['context_servers'] };
    const dir =
      system.platform === 'win32'
        ? dirs.join(dirs.appData, 'Zed')
        : system.platform === 'darwin'
          ? dirs.join(system.home, '.config', 'zed')
          : dirs.join(system.env.FLATPAK_XDG_CONFIG_HOME || dirs.xdgConfig, 'zed');
    return { file: dirs.join(dir, 'settings.json'), format: 'jsonc', serversPath: ['context_servers'] };
  },
  detection(system) {
    const file = zed.locate(system, 'user').file;
    return { paths: [clientDirs(system).join(file, '..')], commands: ['zed', 'zeditor'] };
  },
  remoteEntry(spec) {
    return { url: spec.url, ...headersField(spec, zed) };
  },
  summarize: summarizeEntry,
  nextStep: 'Zed reloads its settings by itself; check the Agent Panel → Settings shows the server as on.',
  toolFilter: null,
  windowsApp: true,
};
