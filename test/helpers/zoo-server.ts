import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Zoo {
  url(path: string): string;
  origin: string;
  stop(): Promise<void>;
}

/**
 * One loopback server with a path per failure the doctor must recognise: a web page, 404, 405,
 * 500, a hang, 401 without any OAuth metadata, 401 with RFC 9728 metadata, 403 insufficient_scope,
 * a redirect chain, and a redirect to a login page on another host.
 */
export async function startZoo(options: { redirectTo?: string } = {}): Promise<Zoo> {
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    req.resume();
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    switch (path) {
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Docs</title><h1>Welcome</h1>');
        return;
      case '/text':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        return;
      case '/method':
        res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain' }).end('method not allowed');
        return;
      case '/boom':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        return;
      case '/hang':
        hanging.add(res);
        return;
      case '/bare401':
        json(401, { error: 'unauthorized' }, { 'www-authenticate': 'Bearer realm="api"' });
        return;
      case '/oauth':
        if (req.headers.authorization === 'Bearer good-token') {
          json(200, { jsonrpc: '2.0', id: 0, result: {} });
          return;
        }
        json(401, { error: 'invalid_token' }, { 'www-authenticate': `Bearer resource_metadata="${origin()}/.well-known/oauth-protected-resource/oauth"` });
        return;
      case '/.well-known/oauth-protected-resource/oauth':
        json(200, { resource: `${origin()}/oauth`, authorization_servers: ['https://login.example.com'] });
        return;
      case '/scope':
        json(403, { error: 'insufficient_scope' }, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="files:write"' });
        return;
      case '/moved':
        res.writeHead(308, { location: options.redirectTo ?? '/html' }).end();
        return;
      case '/sso':
        res.writeHead(302, { location: `http://localhost:${port()}/login-page` }).end();
        return;
      case '/login-page':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<form>Sign in</form>');
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = () => (server.address() as AddressInfo).port;
  const origin = () => `http://127.0.0.1:${port()}`;
  return {
    url: (path) => `${origin()}${path}`,
    origin: origin(),
    stop: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
