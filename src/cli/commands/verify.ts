import { checkServer } from '../../services/mcp/check.js';
import { expandHeaderReferences } from '../../services/headers.js';
import { resolveTarget } from '../targets.js';
import { headerMap, timeoutMs } from '../args.js';
import type { CommandContext } from '../context.js';
import { verifyJson, verifyLines } from './verify-format.js';

export async function runVerify(ctx: CommandContext): Promise<number> {
  const url = await resolveTarget(ctx, 'verify');
  const headers = expandHeaderReferences(headerMap(ctx.args.options) ?? url.headers, ctx.deps.system.env);
  if (!ctx.output.json) ctx.output.info(ctx.output.style.dim(`Connecting to ${url.url} …`));
  const result = await checkServer(ctx.deps, {
    url: url.url,
    ...(headers ? { headers } : {}),
    ...(url.name ? { name: url.name } : {}),
    signal: ctx.signal,
    timeoutMs: timeoutMs(ctx.args.options),
  });
  if (ctx.output.json) ctx.output.data(verifyJson(result));
  else for (const line of verifyLines(result, ctx.output.style)) ctx.output.out(line);
  return 0;
}
