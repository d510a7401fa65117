import type { Check, ExtensionCheck } from './types.js';
import { check } from './util.js';

/** Runs a program (no shell) and hands back what it printed; injected by the front end. */
export type CommandRunner = (command: string, args: string[], options: { timeoutMs: number; signal: AbortSignal }) => Promise<{ code: number | null; stdout: string; stderr: string }>;

const STATUS = /Status:\s*(✔|✓|!|⚠|✘|✗)\s*(.*)/u;

/**
 * The client's own verdict, where it has a CLI that connects: `claude mcp get NAME` prints
 * "Status: ✔ Connected", "! Needs authentication" or "✘ Failed to connect". It catches what our
 * own checks can't see: Claude Code's config merge, project approval, its own token.
 */
export function claudeCodeVerdict(run: CommandRunner, which: (command: string) => Promise<string | null>): ExtensionCheck {
  return async (ctx): Promise<Check[]> => {
    const entry = ctx.target.entries?.find((e) => e.client === 'claude-code' && e.scope !== 'wrong file');
    if (!entry) return [];
    const claude = await which('claude');
    if (!claude) return [check('client.claude-verdict', 'client', 'skip', 'Claude Code’s own check: the claude command is not on PATH here.')];
    const result = await run(claude, ['mcp', 'get', entry.name], { timeoutMs: Math.min(15_000, Math.max(1_000, ctx.remainingMs())), signal: ctx.signal }).catch(() => undefined);
    const match = result && STATUS.exec(result.stdout);
    if (!match) {
      return [check('client.claude-verdict', 'client', 'skip', `Claude Code’s own check gave no status (claude mcp get ${entry.name}).`)];
    }
    const [, mark, words] = match;
    const said = `${mark} ${words!.trim()}`;
    if (mark === '✔' || mark === '✓') return [check('client.claude-verdict', 'client', 'pass', `Claude Code’s own check: ${said}.`)];
    if (mark === '!' || mark === '⚠') {
      return [
        check('client.claude-verdict', 'client', 'warn', `Claude Code’s own check: ${said}.`, {
          hint: 'Claude Code signs in with its own client id; mcp-setup’s sign-in doesn’t carry over.',
          fix: { id: 'sign-in', label: 'Sign Claude Code in.', command: `claude mcp login ${entry.name}` },
        }),
      ];
    }
    return [
      check('client.claude-verdict', 'client', 'fail', `Claude Code’s own check: ${said}.`, {
        hint: 'Claude Code reads this entry differently from what was checked here (another scope’s entry, a pending project approval, or its own sign-in).',
        fix: { id: 'reload-client', label: 'See what Claude Code sees.', command: `claude mcp get ${entry.name}` },
      }),
    ];
  };
}
