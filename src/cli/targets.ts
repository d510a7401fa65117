import { UsageError, UserError } from '../services/errors.js';
import { requireServerUrl } from '../services/url.js';
import { clientList } from './args.js';
import type { CommandContext } from './context.js';
import type { ClientId } from '../services/clients/types.js';

export interface ResolvedTarget {
  url: string;
  /** Set when the user named a configured server. */
  name?: string;
  /** The headers the first app listing it sends, as `--header` takes them (`${VAR}` references kept). */
  headers?: Record<string, string>;
}

/**
 * `verify|login|logout|doctor|proxy NAME|URL`: a URL is used as is; anything else is looked up
 * among the servers configured in the user's apps (the first with a URL wins; all must agree).
 */
export async function resolveTarget(ctx: CommandContext, command: string): Promise<ResolvedTarget> {
  const target = ctx.args.positionals[0];
  if (!target) throw new UsageError(`Which server? Pass its name or URL.`, `Example: mcp-setup ${command} https://api.example.com/mcp`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target) || target.includes('/') || target.includes('.')) {
    return { url: requireServerUrl(target) };
  }
  const { listServers } = await import('../services/manage.js');
  const clients = clientList(ctx.args.options) as ClientId[];
  const { servers } = await listServers(ctx.deps, clients.length ? { clients } : {});
  const matches = servers.filter((s) => s.name === target && s.url);
  const urls = [...new Set(matches.map((s) => s.url!))];
  if (urls.length === 0) {
    const local = servers.filter((s) => s.name === target && s.command);
    throw new UserError({
      code: 'not-found',
      message: local.length ? `"${target}" is a local (stdio) server, not a remote one.` : `No remote server named "${target}" is configured in your apps.`,
      hint: local.length ? undefined : 'Names are looked up in every detected app; pass the URL to use any server.',
      nextSteps: ['Run "mcp-setup list" to see what is configured.'],
    });
  }
  if (urls.length > 1) {
    throw new UserError({
      code: 'usage',
      message: `"${target}" points at different URLs in different apps: ${urls.join(', ')}.`,
      nextSteps: ['Pass the URL instead, or narrow it with --client.'],
      exitCode: 2,
    });
  }
  // What the app sends (an API key, "${VAR}" references), so `verify NAME` checks what the app
  // would; --header on the command line still wins.
  const { headerLines } = await import('../services/clients/entry-headers.js');
  const headers = headerLines(matches.find((s) => s.headers)?.headers);
  return { url: urls[0]!, name: target, ...(headers ? { headers } : {}) };
}
