import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { AuthDeps } from '../../services/auth/types.js';
import type { Env } from '../../services/deps.js';
import type { CommandContext } from '../context.js';

/** Each app's own override of where it keeps its files: none may point out of the sandbox. */
const CLIENT_PATH_OVERRIDES = ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME', 'COPILOT_HOME', 'GOOSE_PATH_ROOT', 'OPENCODE_CONFIG', 'OPENCODE_CONFIG_DIR', 'OPENCODE_CONFIG_CONTENT', 'CLINE_DIR', 'APPDATA', 'LOCALAPPDATA'];

/** Deps whose HOME, project and state all live under `root`, so the demo writes no real config. */
export function sandboxDeps(deps: AuthDeps, root: string): AuthDeps {
  const home = path.join(root, 'home');
  const env: Record<string, string | undefined> = { ...deps.system.env, HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: path.join(home, '.config') };
  for (const name of CLIENT_PATH_OVERRIDES) delete env[name];
  return { ...deps, system: { ...deps.system, home, cwd: path.join(root, 'project'), env: env as Env, isWsl: false }, stateDir: path.join(root, 'state') };
}

/**
 * `mcp-setup demo`: a local OAuth-protected MCP server on 127.0.0.1 (consent page included), so
 * a newcomer can walk the whole flow without an account. On a terminal the wizard runs against
 * it with a sandbox HOME; without one it just serves and prints its URL until stopped.
 */
export async function runDemo(ctx: CommandContext): Promise<number> {
  const { startDemoServer } = await import('../../services/demo/index.js');
  const demo = await startDemoServer({ signal: ctx.signal });
  const { style } = ctx.output;
  try {
    if (ctx.mode !== 'interactive') {
      if (ctx.output.json) ctx.output.data({ url: demo.url, issuer: demo.issuer });
      else ctx.output.out(demo.url);
      ctx.output.info(style.dim('Demo MCP server (sign-in required) running on this machine. Ctrl+C to stop.'));
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) return resolve();
        ctx.signal.addEventListener('abort', () => resolve(), { once: true });
        ctx.stdin.once('end', () => resolve());
        ctx.stdin.resume();
      });
      return 0;
    }
    const root = path.join(ctx.deps.stateDir, 'demo-sandbox');
    const sandbox = sandboxDeps(ctx.deps, root);
    await Promise.all([mkdir(sandbox.system.home, { recursive: true }), mkdir(sandbox.system.cwd, { recursive: true })]);
    ctx.output.info(style.dim(`Demo server: ${demo.url} · config files go to a sandbox (${root}), not your real apps.`));
    const { runWizardWith } = await import('./wizard.js');
    const code = await runWizardWith(ctx, sandbox, { url: demo.url, name: 'demo' });
    ctx.output.out(style.dim(`That was a demo: the files above are in ${root}. For a real server, run mcp-setup.`));
    return code;
  } finally {
    await demo.close();
  }
}
