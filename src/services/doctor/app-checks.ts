import type { ClientId } from '../clients/types.js';
import type { AppliedChange } from '../setup.js';
import { claudeCodeVerdict, codexVerdict, type CommandRunner } from './client-verdict.js';
import type { Check, CheckContext, ConfiguredEntry, DoctorDeps } from './types.js';

/** A change just written, as applyPlan reports it. */
export type WrittenEntry = Pick<AppliedChange, 'client' | 'clientName' | 'scope' | 'file' | 'name'>;

/** The apps with a quick verdict of their own (see below). */
export function hasQuickCheck(client: ClientId): boolean {
  return client === 'claude-code' || client === 'codex';
}

/**
 * What the apps themselves make of a server just written (`add`, the wizard's last screen): the
 * quick ones only. `claude mcp get` connects to this one server; `codex mcp list` loads its
 * config without connecting. Gemini CLI and opencode connect to every server they list, so they
 * are left to `mcp-setup doctor`. An app whose CLI isn't installed says nothing.
 */
export async function askAppsAbout(written: WrittenEntry[], url: string, deps: DoctorDeps & { which(command: string): Promise<string | null> }, run: CommandRunner, signal: AbortSignal, budgetMs = 15_000): Promise<Check[]> {
  const mine = written.filter((w) => hasQuickCheck(w.client));
  if (mine.length === 0) return [];
  const deadline = Date.now() + budgetMs;
  const entries: ConfiguredEntry[] = mine.map((w) => ({ client: w.client, clientName: w.clientName, scope: w.scope, file: w.file, name: w.name, url }));
  const ctx: CheckContext = {
    target: { url, name: mine[0]!.name, entries },
    deps,
    signal: AbortSignal.any([signal, AbortSignal.timeout(budgetMs)]),
    facts: {},
    remainingMs: () => Math.max(0, deadline - Date.now()),
  };
  const results = await Promise.all([claudeCodeVerdict(run, deps.which), codexVerdict(run, deps.which)].map((ask) => Promise.resolve(ask(ctx)).catch((): Check[] => [])));
  return results.flat().filter((c) => c.status !== 'skip');
}
