import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAuthProvider, login, logout } from '../../src/services/auth/index.js';
import { FileSecretStore, secretAccount } from '../../src/services/auth/store.js';
import { UserError } from '../../src/services/errors.js';
import { verifyServer } from '../../src/services/mcp/verify.js';
import { makeAuthHome, startOidcPeer, type OidcPeer } from '../helpers/oauth/index.js';
import { runCli } from '../helpers/run-cli.js';

// Campaign 5 (hostile servers) and 7 (secrets).
const totals = { attacks: 0, failures: 0, maxRssGrowthMb: 0, scanned: 0, leaks: 0 };
afterAll(() => {
  console.log(`[faults] hostile servers: ${totals.attacks} attacks, ${totals.failures} failures, max RSS growth ${totals.maxRssGrowthMb.toFixed(0)} MB`);
  console.log(`[faults] secrets: ${totals.scanned} outputs/files scanned, ${totals.leaks} leaks`);
});

interface Hostile {
  url(p: string): string;
  hits: { path: string; headers: http.IncomingHttpHeaders; host: string }[];
  close(): Promise<void>;
}

async function startHostile(host = '127.0.0.1', other?: () => string): Promise<Hostile> {
  const hits: Hostile['hits'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    hits.push({ path: p, headers: req.headers, host });
    req.resume();
    if (p === '/endless') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"jsonrpc":"2.0","id":0,"result":{"x":"');
      const chunk = 'A'.repeat(64 * 1024);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
      return;
    }
    if (p === '/huge-sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = `data: ${'B'.repeat(64 * 1024)}`; // one event that never ends
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
      return;
    }
    if (p === '/slowloris') {
      res.socket?.write('HTTP/1.1 200 OK\r\n');
      const timer = setInterval(() => res.socket?.write('X-Slow: a\r\n'), 500);
      res.socket?.on('close', () => clearInterval(timer));
      return;
    }
    if (p === '/bad-jsonrpc') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"jsonrpc":"1.0","id":"nope","result":[1,2,3],"error":{"code":"x"}}');
      return;
    }
    if (p === '/garbage') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('\u0000\u0001not json at all');
      return;
    }
    if (p === '/redirect' && other) {
      res.writeHead(307, { location: other() });
      res.end();
      return;
    }
    res.writeHead(404).end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p) => `http://${host}:${port}${p}`,
    hits,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let evil: Hostile;
let elsewhere: Hostile;
beforeAll(async () => {
  elsewhere = await startHostile('127.0.0.2');
  evil = await startHostile('127.0.0.1', () => elsewhere.url('/mcp'));
});
afterAll(async () => {
  await evil.close();
  await elsewhere.close();
});

