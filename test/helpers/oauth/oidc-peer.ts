import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import Provider, { errors } from 'oidc-provider';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/**
 * An MCP-compatible authorization server (oidc-provider, configured as auth.md §8.3: DCR, PKCE,
 * resource indicators, RFC 9207 `iss`, refresh rotation, device flow, revocation) fronting a
 * small MCP resource server (SDK McpServer, stateless Streamable HTTP, JWT bearer check, PRM).
 * Everything listens on 127.0.0.1 with port 0.
 */
export interface OidcPeerOptions {
  /** Mount the provider under a path, e.g. '/tenant1' (path-issuer discovery order). */
  issuerPath?: string;
  accessTokenTTL?: number;
  refreshTokenTTL?: number;
  registration?: boolean;
  deviceFlow?: boolean;
  /** Poll interval (seconds) added to device authorization responses; oidc-provider sends none. */
  deviceInterval?: number;
  /** Rewrite discovery documents (hostile variants). */
  mutateMetadata?: (doc: Record<string, unknown>) => void;
  /** Where the PRM is served: path-aware (default), root only, or not at all. */
  prm?: 'path' | 'root' | 'none';
  /** Send `scope` in the 401 challenge (default true). */
  challengeScope?: boolean;
}

export interface OidcPeer {
  issuer: string;
  asOrigin: string;
  mcpUrl: string;
  resource: string;
  counts: { authorization_code: number; refresh_token: number; device_code: number; tokenErrors: number; revocations: number; registrations: number; deviceAuthorizations: number };
  /** Require an extra scope on /mcp (403 insufficient_scope when missing). */
  requireScope(scope: string | undefined): void;
  close(): Promise<void>;
}

