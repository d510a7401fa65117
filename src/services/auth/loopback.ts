import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import { escapeHtml } from '../html.js';

export const CALLBACK_PATH = '/callback';
const PORT_BASE = 20_000;
const PORT_SPAN = 10_000;

/**
 * A stable port per server, below Linux's ephemeral range: ASes that match redirect URIs
 * exactly (ignoring RFC 8252 §7.3) keep working across sign-ins, and an SSH `-L` forward can be
 * set up once.
 */
export function stablePortFor(serverKey: string): number {
  const digest = createHash('sha256').update(serverKey).digest();
  return PORT_BASE + (digest.readUInt32BE(0) % PORT_SPAN);
}

export function redirectUriFor(host: '127.0.0.1' | 'localhost', port: number): string {
  return `http://${host}:${port}${CALLBACK_PATH}`;
}

/** The verdict on one callback request, rendered to the browser tab. */
export interface CallbackVerdict {
  status: number;
  title: string;
  detail: string;
}

export interface LoopbackListener {
  port: number;
  close(): Promise<void>;
}

/**
 * Listen on 127.0.0.1 only (never all interfaces, unlike several peers), serve `/callback`, and
 * hand each request's query to `onCallback`, which decides what the tab shows.
 * Binding a pinned port that is taken fails; an unpinned one falls back to any free port.
 */
export async function startLoopback(
  port: number,
  pinned: boolean,
  onCallback: (params: URLSearchParams) => Promise<CallbackVerdict>,
): Promise<LoopbackListener> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('Not found');
      return;
    }
    onCallback(url.searchParams).then(
      (verdict) => render(res, verdict),
      () => render(res, { status: 500, title: 'Sign-in failed', detail: 'Return to the terminal for details.' }),
    );
  });
  server.keepAliveTimeout = 1000;
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const onError = (error: Error) => {
        server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve((server.address() as AddressInfo).port);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(p, '127.0.0.1');
    });
  let actual: number;
  try {
    actual = await listen(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || pinned) {
      throw new UserError({
        code: 'auth-failed',
        message: `Couldn't listen for the sign-in callback on 127.0.0.1:${port}.`,
        hint: (error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'Another program is using that port.' : undefined,
        nextSteps: ['Close the other program, or choose another port with --callback-port.'],
        cause: error,
      });
    }
    actual = await listen(0);
  }
  return {
    port: actual,
    // Let a tab that is still receiving its "signed in" page get it, then cut everything.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 500).unref();
      }),
  };
}

function render(res: http.ServerResponse, verdict: CallbackVerdict): void {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(verdict.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}</style></head>
<body><h1>${escapeHtml(verdict.title)}</h1><p>${escapeHtml(verdict.detail)}</p></body></html>`;
  res.writeHead(verdict.status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    Connection: 'close',
  });
  res.end(body);
}