async function bounded(url: string, headers?: Record<string, string>): Promise<{ error: unknown; ms: number; rssMb: number }> {
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const error = await verifyServer({ url, fetch, now: () => performance.now(), timeoutMs: 2500, ...(headers ? { headers } : {}) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  clearInterval(sampler);
  const rssMb = (peak - rss0) / 1e6;
  totals.maxRssGrowthMb = Math.max(totals.maxRssGrowthMb, rssMb);
  return { error, ms: performance.now() - t0, rssMb };
}

describe('hostile MCP servers: bounded time and memory, a clear error', () => {
  for (const p of ['/endless', '/huge-sse', '/slowloris', '/bad-jsonrpc', '/garbage']) {
    it(p, async () => {
      totals.attacks++;
      const { error, ms, rssMb } = await bounded(evil.url(p));
      try {
        expect(error).toBeInstanceOf(UserError);
        expect(ms).toBeLessThan(6000);
        expect(rssMb).toBeLessThan(300);
      } catch (e) {
        totals.failures++;
        throw e;
      }
    }, 20_000);
  }

  it('a redirect to another host never carries our headers there', async () => {
    totals.attacks++;
    await bounded(evil.url('/redirect'), { Authorization: 'Bearer sk-redirect-secret', 'X-Api-Key': 'sk-other-secret' });
    const leaked = elsewhere.hits.filter((h) => JSON.stringify(h.headers).includes('sk-'));
    if (leaked.length) totals.failures++;
    expect(leaked).toEqual([]);
  }, 20_000);
});

describe('hostile authorization servers: nothing opened, no token leaked', () => {
  let peers: OidcPeer[] = [];
  afterAll(async () => {
    for (const p of peers) await p.close();
    peers = [];
  });
  for (const [label, mutate] of [
    ['javascript: authorization endpoint', (d: Record<string, unknown>) => void (d.authorization_endpoint = 'javascript:alert(document.cookie)')],
    ['file: authorization endpoint', (d: Record<string, unknown>) => void (d.authorization_endpoint = 'file:///etc/passwd')],
    ['custom-scheme authorization endpoint', (d: Record<string, unknown>) => void (d.authorization_endpoint = 'ms-settings:privacy')],
    ['token endpoint on another origin', (d: Record<string, unknown>) => void (d.token_endpoint = 'http://127.0.0.2:9/token')],
    ['registration endpoint on another origin', (d: Record<string, unknown>) => void (d.registration_endpoint = 'http://127.0.0.2:9/reg')],
  ] as const) {
    it(label, async () => {
      totals.attacks++;
      const peer = await startOidcPeer({ mutateMetadata: mutate });
      peers.push(peer);
      const home = await makeAuthHome();
      try {
        const seen: string[] = [];
        const outcome = await login({ serverUrl: peer.mcpUrl, headless: false, timeoutMs: 8000 }, home.deps, { onAuthUrl: (u) => seen.push(u), onStatus: (s) => seen.push(s) }).then(
          () => 'signed-in',
          (e: unknown) => e,
        );
        const problems: string[] = [];
        if (home.opened.some((u) => !/^https?:/i.test(u))) problems.push(`opened ${home.opened.join(', ')}`);
        if (label.startsWith('token') && outcome === 'signed-in') problems.push('signed in through a cross-origin token endpoint');
        if (label.includes('authorization endpoint') && home.opened.length > 0) problems.push('opened a browser');
        if (outcome !== 'signed-in' && !(outcome instanceof UserError)) problems.push(`non-user error ${String(outcome)}`);
        if (problems.length) totals.failures++;
        expect(problems).toEqual([]);
      } finally {
        await home.cleanup();
      }
    }, 20_000);
  }
});

describe('secrets never leave the token store', () => {
  it('after a real sign-in, refresh and CLI runs: no token in any output, log, state or backup file; 0600 in 0700', async () => {
    const peer = await startOidcPeer();
    const home = await makeAuthHome();
    try {
      const events: string[] = [];
      const result = await login({ serverUrl: peer.mcpUrl, headless: false }, home.deps, { onAuthUrl: (u) => events.push(u), onStatus: (s) => events.push(s) });
      const account = secretAccount(peer.mcpUrl, peer.issuer);
      const store = new FileSecretStore(home.stateDir);
      const tokens = (await store.get(account))!;
      const secrets = [tokens.access_token, tokens.refresh_token, (tokens as { client_secret?: string }).client_secret].filter((s): s is string => typeof s === 'string' && s.length > 8);
      expect(secrets.length).toBeGreaterThanOrEqual(2);
      const provider = await getAuthProvider(peer.mcpUrl, home.deps);
      await verifyServer({ url: peer.mcpUrl, fetch, now: () => Date.now(), authProvider: provider });
      const outputs: string[] = [JSON.stringify(result), ...events];
      // The CLI on the same HOME: verify (401 → sign-in hint) and add; file token store forced.
      const env = { ...home.env, MCP_SETUP_TOKEN_STORE: 'file' };
      for (const args of [
        ['verify', peer.mcpUrl],
        ['verify', peer.mcpUrl, '--json'],
        ['add', '--client', 'cursor', '--url', peer.mcpUrl, '--name', 'peer', '--yes'],
        ['add', '--client', 'cursor', '--url', peer.mcpUrl, '--name', 'peer', '--yes', '--force', '--header', 'X-Note: hi'],
      ]) {
        const r = await runCli(args, { env, cwd: home.cwd });
        outputs.push(r.stdout, r.stderr);
      }
      outputs.push(JSON.stringify(await logout(peer.mcpUrl, home.deps)));
      // Every file under the temp root except the token store itself (gone after logout anyway).
      const walk = async (dir: string): Promise<string[]> => {
        const out: string[] = [];
        for (const e of await readdir(dir, { withFileTypes: true })) {
          if (e.isDirectory()) out.push(...(await walk(path.join(dir, e.name))));
          else if (e.isFile()) out.push(path.join(dir, e.name));
        }
        return out;
      };
      const files = await walk(home.root);
      for (const f of files) outputs.push(await readFile(f, 'utf8'));
      totals.scanned += outputs.length;
      const leaks = outputs.flatMap((o, i) => secrets.filter((s) => o.includes(s)).map(() => (i < outputs.length - files.length ? `output #${i}` : files[i - (outputs.length - files.length)])));
      totals.leaks += leaks.length;
      expect(leaks).toEqual([]);
    } finally {
      await home.cleanup();
      await peer.close();
    }
  }, 60_000);

  it('token files are 0600 in a 0700 folder', async () => {
    const peer = await startOidcPeer();
    const home = await makeAuthHome();
    try {
      await login({ serverUrl: peer.mcpUrl, headless: false }, home.deps);
      const dir = path.join(home.stateDir, 'secrets');
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      for (const f of await readdir(dir)) expect((await stat(path.join(dir, f))).mode & 0o777).toBe(0o600);
      expect((await stat(path.join(home.stateDir, 'auth.json'))).mode & 0o777).toBe(0o600);
    } finally {
      await home.cleanup();
      await peer.close();
    }
  }, 30_000);
});
