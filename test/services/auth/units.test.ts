import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectHeadless, parseChallenge, parsePastedCallback, safeBrowserUrl, sshTunnelHint, stablePortFor } from '../../../src/services/auth/index.js';
import { discover } from '../../../src/services/auth/discovery.js';
import { protectedResourceMetadataUrls } from '../../../src/services/auth/challenge.js';
import { runDeviceGrant } from '../../../src/services/auth/device.js';
import { acquireLock } from '../../../src/services/auth/lock.js';
import { chooseSecretStore, type KeychainBackend } from '../../../src/services/auth/store.js';
import { sanitizeForDisplay } from '../../../src/services/auth/safety.js';
import type { SystemInfo } from '../../../src/services/deps.js';
import { UserError } from '../../../src/services/errors.js';
import { makeTempHome } from '../../helpers/temp-home.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const system = (env: Record<string, string>, platform: SystemInfo['platform'] = 'linux'): SystemInfo => ({ platform, home: '/h', cwd: '/c', env, isWsl: false });

describe('pasted callbacks', () => {
  it('accepts the address bar with quotes, angle brackets, bracketed paste and params after #', () => {
    for (const text of [
      '"http://127.0.0.1:20001/callback?code=abc&state=xyz&iss=http%3A%2F%2Fas"',
      '\u001b[200~http://127.0.0.1:20001/callback?code=abc&state=xyz\u001b[201~',
      '<http://localhost:20001/callback#code=abc&state=xyz>',
      '127.0.0.1:20001/callback?code=abc&state=xyz',
      '?code=abc&state=xyz',
    ]) {
      const parsed = parsePastedCallback(text);
      expect(parsed.kind, text).toBe('url');
      if (parsed.kind === 'url') expect(parsed.params.get('code')).toBe('abc');
    }
  });
  it('takes a bare code and refuses junk', () => {
    expect(parsePastedCallback("  'Xy_9-code.value'  ")).toEqual({ kind: 'code', code: 'Xy_9-code.value' });
    expect(parsePastedCallback('').kind).toBe('invalid');
    expect(parsePastedCallback('http://127.0.0.1:1/callback?nothing=here').kind).toBe('invalid');
    expect(parsePastedCallback('rm -rf /; echo').kind).toBe('invalid');
  });
});

describe('browser URL safety', () => {
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,hi',
    'https://ex.com/a;b',
    'https://ex.com/$(id)',
    'https://ex.com/`id`',
    'https://ex.com/a|b',
    'https://user:pw@ex.com/',
    'http://ex.com/authorize',
    'https://ex.com/a&b?x=1',
    'https://ex.com/\u0007',
    'https://ex.com/a b',
  ])('refuses %s', (url) => expect(safeBrowserUrl(url)).toBeNull());
  it('allows ordinary authorization URLs', () => {
    expect(safeBrowserUrl('https://auth.ex.com/authorize?response_type=code&client_id=a.b-c&scope=mcp%3Atools+offline_access')).not.toBeNull();
    expect(safeBrowserUrl('http://127.0.0.1:3000/authorize?x=1')).not.toBeNull();
  });
  it('sanitizes AS text: control characters and credentials', () => {
    const text = sanitizeForDisplay('bad\u001b[31m thing access_token=SECRET123 refresh_token: SECRET456 Bearer abc.def');
    expect(text).not.toMatch(/SECRET|\u001b|abc\.def/);
  });
});

