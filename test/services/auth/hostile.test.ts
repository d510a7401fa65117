import { afterEach, describe, expect, it } from 'vitest';
import { login, startLogin } from '../../../src/services/auth/index.js';
import { CancelledError, UserError } from '../../../src/services/errors.js';
import { makeAuthHome, startOidcPeer, type AuthHome, type OidcPeer, type OidcPeerOptions } from '../../helpers/oauth/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(peerOptions: OidcPeerOptions = {}, homeOptions: Parameters<typeof makeAuthHome>[0] = {}): Promise<{ peer: OidcPeer; home: AuthHome }> {
  const peer = await startOidcPeer(peerOptions);
  const home = await makeAuthHome(homeOptions);
  cleanups.push(() => peer.close(), () => home.cleanup());
  return { peer, home };
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('hostile and broken authorization servers', () => {
  it('ignores a callback with the wrong state and keeps waiting; cancel closes the listener', async () => {
    const { peer, home } = await setup({}, { browse: { tamper: (u) => (u.pathname === '/callback' ? withParam(u, 'state', 'attacker') : u) } });
    const controller = new AbortController();
    const statuses: string[] = [];
    const session = startLogin({ serverUrl: peer.mcpUrl, headless: false, signal: controller.signal }, home.deps, { onStatus: (s) => statuses.push(s) });
    while (home.visits.length === 0) await new Promise((r) => setTimeout(r, 10));
    const visit = await home.visits[0]!;
    expect(visit.status).toBe(400);
    expect(visit.body).toContain('state mismatch');
    expect(statuses.at(-1)).toContain('state mismatch');
    const redirect = new URL(new URL(home.opened[0]!).searchParams.get('redirect_uri')!);
    controller.abort();
    await expect(session.result).rejects.toBeInstanceOf(CancelledError);
    // The listener is gone after cancel.
    await expect(fetch(redirect, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });

  it('rejects a callback whose iss is not the issuer (RFC 9207) without showing what the AS sent', async () => {
    const { peer, home } = await setup(
      {},
      { browse: { tamper: (u) => (u.pathname === '/callback' ? withParam(withParam(u, 'iss', 'https://evil.example'), 'error_description', 'call 555-EVIL') : u) } },
    );
    const error = await failure(login({ serverUrl: peer.mcpUrl, headless: false }, home.deps));
    expect(error.code).toBe('auth-untrusted');
    expect(error.exitCode).toBe(3);
    expect(JSON.stringify([error.message, error.hint, error.nextSteps])).not.toMatch(/evil|555/i);
    expect(peer.counts.authorization_code).toBe(0);
  });

  it('refuses metadata whose issuer differs from the one it was fetched for', async () => {
    const { peer, home } = await setup({ mutateMetadata: (doc) => void (doc.issuer = 'http://127.0.0.1:1/other') });
    const error = await failure(login({ serverUrl: peer.mcpUrl, headless: false }, home.deps));
    expect(error.code).toBe('auth-untrusted');
    expect(error.hint).toContain(peer.issuer);
    expect(home.opened).toEqual([]);
  });

  it.each([
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)//'],
    ['a shell metacharacter', 'http://127.0.0.1:9/auth;calc.exe'],
    ['a command substitution', 'https://example.com/$(touch /tmp/pwned)'],
  ])('never opens an authorization_endpoint with %s', async (_label, endpoint) => {
    const { peer, home } = await setup({ mutateMetadata: (doc) => void (doc.authorization_endpoint = endpoint) });
    const error = await failure(login({ serverUrl: peer.mcpUrl, headless: false }, home.deps));
    expect(error.code).toBe('auth-untrusted');
    expect(home.opened).toEqual([]);
    expect(peer.counts.registrations).toBe(0);
  });

  it('refuses an AS that does not advertise S256 (absent field too)', async () => {
    const { peer, home } = await setup({ mutateMetadata: (doc) => void delete doc.code_challenge_methods_supported });
    const error = await failure(login({ serverUrl: peer.mcpUrl, headless: false }, home.deps));
    expect(error.code).toBe('auth-unsupported');
    expect(error.message).toContain('S256');
    expect(home.opened).toEqual([]);
  });

  it('without DCR, explains and suggests --client-id with the redirect URI to register', async () => {
    const { peer, home } = await setup({ registration: false });
    const error = await failure(login({ serverUrl: peer.mcpUrl, headless: false, callbackPort: 0 }, home.deps));
    expect(error.code).toBe('auth-unsupported');
    expect(error.nextSteps.join(' ')).toContain('--client-id');
    expect(error.hint).toMatch(/http:\/\/127\.0\.0\.1:\d+\/callback/);
  });

  it('re-registers when the stored registration was made for another port, and reuses the stored port next time', async () => {
    const { peer, home } = await setup();
    const first = await login({ serverUrl: peer.mcpUrl, headless: false, callbackPort: 0 }, home.deps);
    expect(first.method).toBe('loopback');
    expect(peer.counts.registrations).toBe(1);
    const firstPort = redirectPort(home.opened[0]!);
    await login({ serverUrl: peer.mcpUrl, headless: false, callbackPort: 0 }, home.deps);
    const secondPort = redirectPort(home.opened[1]!);
    expect(secondPort).not.toBe(firstPort);
    expect(peer.counts.registrations).toBe(2);
    // No override: the port in the stored registration is reused, so no new registration.
    await login({ serverUrl: peer.mcpUrl, headless: false }, home.deps);
    expect(redirectPort(home.opened[2]!)).toBe(secondPort);
    expect(peer.counts.registrations).toBe(2);
  });

  it('discovers a path issuer (RFC 8414 → OIDC orders) and uses --callback-host localhost', async () => {
    const { peer, home } = await setup({ issuerPath: '/tenant1' });
    const result = await login({ serverUrl: peer.mcpUrl, headless: false, callbackHost: 'localhost' }, home.deps);
    expect(result.issuer).toBe(`${peer.asOrigin}/tenant1`);
    expect(new URL(home.opened[0]!).searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/callback$/);
  });

  it('omits resource with useResource: false', async () => {
    const { peer, home } = await setup();
    await login({ serverUrl: peer.mcpUrl, headless: false, useResource: false }, home.deps);
    expect(new URL(home.opened[0]!).searchParams.has('resource')).toBe(false);
  });

  it('times out, closing the listener', async () => {
    const { peer, home } = await setup({}, { openBrowser: false });
    const error = await failure(login({ serverUrl: peer.mcpUrl, headless: false, timeoutMs: 300 }, home.deps));
    expect(error.code).toBe('timeout');
  });
});

function withParam(url: URL, key: string, value: string): URL {
  const next = new URL(url);
  next.searchParams.set(key, value);
  return next;
}

function redirectPort(authUrl: string): string {
  return new URL(new URL(authUrl).searchParams.get('redirect_uri')!).port;
}
