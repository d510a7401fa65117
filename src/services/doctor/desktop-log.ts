import { promises as fs } from 'node:fs';
import type { SystemInfo } from '../deps.js';
import { baseDirs } from '../platform-paths.js';
import { redactText } from './bundle.js';
import type { Check, ExtensionCheck } from './types.js';
import { check } from './util.js';

/**
 * Where Claude Desktop writes one log per MCP server (`mcp-server-NAME.log`): macOS
 * ~/Library/Logs/Claude; Windows %LOCALAPPDATA%\Claude\Logs on current builds, %APPDATA%\Claude\logs
 * on older ones and the MSIX package's roaming folder; Linux community builds under XDG.
 */
export function desktopLogDirs(system: SystemInfo): string[] {
  const dirs = baseDirs(system);
  if (system.platform === 'darwin') return [dirs.join(system.home, 'Library', 'Logs', 'Claude')];
  if (system.platform === 'win32') {
    return [dirs.join(dirs.localAppData, 'Claude', 'Logs'), dirs.join(dirs.appData, 'Claude', 'logs'), dirs.join(dirs.localAppData, 'Packages', 'Claude_pzs8sxrjxfjjc', 'LocalCache', 'Roaming', 'Claude', 'logs')];
  }
  return [dirs.join(dirs.xdgConfig, 'Claude', 'logs')];
}

const LINE = /^(\S+)\s+\[[^\]]*\]\s+\[(info|warn|error)\]\s+(.*)$/;
const STARTED = /Server started and connected successfully|Connected to MCP server/i;
const BROKE = /\[error\]|closed unexpectedly|disconnected/i;

/** The newest log of this server, and what its last start-up said. */
async function lastStart(system: SystemInfo, name: string): Promise<{ file: string; ok: boolean; when?: string; problem?: string } | undefined> {
  let newest: { file: string; mtime: number } | undefined;
  for (const dir of desktopLogDirs(system)) {
    const file = baseDirs(system).join(dir, `mcp-server-${name}.log`);
    const stat = await fs.stat(file).catch(() => undefined);
    if (stat && (!newest || stat.mtimeMs > newest.mtime)) newest = { file, mtime: stat.mtimeMs };
  }
  if (!newest) return undefined;
  const handle = await fs.open(newest.file, 'r');
  try {
    // The end of the log is enough: the last start-up and what followed it.
    const size = (await handle.stat()).size;
    const length = Math.min(size, 64 * 1024);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    const lines = buffer.toString('utf8').split(/\r?\n/);
    let lastStarted = -1;
    for (let i = lines.length - 1; i >= 0 && lastStarted < 0; i--) if (STARTED.test(lines[i]!)) lastStarted = i;
    const after = lines.slice(lastStarted + 1).find((l) => BROKE.test(l));
    if (lastStarted >= 0 && !after) return { file: newest.file, ok: true, when: LINE.exec(lines[lastStarted]!)?.[1] ?? '' };
    const problem = (after ?? [...lines].reverse().find((l) => BROKE.test(l)) ?? '').replace(LINE, '$3');
    return { file: newest.file, ok: false, problem: redactText(problem).slice(0, 200) };
  } finally {
    await handle.close();
  }
}

/**
 * Claude Desktop has no CLI to ask, but it logs every start of a local server: after the user
 * fully quit and reopened it, this says whether the bridge (or any entry) really came up.
 */
export function claudeDesktopLogVerdict(system: SystemInfo): ExtensionCheck {
  return async (ctx): Promise<Check[]> => {
    const entry = ctx.target.entries?.find((e) => e.client === 'claude-desktop' && e.scope !== 'wrong file');
    if (!entry) return [];
    const seen = await lastStart(system, entry.name).catch(() => undefined);
    if (!seen) {
      return [
        check('client.desktop-log', 'client', 'warn', `Claude Desktop hasn't started "${entry.name}" yet (no log for it).`, {
          hint: 'Claude Desktop reads its config only at start-up, and closing the window leaves it running.',
          fix: { id: 'reload-client', label: 'Quit Claude Desktop fully (menu bar or tray → Quit), open it again, then run this check again.' },
        }),
      ];
    }
    if (seen.ok) return [check('client.desktop-log', 'client', 'pass', `Claude Desktop started "${entry.name}" and connected${seen.when ? ` (${seen.when})` : ''}.`)];
    return [
      check('client.desktop-log', 'client', 'fail', `Claude Desktop could not keep "${entry.name}" running: ${seen.problem || 'see its log'}.`, {
        hint: `Its log: ${seen.file}`,
        fix: { id: 'reload-client', label: 'Check the log; if the bridge needs sign-in, run mcp-setup login first, then restart Claude Desktop.', command: `mcp-setup login ${entry.name}` },
      }),
    ];
  };
}
