import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { KeyPair } from './certs.js';

export interface ToyServer {
  url: string;
  port: number;
  /** Requests seen, as "METHOD path". */
  requests: string[];
  stop(): Promise<void>;
}

export interface ToyOptions {
  /** Tool names; [] gives a server that advertises tools but lists none (all disabled). */
  tools?: string[];
  /** tools/list page size: the list is paginated with nextCursor. */
  pageSize?: number;
  /** Delay before answering every request. */
  delayMs?: number;
  /** Serve https with this certificate. */
  tls?: KeyPair;
  /** Host in the returned URL (e.g. "mcp.test" with an injected resolver). */
  host?: string;
  path?: string;
  /** Speak only the legacy SSE transport (GET /sse + POST /messages), like pre-2025-03 servers. */
  legacySse?: boolean;
}

function buildServer(options: ToyOptions) {
  const tools = options.tools ?? ['echo'];
  if (options.pageSize) {
    const server = new Server({ name: 'toy-paged', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async (request) => {
      const start = Number(request.params?.cursor ?? 0);
      const page = tools.slice(start, start + options.pageSize!);
      const next = start + options.pageSize!;
      return {
        tools: page.map((name) => ({ name, description: `The ${name} tool`, inputSchema: { type: 'object' as const } })),
        ...(next < tools.length ? { nextCursor: String(next) } : {}),
      };
    });
    return server;
  }
  const server = new McpServer({ name: 'toy', version: '1.0.0' });
  if (tools.length === 0) {
    // A gateway with every tool switched off: the capability stays, the list is empty.
    server.registerTool('disabled', { description: 'off' }, async () => ({ content: [] })).disable();
  }
  for (const name of tools) {
    server.registerTool(name, { description: `The ${name} tool` }, async () => ({ content: [{ type: 'text', text: name }] }));
  }
  return server;
}

/** A small real MCP server (the SDK's own server + Streamable HTTP, stateless) on 127.0.0.1. */
export async function startToyMcp(options: ToyOptions = {}): Promise<ToyServer> {
  const requests: string[] = [];
  const mcpPath = options.path ?? '/mcp';
  const sseSessions = new Map<string, SSEServerTransport>();
  const handler = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (options.legacySse) {
      const path = (req.url ?? '').split('?')[0];
      if (path === mcpPath && req.method === 'GET') {
        const transport = new SSEServerTransport('/messages', res);
        sseSessions.set(transport.sessionId, transport);
        res.on('close', () => sseSessions.delete(transport.sessionId));
        await buildServer(options).connect(transport);
        return;
      }
      if (path === '/messages' && req.method === 'POST') {
        const id = new URL(req.url ?? '', 'http://x').searchParams.get('sessionId') ?? '';
        const transport = sseSessions.get(id);
        if (!transport) return void res.writeHead(404).end('no session');
        await transport.handlePostMessage(req, res);
        return;
      }
      res.writeHead(path === mcpPath ? 405 : 404, { 'content-type': 'text/plain' }).end('use GET');
      return;
    }
    if ((req.url ?? '').split('?')[0] !== mcpPath) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { 'content-type': 'application/json', allow: 'POST' }).end('{"error":"method not allowed"}');
      return;
    }
    const server = buildServer(options);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://${options.host ?? '127.0.0.1'}:${port}${mcpPath}`,
    port,
    requests,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