async function listen(app: http.RequestListener): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export async function startOidcPeer(options: OidcPeerOptions = {}): Promise<OidcPeer> {
  const issuerPath = options.issuerPath ?? '';
  const asRoutes: { interaction?: http.RequestListener; provider?: http.RequestListener } = {};
  const as = await listen((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith(`${issuerPath}/interaction/`)) return asRoutes.interaction!(req, res);
    if (issuerPath) {
      if (!path.startsWith(issuerPath)) return void res.writeHead(404).end();
      // What express does when mounting: oidc-provider derives its mount path from originalUrl.
      (req as { originalUrl?: string }).originalUrl = req.url;
      req.url = req.url!.slice(issuerPath.length) || '/';
    }
    return asRoutes.provider!(req, res);
  });
  const asOrigin = `http://127.0.0.1:${as.port}`;
  const issuer = `${asOrigin}${issuerPath}`;

  const rsApp = createMcpExpressApp();
  const rs = await listen(rsApp);
  const mcpUrl = `http://127.0.0.1:${rs.port}/mcp`;
  const resource = mcpUrl;

  const counts = { authorization_code: 0, refresh_token: 0, device_code: 0, tokenErrors: 0, revocations: 0, registrations: 0, deviceAuthorizations: 0 };
  let extraScope: string | undefined;

  const provider = new Provider(issuer, {
    clients: [],
    scopes: ['openid', 'offline_access', 'mcp:tools', 'mcp:admin'],
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: options.registration ?? true },
      revocation: { enabled: true },
      deviceFlow: { enabled: options.deviceFlow ?? true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== resource) throw new errors.InvalidTarget();
          return { scope: 'mcp:tools mcp:admin', audience: resource, accessTokenTTL: options.accessTokenTTL ?? 3600, accessTokenFormat: 'jwt' };
        },
      },
    },
    pkce: { required: () => true },
    issueRefreshToken: (_ctx: unknown, client: any) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      RefreshToken: options.refreshTokenTTL ?? 86_400,
      DeviceCode: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 86_400,
      AccessToken: options.accessTokenTTL ?? 3600,
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${issuerPath}/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
  });
  provider.on('grant.success', (ctx: any) => {
    const type = String(ctx.oidc.params?.grant_type ?? '');
    if (type === 'authorization_code') counts.authorization_code++;
    else if (type === 'refresh_token') counts.refresh_token++;
    else if (type === DEVICE_GRANT) counts.device_code++;
  });
  provider.on('registration_create.success', () => counts.registrations++);
  provider.use(async (ctx: any, next: () => Promise<void>) => {
    await next();
    if (ctx.path === '/token' && ctx.status >= 400) counts.tokenErrors++;
    if (ctx.path === '/token/revocation' && ctx.status === 200) counts.revocations++;
    if (ctx.path === '/device/auth' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      counts.deviceAuthorizations++;
      (ctx.body as Record<string, unknown>).interval = options.deviceInterval ?? 1;
    }
    if (ctx.path.includes('/.well-known/') && ctx.body && typeof ctx.body === 'object' && options.mutateMetadata) {
      const doc = { ...(ctx.body as Record<string, unknown>) };
      options.mutateMetadata(doc);
      ctx.body = doc;
    }
  });

  // Login and consent pages: a form with an "approve" button, handled by the scripted browser.
  const page = (uid: string, what: string) =>
    `<!doctype html><html><body><h1>${what}</h1><form method="post" action="${issuerPath}/interaction/${uid}/approve">` +
    `<input type="hidden" name="login" value="test-user"><button type="submit" name="approve" value="yes">Approve</button></form></body></html>`;
  asRoutes.interaction = (req, res) => {
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (req.method === 'GET') {
          res.writeHead(200, { 'Content-Type': 'text/html' }).end(page(details.uid, details.prompt.name === 'login' ? 'Sign in' : 'Allow access?'));
          return;
        }
        if (details.prompt.name === 'login') {
          await provider.interactionFinished(req, res, { login: { accountId: 'test-user' } }, { mergeWithLastSubmission: false });
          return;
        }
        const promptDetails = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
        const grant = details.grantId
          ? await provider.Grant.find(details.grantId)
          : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
        if (promptDetails.missingOIDCScope) grant.addOIDCScope(promptDetails.missingOIDCScope.join(' '));
        if (promptDetails.missingOIDCClaims) grant.addOIDCClaims(promptDetails.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(promptDetails.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
      } catch (error) {
        res.writeHead(500).end(String(error));
      }
    })();
  };
  asRoutes.provider = provider.callback();

  // The resource server.
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const prmPath = options.prm === 'root' ? '/.well-known/oauth-protected-resource' : '/.well-known/oauth-protected-resource/mcp';
  const prmUrl = `http://127.0.0.1:${rs.port}${prmPath}`;
  if (options.prm !== 'none') {
    rsApp.get(prmPath, (_req: unknown, res: { json(body: unknown): void }) => {
      res.json({ resource, authorization_servers: [issuer], scopes_supported: ['mcp:tools'], bearer_methods_supported: ['header'] });
    });
  }
  const challenge = (extra = '') =>
    `Bearer ${extra}${options.prm !== 'none' ? `resource_metadata="${prmUrl}"` : 'realm="mcp"'}${options.challengeScope === false ? '' : `, scope="mcp:tools${extraScope ? ` ${extraScope}` : ''}"`}`;
  rsApp.all('/mcp', async (req: http.IncomingMessage & { body?: unknown }, res: http.ServerResponse) => {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    if (!token) {
      res.writeHead(401, { 'WWW-Authenticate': challenge(), 'Content-Type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    let scopes: string[];
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience: resource });
      scopes = String(payload.scope ?? '').split(' ');
    } catch {
      res.writeHead(401, { 'WWW-Authenticate': challenge('error="invalid_token", '), 'Content-Type': 'application/json' }).end('{"error":"invalid_token"}');
      return;
    }
    if (extraScope && !scopes.includes(extraScope)) {
      res.writeHead(403, { 'WWW-Authenticate': challenge('error="insufficient_scope", '), 'Content-Type': 'application/json' }).end('{"error":"insufficient_scope"}');
      return;
    }
    const server = new McpServer({ name: 'oidc-peer', version: '1.0.0' });
    server.registerTool('whoami', { description: 'Who the token belongs to' }, async () => ({ content: [{ type: 'text', text: 'test-user' }] }));
    server.registerTool('echo', { description: 'Echo back', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });

  return {
    issuer,
    asOrigin,
    mcpUrl,
    resource,
    counts,
    requireScope: (scope) => {
      extraScope = scope;
    },
    close: async () => {
      for (const server of [as.server, rs.server]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