describe('headless detection and the ssh hint', () => {
  const never = () => false;
  it('detects SSH, missing display, CI and containers', () => {
    expect(detectHeadless(system({ SSH_CONNECTION: '1.2.3.4 5 10.0.0.9 22', DISPLAY: ':0' }), never)).toMatchObject({ headless: true, reason: 'ssh' });
    expect(detectHeadless(system({ SSH_TTY: '/dev/pts/1' }), never).reason).toBe('ssh');
    expect(detectHeadless(system({}), never)).toMatchObject({ headless: true, reason: 'no-display' });
    expect(detectHeadless(system({ WAYLAND_DISPLAY: 'wayland-0' }), never)).toEqual({ headless: false });
    expect(detectHeadless(system({ DISPLAY: ':0' }), (p) => p === '/.dockerenv').reason).toBe('container');
    expect(detectHeadless(system({ CI: 'true' }, 'darwin'), never).reason).toBe('ci');
    expect(detectHeadless(system({}, 'darwin'), never)).toEqual({ headless: false });
    expect(detectHeadless({ ...system({}), isWsl: true }, never)).toEqual({ headless: false });
  });
  it('builds the exact ssh -L command from SSH_CONNECTION', () => {
    expect(sshTunnelHint(system({ SSH_CONNECTION: '192.168.1.5 51000 10.0.0.9 22', USER: 'ana' }), 24321)).toBe('ssh -N -L 24321:127.0.0.1:24321 ana@10.0.0.9');
    expect(sshTunnelHint(system({ SSH_CONNECTION: '192.168.1.5 51000 10.0.0.9 2200', USER: 'x;rm' }), 20001)).toBe('ssh -N -L 20001:127.0.0.1:20001 -p 2200 <user>@10.0.0.9');
    expect(sshTunnelHint(system({ SSH_CONNECTION: 'garbage' }), 1)).toBeUndefined();
  });
  it('derives a stable port per server', () => {
    const port = stablePortFor('https://a.example/mcp');
    expect(port).toBe(stablePortFor('https://a.example/mcp'));
    expect(port).toBeGreaterThanOrEqual(20000);
    expect(port).toBeLessThan(30000);
  });
});

describe('parseChallenge', () => {
  it('reads error, scope and resource_metadata', () => {
    expect(parseChallenge('Bearer error="insufficient_scope", scope="a b", resource_metadata="https://x/.well-known/oauth-protected-resource"')).toEqual({
      error: 'insufficient_scope',
      scope: 'a b',
      resourceMetadata: 'https://x/.well-known/oauth-protected-resource',
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({});
  });
});

describe('refresh lock', () => {
  it('serialises holders and breaks a stale lock', async () => {
    const home = await makeTempHome();
    cleanups.push(home.cleanup);
    let now = 1_000_000;
    const clock = { now: () => now };
    const release = await acquireLock(home.stateDir, 'k', { ...clock, pollMs: 5 });
    let second = false;
    const waiting = acquireLock(home.stateDir, 'k', { ...clock, pollMs: 5 }).then((r) => {
      second = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(second).toBe(false);
    await release();
    const r2 = await waiting;
    expect(second).toBe(true);
    // A holder that never releases (crashed process) is broken after staleMs.
    now += 60_000;
    const r3 = await acquireLock(home.stateDir, 'k', { ...clock, pollMs: 5, staleMs: 30_000 });
    await r2(); // the old holder's release must not remove the new lock
    let fourth = false;
    const pending = acquireLock(home.stateDir, 'k', { ...clock, pollMs: 5, waitMs: 100 }).then(
      () => (fourth = true),
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 30));
    expect(fourth).toBe(false);
    await r3();
    await pending;
  });
});

describe('secret store choice', () => {
  it('uses a working keychain, and falls back to the file when the probe hangs or fails', async () => {
    const home = await makeTempHome();
    cleanups.push(home.cleanup);
    const items = new Map<string, string>();
    const good: KeychainBackend = {
      getPassword: async (s, a) => items.get(`${s}/${a}`) ?? null,
      setPassword: async (s, a, p) => void items.set(`${s}/${a}`, p),
      deletePassword: async (s, a) => items.delete(`${s}/${a}`),
    };
    const hanging: KeychainBackend = { getPassword: () => new Promise(() => {}), setPassword: () => new Promise(() => {}), deletePassword: async () => false };
    const broken: KeychainBackend = { ...good, setPassword: async () => { throw new Error('no dbus'); } };
    const store = await chooseSecretStore({ ...home.deps, authConfig: { keychain: good } });
    expect(store.kind).toBe('keychain');
    await store.set('acct', { refresh_token: 'r' });
    expect(await store.get('acct')).toEqual({ refresh_token: 'r' });
    expect(items.size).toBe(1);
    const started = Date.now();
    expect((await chooseSecretStore({ ...home.deps, authConfig: { keychain: hanging, keychainProbeTimeoutMs: 100 } })).kind).toBe('file');
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await chooseSecretStore({ ...home.deps, authConfig: { keychain: broken } })).kind).toBe('file');
    expect((await chooseSecretStore({ ...home.deps, authConfig: { keychain: good, tokenStore: 'file' } })).kind).toBe('file');
    // The real keychain on this box (no Secret Service daemon) is probed and falls back.
    expect((await chooseSecretStore({ ...home.deps, authConfig: { keychainProbeTimeoutMs: 1500 } })).kind).toMatch(/^(file|keychain)$/);
  });
});

/** A tiny scripted HTTP peer recording the paths it was asked for. */
async function fakePeer(routes: (url: URL, req: http.IncomingMessage, body: string) => { status: number; json?: unknown; headers?: Record<string, string> } | undefined) {
  const seen: string[] = [];
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    seen.push(`${req.method} ${url.pathname}`);
    const answer = routes(url, req, body) ?? { status: 404 };
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers }).end(answer.json === undefined ? '' : JSON.stringify(answer.json));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return { origin, seen };
}

