import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { classifyConnectError } from '../mcp/classify.js';
import { SKIP_OUTPUT_VALIDATION, recordingFetch } from '../mcp/recording-fetch.js';
import { VERSION } from '../../version.js';
import { requestHeaders } from './http.js';
import type { Step } from './step.js';
import type { Check, ServerFacts } from './types.js';
import { check, label, plural, seconds, stepSignal, throwIfCancelled } from './util.js';

const STEP_CAP_MS = 15_000;
const MAX_PAGES = 100;
/** Spec-era protocol versions; anything older predates Streamable HTTP. */
const STREAMABLE_ERA = '2025-03-26';
/** What servers expose while the session is not authorised (anthropics/claude-code #55055). */
const BOOTSTRAP_TOOLS = /^(authenticate|complete_authentication|auth|login|sign_?in)$/i;
/** Claude's and OpenAI's tool-name rule; clients add a server prefix on top (mcp__server__tool). */
const PORTABLE_TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function mcpSteps(): Step[] {
  const initialize: Step = {
    id: 'mcp.initialize',
    layer: 'mcp',
    async run(ctx) {
      const { headers } = await requestHeaders(ctx);
      const { signal, ms } = stepSignal(ctx, STEP_CAP_MS);
      // Capped bodies: a hostile or broken server can't fill memory through the doctor either.
      const recorder = recordingFetch(ctx.deps.fetch);
      const sse = ctx.facts.http?.legacySse || ctx.target.transport === 'sse';
      const url = new URL(ctx.target.url);
      const options = { fetch: recorder.fetch, requestInit: { headers } };
      const transport: Transport = sse ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options);
      const client = new Client({ name: 'mcp-setup-doctor', version: VERSION }, { capabilities: {}, jsonSchemaValidator: SKIP_OUTPUT_VALIDATION });
      const onAbort = () => void client.close().catch(() => {});
      signal.addEventListener('abort', onAbort, { once: true });
      const checks: Check[] = [];
      try {
        try {
          await client.connect(transport, { signal, timeout: ms });
        } catch (error) {
          throwIfCancelled(ctx);
          const timedOut = signal.aborted;
          const classified = classifyConnectError(error, ctx.target.url, recorder.last(), timedOut);
          return [
            check('mcp.initialize', 'mcp', 'fail', timedOut ? `The MCP initialize got no answer within ${seconds(ms)}.` : `The MCP handshake failed: ${classified.message}`, {
              ...(classified.hint ? { hint: classified.hint } : {}),
              fix: classified.code === 'needs-auth'
                ? { id: 'sign-in', label: 'Sign in.', command: `mcp-setup login ${label(ctx)}` }
                : { id: 'retry-later', label: classified.nextSteps[0] ?? 'Try again; if it persists, send the support bundle to the server operator.' },
            }),
          ];
        }
        const info = client.getServerVersion();
        const capabilities = Object.keys(client.getServerCapabilities() ?? {}).sort();
        const protocolVersion = (transport as { protocolVersion?: string }).protocolVersion ?? (sse ? '2024-11-05' : 'unknown');
        const server: ServerFacts = {
          name: info?.name ?? 'unknown',
          version: info?.version ?? 'unknown',
          protocolVersion,
          transport: sse ? 'sse' : 'streamable-http',
          capabilities,
          tools: [],
          pages: 0,
        };
        ctx.facts.server = server;
        const summary = `${server.name} ${server.version}, protocol ${protocolVersion}, ${sse ? 'legacy SSE' : 'Streamable HTTP'}; offers ${capabilities.length ? capabilities.join(', ') : 'no capabilities'}.`;
        if (sse || (protocolVersion !== 'unknown' && protocolVersion < STREAMABLE_ERA)) {
          checks.push(
            check('mcp.initialize', 'mcp', 'warn', summary, {
              hint: 'This server uses the older SSE transport; apps must be configured with type "sse", and some only speak Streamable HTTP.',
              fix: { id: 'use-sse', label: 'Keep the SSE transport in the app config, or ask the operator for a Streamable HTTP (/mcp) endpoint.' },
            }),
          );
        } else {
          checks.push(check('mcp.initialize', 'mcp', 'pass', summary));
        }

        try {
          let cursor: string | undefined;
          for (let page = 0; page < MAX_PAGES; page++) {
            const result = await client.listTools(cursor ? { cursor } : {}, { signal, timeout: Math.max(1, ctx.remainingMs()) });
            server.pages++;
            for (const tool of result.tools) server.tools.push(tool.name);
            cursor = result.nextCursor;
            if (!cursor) break;
          }
        } catch (error) {
          throwIfCancelled(ctx);
          const classified = classifyConnectError(error, ctx.target.url, recorder.last(), signal.aborted);
          checks.push(
            check('mcp.tools', 'mcp', 'fail', `Listing tools failed after ${plural(server.pages, 'page')}: ${classified.message}`, {
              hint: capabilities.includes('tools') ? (classified.hint ?? 'The server broke off while listing its tools.') : 'The server does not advertise tools at all.',
              fix: { id: 'retry-later', label: 'Try again; if it persists, send the support bundle to the server operator.' },
            }),
          );
        }
        return checks;
      } finally {
        signal.removeEventListener('abort', onAbort);
        await client.close().catch(() => {});
      }
    },
  };

  const toolsStep: Step = {
    id: 'mcp.tools',
    layer: 'mcp',
    async run(ctx) {
      // Runs only when initialize and listing passed (the runner stops at the first failure).
      const server = ctx.facts.server;
      if (!server) return [];
      const { tools } = server;
      const pages = server.pages > 1 ? ` over ${server.pages} pages` : '';
      if (tools.length === 0) {
        const others = server.capabilities.filter((c) => c === 'resources' || c === 'prompts');
        if (!server.capabilities.includes('tools') && others.length) {
          return [check('mcp.tools', 'mcp', 'warn', `The server offers no tools, only ${others.join(' and ')}.`, { hint: 'That can be by design; apps that only use tools will show nothing.' })];
        }
        const signedIn = Boolean(ctx.facts.http?.sentToken || ctx.target.headers);
        return [
          check('mcp.tools', 'mcp', 'fail', 'The server answers but lists no tools.', {
            hint: signedIn
              ? 'Likely causes: the URL or token points at the wrong workspace, organisation or project; the sign-in lacks the scopes that unlock tools; or tools are disabled for this server in its gateway.'
              : 'Likely causes: the server shows tools only after sign-in or with an API key; the URL points at the wrong workspace or organisation; or tools are disabled in its gateway.',
            fix: signedIn
              ? { id: 'sign-in', label: 'Sign in again with the right account and approve all requested permissions; check the workspace in the URL.', command: `mcp-setup login ${label(ctx)}` }
              : { id: 'fix-url', label: 'Check the URL names the right workspace, and whether the server needs a key or sign-in to show tools.' },
          }),
        ];
      }
      if (tools.every((t) => BOOTSTRAP_TOOLS.test(t))) {
        return [
          check('mcp.tools', 'mcp', 'fail', `The server lists only its sign-in tool${tools.length === 1 ? '' : 's'} (${tools.join(', ')}).`, {
            hint: 'The session is not authorised: the token expired or was never granted, so only the bootstrap tools remain.',
            fix: { id: 'sign-in', label: 'Sign in again (in the app too: its token is separate).', command: `mcp-setup login ${label(ctx)}` },
          }),
        ];
      }
      const shown = tools.slice(0, 8).join(', ') + (tools.length > 8 ? ', …' : '');
      return [check('mcp.tools', 'mcp', 'pass', `${plural(tools.length, 'tool')}${pages}: ${shown}.`)];
    },
  };

  const namesStep: Step = {
    id: 'mcp.tool-names',
    layer: 'mcp',
    async run(ctx) {
      const tools = ctx.facts.server?.tools ?? [];
      if (tools.length === 0) return [];
      const seen = new Set<string>();
      const duplicates = new Set<string>();
      for (const tool of tools) (seen.has(tool) ? duplicates : seen).add(tool);
      if (duplicates.size) {
        return [
          check('mcp.tool-names', 'mcp', 'warn', `The server lists the same tool name more than once: ${[...duplicates].join(', ')}.`, {
            hint: 'Apps keep one of them (which one varies) or refuse the server.',
            fix: { id: 'contact-operator', label: 'Report the duplicate tool names to the server operator.' },
          }),
        ];
      }
      const odd = tools.filter((t) => !PORTABLE_TOOL_NAME.test(t));
      if (odd.length) {
        return [
          check('mcp.tool-names', 'mcp', 'warn', `${plural(odd.length, 'tool name')} may be rejected by some apps: ${odd.slice(0, 5).join(', ')}.`, {
            hint: 'Claude and OpenAI models accept tool names of letters, digits, _ and - up to 64 characters (apps add the server name on top).',
            fix: { id: 'contact-operator', label: 'Ask the operator for shorter, simpler tool names, or give the server a short name.' },
          }),
        ];
      }
      return [check('mcp.tool-names', 'mcp', 'pass', 'Tool names are unique and portable.')];
    },
  };

  return [initialize, toolsStep, namesStep];
}

/** Cross-server check for `--all`: tools with the same name in several servers of one app. */
export function collisionCheck(toolOwners: Map<string, string[]>, self: string): Check | undefined {
  const clashes: string[] = [];
  for (const [tool, owners] of toolOwners) {
    if (owners.length > 1 && owners.includes(self)) clashes.push(`${tool} (also in ${owners.filter((o) => o !== self).join(', ')})`);
  }
  if (!clashes.length) return undefined;
  return check('mcp.collisions', 'mcp', 'warn', `Tool names shared with other servers in the same app: ${clashes.slice(0, 5).join('; ')}${clashes.length > 5 ? '; …' : ''}.`, {
    hint: 'Apps that do not prefix tool names with the server name may call the wrong server, and models confuse look-alike tools.',
    fix: { id: 'fix-entry', label: 'Disable the duplicate tools in one server, or keep only one of the servers in this app.' },
  });
}
