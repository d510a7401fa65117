import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Hit {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface FaultServer {
  url(path: string): string;
  hits(path: string): Hit[];
  closedPort(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Small loopback servers that fail the way real ones do: 401 with OAuth hints, 404, an HTML
 * page, 500, and a server that accepts the request and never answers.
 */
export async function startFaultServer(): Promise<FaultServer> {
  const hits: Hit[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.push({ method: req.method ?? 'GET', path, headers: req.headers });
    req.resume();
    switch (path) {
      case '/unauthorized':
        res.writeHead(401, {
          'www-authenticate': `Bearer resource_metadata="http://127.0.0.1:${port()}/.well-known/oauth-protected-resource/unauthorized"`,
          'content-type': 'application/json',
        });
        res.end('{"error":"invalid_token"}');
        return;
      case '/html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>Docs</title><h1>Welcome</h1>');
        return;
      case '/boom':
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
        return;
      case '/hang':
        hanging.add(res);
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = () => (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port()}${path}`,
    hits: (path) => hits.filter((h) => h.path === path),
    closedPort: async () => {
      const probe = net.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const p = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      return p;
    },
    stop: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