describe('discovery order', () => {
  it('builds path-aware then root PRM URLs', () => {
    expect(protectedResourceMetadataUrls('https://ex.com/public/mcp')).toEqual([
      'https://ex.com/.well-known/oauth-protected-resource/public/mcp',
      'https://ex.com/.well-known/oauth-protected-resource',
    ]);
    expect(protectedResourceMetadataUrls('https://ex.com')).toEqual(['https://ex.com/.well-known/oauth-protected-resource']);
  });

  it('falls back to the root PRM, then walks RFC 8414 → OIDC orders for a path issuer, keeping raw fields', async () => {
    let origin = '';
    const peer = await fakePeer((url) => {
      if (url.pathname === '/mcp') return { status: 401, json: {}, headers: { 'WWW-Authenticate': 'Bearer scope="s1"' } };
      if (url.pathname === '/.well-known/oauth-protected-resource') return { status: 200, json: { resource: `${origin}/mcp`, authorization_servers: [`${origin}/tenant1`] } };
      if (url.pathname === '/tenant1/.well-known/openid-configuration') {
        return {
          status: 200,
          json: {
            issuer: `${origin}/tenant1`,
            authorization_endpoint: `${origin}/tenant1/auth`,
            token_endpoint: `${origin}/tenant1/token`,
            response_types_supported: ['code'],
            code_challenge_methods_supported: ['S256'],
            device_authorization_endpoint: `${origin}/tenant1/device`,
            revocation_endpoint: 'file:///nope',
            jwks_uri: `${origin}/jwks`,
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
          },
        };
      }
      return undefined;
    });
    origin = peer.origin;
    const found = await discover(`${origin}/mcp`, { fetch, useResource: true });
    // The probe and the path-aware PRM request go out together; the rest follows the spec order.
    expect(new Set(peer.seen.slice(0, 2))).toEqual(new Set(['POST /mcp', 'GET /.well-known/oauth-protected-resource/mcp']));
    expect(peer.seen.slice(2)).toEqual([
      'GET /.well-known/oauth-protected-resource',
      'GET /.well-known/oauth-authorization-server/tenant1',
      'GET /.well-known/openid-configuration/tenant1',
      'GET /tenant1/.well-known/openid-configuration',
    ]);
    expect(found.challengeScope).toBe('s1');
    expect(found.resource).toBe(`${origin}/mcp`);
    expect(found.authorizationServerMetadata?.device_authorization_endpoint).toBe(`${origin}/tenant1/device`);
    expect(found.authorizationServerMetadata?.revocation_endpoint).toBeUndefined();
  });

  it('tries the next authorization server the PRM lists when the first is down, and reports the first failure if none works', async () => {
    let origin = '';
    // A port nothing listens on (9 would be refused by fetch itself as a "bad port").
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    let listed: string[] = [];
    const peer = await fakePeer((url) => {
      if (url.pathname === '/mcp') return { status: 401, json: {} };
      if (url.pathname === '/.well-known/oauth-protected-resource/mcp') return { status: 200, json: { resource: `${origin}/mcp`, authorization_servers: listed } };
      if (url.pathname === '/.well-known/oauth-authorization-server/backup') {
        return { status: 200, json: { issuer: `${origin}/backup`, authorization_endpoint: `${origin}/backup/auth`, token_endpoint: `${origin}/backup/token`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] } };
      }
      return undefined;
    });
    origin = peer.origin;
    listed = [down, `${origin}/backup`];
    const found = await discover(`${origin}/mcp`, { fetch, useResource: true });
    expect(found.authorizationServerUrl).toBe(`${origin}/backup`);
    listed = [down, `${origin}/nothing-here`];
    const error = await discover(`${origin}/mcp`, { fetch, useResource: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('unreachable');
  });

  it('uses the 2025-03-26 legacy rule without PRM: origin metadata, else default endpoints', async () => {
    const peer = await fakePeer((url) => (url.pathname === '/v1/mcp' ? { status: 401, json: {} } : undefined));
    const found = await discover(`${peer.origin}/v1/mcp`, { fetch, useResource: true });
    expect(found).toMatchObject({ authorizationServerUrl: `${peer.origin}/`, legacyDefaults: true, resource: null });
    expect(peer.seen.slice(-2)).toEqual(['GET /.well-known/oauth-authorization-server', 'GET /.well-known/openid-configuration']);
  });

  it('refuses a PRM whose resource is another server, naming the advertised URL', async () => {
    const peer = await fakePeer((url) => {
      if (url.pathname === '/mcp') return { status: 401, json: {} };
      if (url.pathname === '/.well-known/oauth-protected-resource/mcp') return { status: 200, json: { resource: 'http://localhost:9/mcp', authorization_servers: ['http://localhost:9'] } };
      return undefined;
    });
    const error = await discover(`${peer.origin}/mcp`, { fetch, useResource: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).hint).toContain('http://localhost:9/mcp');
  });

  it('says so when the server does not ask for sign-in', async () => {
    const peer = await fakePeer((url) => (url.pathname === '/mcp' ? { status: 200, json: { jsonrpc: '2.0', id: 0, result: {} } } : undefined));
    const error = await discover(`${peer.origin}/mcp`, { fetch, useResource: true }).catch((e: unknown) => e);
    expect((error as UserError).message).toBe('This server does not ask for sign-in.');
  });
});

describe('device grant polling', () => {
  it('honours interval and slow_down, then returns the tokens', async () => {
    let polls = 0;
    const times: number[] = [];
    const peer = await fakePeer((url, _req, body) => {
      if (url.pathname === '/device') {
        expect(new URLSearchParams(body).get('resource')).toBe('https://r.example/mcp');
        return { status: 200, json: { device_code: 'dc', user_code: 'ABCD-EFGH', verification_uri: 'https://as.example/device', expires_in: 60, interval: 1 } };
      }
      if (url.pathname === '/token') {
        times.push(Date.now());
        polls++;
        if (polls === 1) return { status: 400, json: { error: 'authorization_pending' } };
        if (polls === 2) return { status: 400, json: { error: 'slow_down' } };
        return { status: 200, json: { access_token: 'at', token_type: 'Bearer', expires_in: 60 } };
      }
      return undefined;
    });
    const home = await makeTempHome();
    cleanups.push(home.cleanup);
    const shown: string[] = [];
    const tokens = await runDeviceGrant(home.deps, {
      deviceEndpoint: `${peer.origin}/device`,
      tokenEndpoint: `${peer.origin}/token`,
      client: { clientId: 'c' },
      resource: 'https://r.example/mcp',
      timeoutMs: 30_000,
      slowDownStepMs: 300,
      onDeviceCode: (info) => shown.push(info.userCode),
    });
    expect(tokens.access_token).toBe('at');
    expect(shown).toEqual(['ABCD-EFGH']);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1250);
  });
});

