import { signInCommand } from '../clients/sign-in-steps.js';
import type { ClientId } from '../clients/types.js';
import type { Check, ConfiguredEntry, ExtensionCheck } from './types.js';
import { check } from './util.js';

/** Runs a program (no shell) and hands back what it printed; injected by the front end. */
export type CommandRunner = (command: string, args: string[], options: { timeoutMs: number; signal: AbortSignal }) => Promise<{ code: number | null; stdout: string; stderr: string }>;

const STATUS = /Status:\s*(✔|✓|!|⚠|⏸|✘|✗)\s*(.*)/u;

type Which = (command: string) => Promise<string | null>;
type RunResult = { code: number | null; stdout: string; stderr: string };

interface AppAsk {
  /** The app whose entry this check is about. */
  client: ClientId;
  /** Its CLI and the arguments for one entry; the same arguments run once per doctor run (`--all`). */
  bin: string;
  args: (name: string) => string[];
  id: string;
  /** "Claude Code’s own check", for the skip messages. */
  label: string;
  capMs: number;
  judge: (entry: ConfiguredEntry, result: RunResult | undefined) => Check[];
}

/** The common start of every app's own check: its entry here, its CLI on PATH, one run per distinct command. */
function askApp(ask: AppAsk, run: CommandRunner, which: Which): ExtensionCheck {
  const runs = new Map<string, Promise<RunResult | undefined>>();
  return async (ctx): Promise<Check[]> => {
    const entry = ctx.target.entries?.find((e) => e.client === ask.client && e.scope !== 'wrong file');
    if (!entry) return [];
    const bin = await which(ask.bin);
    if (!bin) return [check(ask.id, 'client', 'skip', `${ask.label}: the ${ask.bin} command is not on PATH here.`)];
    const args = ask.args(entry.name);
    const key = args.join('\0');
    if (!runs.has(key)) runs.set(key, run(bin, args, { timeoutMs: Math.min(ask.capMs, Math.max(1_000, ctx.remainingMs())), signal: ctx.signal }).catch(() => undefined));
    return ask.judge(entry, await runs.get(key));
  };
}

/**
 * The client's own verdict, where it has a CLI that connects: `claude mcp get NAME` prints
 * "Status: ✔ Connected", "! Needs authentication" or "✘ Failed to connect". It catches what our
 * own checks can't see: Claude Code's config merge, project approval, its own token.
 */
export function claudeCodeVerdict(run: CommandRunner, which: Which): ExtensionCheck {
  return askApp(
    {
      client: 'claude-code',
      bin: 'claude',
      args: (name) => ['mcp', 'get', name],
      id: 'client.claude-verdict',
      label: 'Claude Code’s own check',
      capMs: 15_000,
      judge(entry, result) {
        const match = result && STATUS.exec(result.stdout);
        if (!match) return [check('client.claude-verdict', 'client', 'skip', `Claude Code’s own check gave no status (claude mcp get ${entry.name}).`)];
        const [, mark, words] = match;
        const said = `${mark} ${words!.trim()}`;
        if (mark === '✔' || mark === '✓') return [check('client.claude-verdict', 'client', 'pass', `Claude Code’s own check: ${said}.`)];
        if (mark === '⏸') {
          // "⏸ Pending approval (run `claude` to approve)": a project .mcp.json server, per person.
          return [
            check('client.claude-verdict', 'client', 'warn', `Claude Code’s own check: ${said}.`, {
              hint: 'Claude Code asks each person to approve the servers in a project’s .mcp.json before it uses them.',
              fix: { id: 'reload-client', label: 'Start claude in this folder and approve the server when it asks.' },
            }),
          ];
        }
        if (mark === '!' || mark === '⚠') {
          return [
            check('client.claude-verdict', 'client', 'warn', `Claude Code’s own check: ${said}.`, {
              hint: 'Claude Code signs in with its own client id; mcp-setup’s sign-in doesn’t carry over.',
              fix: { id: 'sign-in', label: 'Sign Claude Code in.', command: signInCommand('claude-code', entry.name)! },
            }),
          ];
        }
        return [
          check('client.claude-verdict', 'client', 'fail', `Claude Code’s own check: ${said}.`, {
            hint: 'Claude Code reads this entry differently from what was checked here (another scope’s entry, a pending project approval, or its own sign-in).',
            fix: { id: 'reload-client', label: 'See what Claude Code sees.', command: `claude mcp get ${entry.name}` },
          }),
        ];
      },
    },
    run,
    which,
  );
}

interface CodexListed {
  name?: unknown;
  enabled?: unknown;
  disabled_reason?: unknown;
  auth_status?: unknown;
  transport?: { bearer_token_env_var?: unknown };
}

