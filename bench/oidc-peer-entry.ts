// Entry for the sign-in figure's OAuth peer: test/helpers/oauth/oidc-peer.ts (oidc-provider with
// DCR, PKCE, resource indicators, RFC 9207 iss; a JWT-protected MCP endpoint with PRM), run as
// its own process on 127.0.0.1. bench/sign-in.mjs bundles this file with esbuild at bench start.
// Prints `READY {json}`; answers a `counts` line on stdin with the grant/registration counters.
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { startOidcPeer } from '../test/helpers/oauth/oidc-peer.js';

// BENCH_PEER_TRACE=file: one line per request (epoch ms, port, method, path) and per response end,
// for bench/trace-sign-in.mjs (where the time of a sign-in goes, seen from the servers).
const trace = process.env.BENCH_PEER_TRACE;
if (trace) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      const port = (this.address() as { port: number }).port;
      const what = `${port} ${req.method} ${(req.url ?? '').split('?')[0]}`;
      appendFileSync(trace, `${performance.timeOrigin + performance.now()} req ${what}\n`);
      res.once('finish', () => appendFileSync(trace, `${performance.timeOrigin + performance.now()} res ${what} ${res.statusCode}\n`));
    }
    return (emit as (this: http.Server, event: string, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}
const peer = await startOidcPeer();
process.stdout.write(`READY ${JSON.stringify({ mcpUrl: peer.mcpUrl, issuer: peer.issuer })}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'counts') process.stdout.write(`COUNTS ${JSON.stringify(peer.counts)}\n`);
});
const stop = async () => {
  await peer.close().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
