import { UsageError, UserError } from '../../services/errors.js';
import { verifyServer } from '../../services/mcp/verify.js';
import { normalizeServerUrl } from '../../services/url.js';
import { headerMap, timeoutMs } from '../args.js';
import type { CommandContext } from '../context.js';
import { verifyJson, verifyLines } from './verify-format.js';

export async function runVerify(ctx: CommandContext): Promise<number> {
  const target = ctx.args.positionals[0];
  if (!target) throw new UsageError('Which server? Pass its URL.', 'Example: mcp-setup verify https://api.example.com/mcp');
  const url = normalizeServerUrl(target);
  if (!url.ok) throw new UserError({ code: 'invalid-url', message: url.message, ...(url.hint ? { hint: url.hint } : {}) });
  const headers = headerMap(ctx.args.options);
  if (!ctx.output.json) ctx.output.info(ctx.output.style.dim(`Connecting to ${url.url} …`));
  const result = await verifyServer({
    url: url.url,
    ...(headers ? { headers } : {}),
    fetch: ctx.deps.fetch,
    now: () => performance.now(),
    signal: ctx.signal,
    timeoutMs: timeoutMs(ctx.args.options),
  });
  if (ctx.output.json) ctx.output.data(verifyJson(result));
  else for (const line of verifyLines(result, ctx.output.style)) ctx.output.out(line);
  return 0;
}
