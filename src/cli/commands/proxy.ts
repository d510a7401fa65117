import { ExitCode, UserError, exitCodeOf } from '../../services/errors.js';
import { headerMap } from '../args.js';
import { expandHeaderReferences } from '../../services/headers.js';
import type { CommandContext } from '../context.js';
import { resolveTarget } from '../targets.js';
import { storedAuthProvider } from '../../services/auth/stored-provider.js';

/**
 * `mcp-setup proxy NAME|URL [--name N] [--header "K: V"]…`: the stdio bridge an app launches.
 * stdout belongs to the protocol from the first byte to the last, so this command never mounts
 * Ink, never uses `ctx.output` (which prints --json errors on stdout) and reports everything,
 * failures included, as single lines on stderr.
 *
 * Header values may reference environment variables as `${VAR}` (the form the written entries
 * use, with the secret in the entry's `env`, so no secret sits in the process arguments).
 */
export async function runProxy(ctx: CommandContext): Promise<number> {
  const log = (line: string) => void ctx.stderr.write(`mcp-setup proxy: ${line}\n`);
  try {
    const target = await resolveTarget(ctx, 'proxy');
    const name = ctx.args.options.name ?? target.name;
    const given = headerMap(ctx.args.options) ?? target.headers;
    const headers = expandHeaderReferences(given, ctx.deps.system.env, 'Set it in the app\'s "env" for this server.');
    const hasAuthorization = Object.keys(headers ?? {}).some((h) => h.toLowerCase() === 'authorization');
    const authProvider = hasAuthorization ? undefined : await storedAuthProvider(target.url, ctx.deps, name ? { name } : {});
    const { runBridge } = await import('../../services/mcp/bridge.js');
    await runBridge({
      url: target.url,
      ...(name ? { name } : {}),
      ...(headers ? { headers } : {}),
      ...(authProvider ? { authProvider } : {}),
      deps: ctx.deps,
      input: ctx.stdin,
      output: ctx.stdout,
      log,
      signal: ctx.signal,
    });
    return ExitCode.ok;
  } catch (error) {
    log(oneLine(error));
    return exitCodeOf(error);
  }
}

/** `${VAR}` in header values, from the bridge's own environment; an unset variable is an error, not an empty header. */

function oneLine(error: unknown): string {
  if (error instanceof UserError) return [error.message, error.hint, ...error.nextSteps].filter(Boolean).join(' ');
  return `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
}
