import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
// A namespace import keeps esbuild's tree-shaking: `{ z }` is zod's whole namespace object as a
// value, which kept every zod locale (~260 kB) in the chunk that `login` and `verify` load too.
import * as z from 'zod/v4';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidGrantError, InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthorizationParams, OAuthServerProvider } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { OAuthClientInformationFull, OAuthTokenRevocationRequest, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { CancelledError, UserError } from '../errors.js';
import { escapeHtml } from '../html.js';

export interface DemoServerOptions {
  /** Default 0 (any free port). */
  port?: number;
  signal?: AbortSignal;
  /** Access-token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
}

export interface DemoServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:PORT/mcp. */
  url: string;
  issuer: string;
  close(): Promise<void>;
}

const SCOPE = 'mcp:tools';

interface PendingRequest {
  client: OAuthClientInformationFull;
  params: AuthorizationParams;
  expiresAt: number;
}

interface IssuedCode extends PendingRequest {
  scopes: string[];
}

interface TokenRecord {
  clientId: string;
  scopes: string[];
  expiresAt: number;
  resource?: URL;
}

function token(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * An in-memory OAuth provider for the SDK's auth router: a consent page instead of the SDK
 * demo's auto-approval, single-use codes, rotating refresh tokens, revocation, and RFC 9207
 * `iss` on the redirect.
 */
class DemoProvider implements OAuthServerProvider {
  readonly clients = new Map<string, OAuthClientInformationFull>();
  readonly pending = new Map<string, PendingRequest>();
  readonly codes = new Map<string, IssuedCode>();
  readonly accessTokens = new Map<string, TokenRecord>();
  readonly refreshTokens = new Map<string, TokenRecord>();
  issuer = '';

  constructor(private readonly accessTokenTtl: number) {}

  get clientsStore(): OAuthRegisteredClientsStore {
    return {
      getClient: async (id) => this.clients.get(id),
      // The SDK's handler has already generated client_id (clientIdGeneration defaults to on).
      registerClient: async (client) => {
        const full = client as OAuthClientInformationFull;
        this.clients.set(full.client_id, full);
        return full;
      },
    };
  }

  async authorize(client: OAuthClientInformationFull, params: AuthorizationParams, res: { type(t: string): { send(body: string): void } }): Promise<void> {
    const id = token();
    this.pending.set(id, { client, params, expiresAt: Date.now() + 10 * 60_000 });
    const scopes = params.scopes?.length ? params.scopes : [SCOPE];
    res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>mcp-setup demo: allow access?</title>
<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:4rem auto;padding:0 1rem}button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}</style></head>
<body><h1>Allow access?</h1>
<p><strong>${escapeHtml(client.client_name ?? client.client_id)}</strong> wants to use the demo MCP server's tools (${escapeHtml(scopes.join(', '))}).</p>
<p>This is the local demo: there is no account, approving just issues a token.</p>
<form method="post" action="/consent"><input type="hidden" name="request" value="${id}">
<button type="submit" name="approve" value="yes">Approve</button><button type="submit" name="deny" value="yes">Deny</button></form>
</body></html>`);
  }

  /** The consent form's answer: redirect back with a code (or access_denied), state and iss. */
  decide(requestId: string, approve: boolean): string | undefined {
    const request = this.pending.get(requestId);
    this.pending.delete(requestId);
    if (!request || request.expiresAt < Date.now()) return undefined;
    const target = new URL(request.params.redirectUri);
    if (approve) {
      const code = token();
      this.codes.set(code, { ...request, scopes: request.params.scopes?.length ? request.params.scopes : [SCOPE], expiresAt: Date.now() + 60_000 });
      target.searchParams.set('code', code);
    } else {
      target.searchParams.set('error', 'access_denied');
    }
    if (request.params.state !== undefined) target.searchParams.set('state', request.params.state);
    target.searchParams.set('iss', this.issuer);
    return target.href;
  }

  async challengeForAuthorizationCode(client: OAuthClientInformationFull, code: string): Promise<string> {
    const issued = this.codes.get(code);
    if (!issued || issued.client.client_id !== client.client_id) throw new InvalidGrantError('Invalid authorization code');
    return issued.params.codeChallenge;
  }

  private issue(clientId: string, scopes: string[], resource: URL | undefined): OAuthTokens {
    const access = token();
    const refresh = token();
    const record = { clientId, scopes, expiresAt: Date.now() + this.accessTokenTtl * 1000, ...(resource ? { resource } : {}) };
    this.accessTokens.set(access, record);
    this.refreshTokens.set(refresh, { ...record, expiresAt: Date.now() + 30 * 24 * 3600_000 });
    return { access_token: access, token_type: 'Bearer', expires_in: this.accessTokenTtl, refresh_token: refresh, scope: scopes.join(' ') };
  }

  async exchangeAuthorizationCode(client: OAuthClientInformationFull, code: string, _verifier?: string, redirectUri?: string, resource?: URL): Promise<OAuthTokens> {
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (!issued || issued.client.client_id !== client.client_id || issued.expiresAt < Date.now()) throw new InvalidGrantError('Invalid authorization code');
    if (redirectUri !== undefined && redirectUri !== issued.params.redirectUri) throw new InvalidGrantError('redirect_uri does not match');
    return this.issue(client.client_id, issued.scopes, resource ?? issued.params.resource);
  }

  async exchangeRefreshToken(client: OAuthClientInformationFull, refreshToken: string, scopes?: string[], resource?: URL): Promise<OAuthTokens> {
    const record = this.refreshTokens.get(refreshToken);
    // Rotation: every refresh token is single use.
    this.refreshTokens.delete(refreshToken);
    if (!record || record.clientId !== client.client_id || record.expiresAt < Date.now()) throw new InvalidGrantError('Invalid refresh token');
    const granted = scopes?.length ? scopes.filter((s) => record.scopes.includes(s)) : record.scopes;
    return this.issue(client.client_id, granted, resource ?? record.resource);
  }

  async verifyAccessToken(accessToken: string): Promise<AuthInfo> {
    const record = this.accessTokens.get(accessToken);
    if (!record || record.expiresAt < Date.now()) throw new InvalidTokenError('Invalid or expired token');
    return {
      token: accessToken,
      clientId: record.clientId,
      scopes: record.scopes,
      expiresAt: Math.floor(record.expiresAt / 1000),
      ...(record.resource ? { resource: record.resource } : {}),
    };
  }

  async revokeToken(client: OAuthClientInformationFull, request: OAuthTokenRevocationRequest): Promise<void> {
    for (const map of [this.accessTokens, this.refreshTokens]) {
      const record = map.get(request.token);
      if (record?.clientId === client.client_id) map.delete(request.token);
    }
  }
}

function demoMcpServer(): McpServer {
  const server = new McpServer({ name: 'mcp-setup-demo', version: '1.0.0' });
  server.registerTool(
    'greet',
    { description: 'Say hello to someone', inputSchema: { name: z.string().describe('Who to greet') } },
    async ({ name }) => ({ content: [{ type: 'text', text: `Hello, ${name}! This answer came from the mcp-setup demo server.` }] }),
  );
  server.registerTool(
    'add',
    { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool('server_time', { description: 'The demo server’s current time (ISO 8601)' }, async () => ({
    content: [{ type: 'text', text: new Date().toISOString() }],
  }));
  return server;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * A local OAuth-protected MCP server on 127.0.0.1, built from the SDK's own pieces: the auth
 * router (metadata, DCR, authorize, token, revoke, PRM), the bearer middleware and a stateless
 * Streamable HTTP transport. The AS and the MCP endpoint share one port.
 */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  if (options.signal?.aborted) throw new CancelledError();
  const provider = new DemoProvider(options.accessTokenTtl ?? 3600);
  const app = createMcpExpressApp({ host: '127.0.0.1' });
  const server = http.createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new UserError({
      code: 'failed',
      message: `Couldn't start the demo server on 127.0.0.1:${options.port ?? 0}.`,
      hint: (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'Another program is using that port.' : undefined,
      nextSteps: ['Choose another port, or leave it out to use any free port.'],
      cause: error,
    });
  }
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const issuerUrl = new URL(`${origin}/`);
  const mcpUrl = new URL(`${origin}/mcp`);
  provider.issuer = issuerUrl.href;

  app.post('/consent', async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const form = await readForm(req);
    const location = provider.decide(form.get('request') ?? '', form.get('approve') === 'yes');
    if (!location) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('This sign-in request has expired. Start the sign-in again.');
      return;
    }
    res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' }).end();
  });
  app.use(
    mcpAuthRouter({
      provider,
      issuerUrl,
      resourceServerUrl: mcpUrl,
      scopesSupported: [SCOPE],
      resourceName: 'mcp-setup demo server',
    }),
  );
  const bearer = requireBearerAuth({ verifier: provider, requiredScopes: [SCOPE], resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl) });
  app.all('/mcp', bearer, async (req: http.IncomingMessage & { body?: unknown }, res: http.ServerResponse) => {
    const mcp = demoMcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      options.signal?.removeEventListener('abort', onAbort);
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  const onAbort = () => void close();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  return { url: mcpUrl.href, issuer: issuerUrl.href, close };
}