describe('token file location', () => {
  it('keeps secrets out of a pre-existing lax directory (re-chmods to 0700)', async () => {
    const home = await makeTempHome();
    cleanups.push(home.cleanup);
    await mkdir(path.join(home.stateDir, 'secrets'), { recursive: true, mode: 0o755 });
    await writeFile(path.join(home.stateDir, 'secrets', 'x'), '');
    const store = await chooseSecretStore({ ...home.deps, authConfig: { tokenStore: 'file' } });
    await store.set('a', { access_token: 't' });
    const { stat } = await import('node:fs/promises');
    expect((await stat(path.join(home.stateDir, 'secrets'))).mode & 0o777).toBe(0o700);
  });
});

describe('read paths never create sign-in state', () => {
  it('tokenStatus, accessToken and logout on a fresh state dir leave it empty', async () => {
    const { makeTempHome } = await import('../../helpers/temp-home.js');
    const { tokenStatus, accessToken, logout } = await import('../../../src/services/auth/index.js');
    const { hasAuthState } = await import('../../../src/services/auth/state-file.js');
    const t = await makeTempHome();
    try {
      expect(await tokenStatus('https://x.example/mcp', t.deps)).toEqual({ present: false, hasRefreshToken: false });
      expect(await accessToken('https://x.example/mcp', t.deps)).toBeUndefined();
      expect(await logout('https://x.example/mcp', t.deps)).toEqual({ revoked: false, removed: false });
      expect(await hasAuthState(t.stateDir)).toBe(false);
    } finally {
      await t.cleanup();
    }
  });
});
