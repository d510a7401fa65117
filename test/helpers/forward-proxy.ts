import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxyHit {
  method: string;
  /** host:port for CONNECT, the absolute URI otherwise. */
  target: string;
  authorization?: string;
}

export interface ForwardProxy {
  url: string;
  port: number;
  hits: ProxyHit[];
  stop(): Promise<void>;
}

export interface ProxyOptions {
  /** Where the proxy really connects for a host name (it does its own "DNS"): default 127.0.0.1. */
  resolve?: (host: string) => string;
  /** "user:password" the proxy demands (407 otherwise). */
  credentials?: string;
  /** Hosts the proxy refuses (403), as a corporate policy would. */
  blocked?: string[];
}

/**
 * A small real forward proxy on 127.0.0.1: CONNECT tunnels for https and absolute-URI requests
 * for http, with optional Basic auth and a block list. It resolves names itself, so a client that
 * reaches a made-up host through it proves the request really went through the proxy.
 */
export async function startForwardProxy(options: ProxyOptions = {}): Promise<ForwardProxy> {
  const hits: ProxyHit[] = [];
  const sockets = new Set<net.Socket>();
  const resolve = options.resolve ?? (() => '127.0.0.1');
  const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined;
  const refuse = (auth: string | undefined, host: string): number | undefined => {
    if (expected && auth !== expected) return 407;
    if (options.blocked?.includes(host)) return 403;
    return undefined;
  };

  const server = http.createServer((req, res) => {
    const auth = req.headers['proxy-authorization'];
    hits.push({ method: req.method ?? 'GET', target: req.url ?? '', ...(auth ? { authorization: auth } : {}) });
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI required');
      return;
    }
    const refused = refuse(auth, target.hostname);
    if (refused) {
      res.writeHead(refused, refused === 407 ? { 'proxy-authenticate': 'Basic realm="proxy"' } : {}).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      { host: resolve(target.hostname), port: Number(target.port) || 80, method: req.method, path: `${target.pathname}${target.search}`, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const auth = req.headers['proxy-authorization'];
    hits.push({ method: 'CONNECT', target: req.url ?? '', ...(auth ? { authorization: auth } : {}) });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const [host = '', port = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
    const refused = refuse(auth, host);
    if (refused) {
      client.end(`HTTP/1.1 ${refused} ${refused === 407 ? 'Proxy Authentication Required' : 'Forbidden'}\r\n${refused === 407 ? 'Proxy-Authenticate: Basic realm="proxy"\r\n' : ''}Content-Length: 0\r\n\r\n`);
      return;
    }
    const upstream = net.connect(Number(port), resolve(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    stop: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
