import type { Deps, SystemInfo } from '../deps.js';
import { UsageError } from '../errors.js';
import { antigravity } from './antigravity.js';
import { claudeCode } from './claude-code.js';
import { claudeDesktop } from './claude-desktop.js';
import { cline } from './cline.js';
import { codex } from './codex.js';
import { continueDev } from './continue.js';
import { copilotCli } from './copilot-cli.js';
import { cursor } from './cursor.js';
import { geminiCli } from './gemini-cli.js';
import { goose } from './goose.js';
import { kiro } from './kiro.js';
import { lmStudio } from './lm-studio.js';
import { opencode } from './opencode.js';
import { exists, windowsHomeFromWsl, windowsView } from './paths.js';
import { rooCode } from './roo-code.js';
import type { ClientAdapter, ClientId, ConfigLocation, Detection, Scope } from './types.js';
import { vscode, vscodeInsiders } from './vscode.js';
import { windsurf } from './windsurf.js';
import { zed } from './zed.js';

/** Every adapter, in the order the wizard lists them when none is installed. */
export const ADAPTERS: readonly ClientAdapter[] = [
  claudeCode,
  cursor,
  vscode,
  claudeDesktop,
  codex,
  geminiCli,
  windsurf,
  vscodeInsiders,
  zed,
  cline,
  rooCode,
  goose,
  opencode,
  copilotCli,
  kiro,
  lmStudio,
  continueDev,
  antigravity,
];

function supportedClientIds(): ClientId[] {
  return ADAPTERS.map((a) => a.id);
}

export function getAdapter(id: string): ClientAdapter {
  const adapter = ADAPTERS.find((a) => a.id === id);
  if (!adapter) {
    throw new UsageError(`Unknown app "${id}".`, `Use one of: ${supportedClientIds().join(', ')}.`);
  }
  return adapter;
}

/** Under WSL, the SystemInfo for the Windows user's side (null elsewhere or when it can't be found). */
async function windowsSide(system: SystemInfo): Promise<SystemInfo | null> {
  if (!system.isWsl) return null;
  const home = await windowsHomeFromWsl(system);
  return home ? windowsView(system, home) : null;
}

/**
 * Every file `adapter` may read for `scope`, best first; the first is where a new server goes.
 * Under WSL a Windows app's Windows-side files come first (that is where the app runs), then the
 * Linux side's.
 */
export async function locationsFor(adapter: ClientAdapter, system: SystemInfo, scope: Scope): Promise<ConfigLocation[]> {
  const own = adapter.candidates ? await adapter.candidates(system, scope) : [adapter.locate(system, scope)];
  const win = scope === 'user' && adapter.windowsApp ? await windowsSide(system) : null;
  const fromWindows = win ? (adapter.candidates ? await adapter.candidates(win, scope) : [adapter.locate(win, scope)]) : [];
  const all = [...fromWindows.map((l) => ({ ...l, label: l.label ? `Windows, ${l.label}` : 'Windows' })), ...own];
  const seen = new Set<string>();
  return all.filter((l) => {
    const key = `${l.file}\0${l.serversPath.join('\0')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where a new server goes for this client and scope. */
export async function primaryLocation(adapter: ClientAdapter, system: SystemInfo, scope: Scope): Promise<ConfigLocation> {
  return (await locationsFor(adapter, system, scope))[0] ?? adapter.locate(system, scope);
}

export async function detectClient(adapter: ClientAdapter, deps: Deps): Promise<Detection> {
  const win = adapter.windowsApp ? await windowsSide(deps.system) : null;
  const hints = [adapter.detection(deps.system), ...(win ? [adapter.detection(win)] : [])];
  for (const file of hints.flatMap((h) => h.paths)) {
    if (await exists(file)) return { installed: true, evidence: file };
  }
  for (const command of adapter.detection(deps.system).commands) {
    const found = await deps.which(command);
    if (found) return { installed: true, evidence: `${command} on PATH` };
  }
  return { installed: false, evidence: null };
}

export interface DetectedClient {
  adapter: ClientAdapter;
  detection: Detection;
}

/** All adapters with their detection, installed ones first (stable order otherwise). */
export async function detectClients(deps: Deps): Promise<DetectedClient[]> {
  const all = await Promise.all(ADAPTERS.map(async (adapter) => ({ adapter, detection: await detectClient(adapter, deps) })));
  return [...all.filter((c) => c.detection.installed), ...all.filter((c) => !c.detection.installed)];
}