/**
 * Codex's own view: `codex mcp list --json` loads the whole config.toml (one bad key and it
 * refuses everything) and says, per server, whether it is enabled and its sign-in state:
 * "o_auth" (signed in), "not_logged_in", "bearer_token", "unsupported" (Codex 0.169). It
 * doesn't connect, so this is about what Codex loads and whether it has its own token.
 */
export function codexVerdict(run: CommandRunner, which: Which): ExtensionCheck {
  return askApp(
    {
      client: 'codex',
      bin: 'codex',
      args: () => ['mcp', 'list', '--json'],
      id: 'client.codex-verdict',
      label: 'Codex’s own view',
      capMs: 15_000,
      judge(entry, result) {
        if (!result) return [check('client.codex-verdict', 'client', 'skip', 'Codex’s own view: codex mcp list did not answer.')];
        let listed: CodexListed[];
        try {
          listed = JSON.parse(result.stdout) as CodexListed[];
          if (!Array.isArray(listed)) throw new Error('not a list');
        } catch {
          const said = result.stderr.trim().split('\n').at(-1)?.slice(0, 200) ?? '';
          return [
            check('client.codex-verdict', 'client', 'fail', `Codex refuses its config file${said ? `: ${said}` : '.'}`, {
              hint: 'One invalid entry or key makes Codex refuse every server in config.toml.',
              fix: { id: 'fix-entry', label: 'See what Codex says.', command: 'codex mcp list' },
            }),
          ];
        }
        const mine = listed.find((s) => s.name === entry.name);
        if (!mine) {
          return [
            check('client.codex-verdict', 'client', 'warn', `Codex doesn’t load "${entry.name}" from ${entry.file}.`, {
              hint: entry.scope === 'project' ? 'Codex reads a project’s .codex/config.toml only once you trust the project.' : 'Codex reads another config (CODEX_HOME?) than this file.',
              fix: {
                id: 'reload-client',
                label:
                  entry.scope === 'project'
                    ? `Trust the project when Codex asks, or add [projects."${projectOf(entry.file)}"] with trust_level = "trusted" to ~/.codex/config.toml.`
                    : 'Check CODEX_HOME, then: codex mcp list',
              },
            }),
          ];
        }
        if (mine.enabled === false) {
          const why = typeof mine.disabled_reason === 'string' && mine.disabled_reason ? ` (${mine.disabled_reason})` : '';
          return [
            check('client.codex-verdict', 'client', 'warn', `Codex has "${entry.name}" switched off${why}.`, {
              fix: { id: 'fix-entry', label: `Set enabled = true under [mcp_servers.${entry.name}] in ${entry.file}.` },
            }),
          ];
        }
        switch (mine.auth_status) {
          case 'not_logged_in':
            return [
              check('client.codex-verdict', 'client', 'warn', `Codex loads "${entry.name}" but hasn’t signed in to it.`, {
                hint: 'Codex keeps its own tokens; mcp-setup’s sign-in doesn’t carry over.',
                fix: { id: 'sign-in', label: 'Sign Codex in.', command: signInCommand('codex', entry.name)! },
              }),
            ];
          case 'o_auth':
            return [check('client.codex-verdict', 'client', 'pass', `Codex loads "${entry.name}" and is signed in to it.`)];
          case 'bearer_token': {
            const variable = typeof mine.transport?.bearer_token_env_var === 'string' ? ` from $${mine.transport.bearer_token_env_var}` : '';
            return [check('client.codex-verdict', 'client', 'pass', `Codex loads "${entry.name}" and sends a bearer token${variable}.`)];
          }
          default:
            return [check('client.codex-verdict', 'client', 'pass', `Codex loads "${entry.name}" and has it switched on.`)];
        }
      },
    },
    run,
    which,
  );
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * Gemini CLI's own check: `gemini mcp list` connects to each server and prints
 * "✓ NAME: URL (http) - Connected", "✗ … - Disconnected" or "○ … - Disabled" (on stderr in 0.61).
 * In a folder the user hasn't trusted it disables every MCP server, user-level ones included,
 * and says so in a warning line: a server that works everywhere else is simply off there.
 */
export function geminiVerdict(run: CommandRunner, which: Which, cwd: string): ExtensionCheck {
  return askApp(
    {
      client: 'gemini-cli',
      bin: 'gemini',
      args: () => ['mcp', 'list'],
      id: 'client.gemini-verdict',
      label: 'Gemini CLI’s own check',
      capMs: 20_000,
      judge(entry, result) {
        const text = `${result?.stdout ?? ''}\n${result?.stderr ?? ''}`.replace(ANSI, '');
        const escaped = entry.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const status = new RegExp(`^\\s*\\S+\\s+${escaped}: .* - (\\w[\\w ]*)\\s*$`, 'm').exec(text)?.[1]?.trim();
        if (!status) return [check('client.gemini-verdict', 'client', 'skip', `Gemini CLI’s own check didn’t list "${entry.name}" (gemini mcp list).`)];
        if (status === 'Connected') return [check('client.gemini-verdict', 'client', 'pass', 'Gemini CLI’s own check: ✓ Connected.')];
        if (status === 'Disabled' && /folder is untrusted/i.test(text)) {
          return [
            check('client.gemini-verdict', 'client', 'warn', `Gemini CLI turns off every MCP server in this folder (${cwd}) because you haven’t trusted it.`, {
              hint: 'Gemini CLI’s folder trust: in an untrusted folder even servers from your user settings stay off.',
              fix: { id: 'reload-client', label: `Trust the folder when Gemini CLI asks, or add "${cwd}": "TRUST_FOLDER" to ~/.gemini/trustedFolders.json.` },
            }),
          ];
        }
        if (status === 'Disabled') {
          return [check('client.gemini-verdict', 'client', 'warn', `Gemini CLI has "${entry.name}" disabled.`, { fix: { id: 'reload-client', label: 'Enable it in Gemini CLI (/mcp).' } })];
        }
        return [
          check('client.gemini-verdict', 'client', 'warn', `Gemini CLI’s own check: ✗ ${status}.`, {
            hint: 'Gemini CLI reads this entry differently from what was checked here (another settings file’s entry, or its own sign-in for an OAuth server).',
            fix: { id: 'sign-in', label: `In Gemini CLI, run /mcp auth ${entry.name} for a server that signs in; see gemini mcp list.` },
          }),
        ];
      },
    },
    run,
    which,
  );
}

/**
 * opencode's own check: `opencode mcp list` connects to each server and prints, per server,
 * "✓ NAME connected", "⚠ NAME needs authentication", "✗ NAME failed" (the reason on the next
 * line) or "○ NAME disabled" (opencode 1.18).
 */
export function opencodeVerdict(run: CommandRunner, which: Which): ExtensionCheck {
  return askApp(
    {
      client: 'opencode',
      bin: 'opencode',
      args: () => ['mcp', 'list'],
      id: 'client.opencode-verdict',
      label: 'opencode’s own check',
      capMs: 20_000,
      judge(entry, result) {
        const lines = `${result?.stdout ?? ''}`.replace(ANSI, '').split('\n');
        const escaped = entry.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const at = lines.findIndex((l) => new RegExp(`^\\S*\\s+[✓⚠✗○]\\s+${escaped}\\s+\\S`).test(l));
        if (at < 0) return [check('client.opencode-verdict', 'client', 'skip', `opencode’s own check didn’t list "${entry.name}" (opencode mcp list).`)];
        const said = lines[at]!.replace(/^\S*\s+/, '').trim();
        const reason = lines[at + 1]?.replace(/^\S*\s+/, '').trim();
        if (said.startsWith('✓')) return [check('client.opencode-verdict', 'client', 'pass', `opencode’s own check: ${said}.`)];
        if (said.startsWith('⚠')) {
          return [
            check('client.opencode-verdict', 'client', 'warn', `opencode’s own check: ${said}.`, {
              hint: 'opencode keeps its own tokens; mcp-setup’s sign-in doesn’t carry over.',
              fix: { id: 'sign-in', label: 'Sign opencode in.', command: signInCommand('opencode', entry.name)! },
            }),
          ];
        }
        if (said.startsWith('○')) return [check('client.opencode-verdict', 'client', 'warn', `opencode’s own check: ${said}.`, { fix: { id: 'fix-entry', label: `Remove "enabled": false from "${entry.name}" in ${entry.file}.` } })];
        return [
          check('client.opencode-verdict', 'client', 'fail', `opencode’s own check: ${said}${reason && !/^https?:\/\//.test(reason) ? ` (${reason.slice(0, 200)})` : ''}.`, {
            hint: 'opencode reads this entry differently from what was checked here (another config file’s entry, or its own transport).',
            fix: { id: 'reload-client', label: 'See what opencode sees.', command: 'opencode mcp list' },
          }),
        ];
      },
    },
    run,
    which,
  );
}

/** A project's .codex/config.toml → the project folder Codex's trust list names. */
function projectOf(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts.slice(0, -2).join(file.includes('\\') && !file.includes('/') ? '\\' : '/');
}

