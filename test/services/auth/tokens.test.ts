import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessToken, getAuthProvider, login, tokenStatus } from '../../../src/services/auth/index.js';
import { FileSecretStore, secretAccount, type KeychainBackend } from '../../../src/services/auth/store.js';
import { saveTokenResponse, loadActive } from '../../../src/services/auth/session.js';
import { UserError } from '../../../src/services/errors.js';
import { verifyServer } from '../../../src/services/mcp/verify.js';
import { makeAuthHome, startOidcPeer, type AuthHome, type OidcPeer } from '../../helpers/oauth/index.js';

describe('stored tokens: refresh, rotation, lock, revocation', () => {
  let peer: OidcPeer;
  beforeAll(async () => {
    peer = await startOidcPeer();
  });
  afterAll(() => peer.close());

  let offset = 0;
  const signedIn = async (): Promise<AuthHome> => {
    offset = 0;
    const home = await makeAuthHome({ now: () => Date.now() + offset });
    await login({ serverUrl: peer.mcpUrl, headless: false }, home.deps);
    return home;
  };
  const secrets = (home: AuthHome) => new FileSecretStore(home.stateDir).get(secretAccount(peer.mcpUrl, peer.issuer));

  it('refreshes before expires_at, rotating the refresh token', async () => {
    const home = await signedIn();
    try {
      const before = await secrets(home);
      const refreshes = peer.counts.refresh_token;
      offset = 2 * 3600_000; // the stored expires_at has passed
      const authProvider = await getAuthProvider(peer.mcpUrl, home.deps);
      const verified = await verifyServer({ url: peer.mcpUrl, fetch, now: () => Date.now(), authProvider });
      expect(verified.tools).toHaveLength(2);
      expect(peer.counts.refresh_token).toBe(refreshes + 1);
      const after = await secrets(home);
      expect(after!.refresh_token).not.toBe(before!.refresh_token);
      expect(after!.access_token).not.toBe(before!.access_token);
      expect((await tokenStatus(peer.mcpUrl, home.deps)).expiresAt).toBeGreaterThan(Date.now() + offset);
      // doctor's feed: the same fresh token, no second refresh.
      expect(await accessToken(peer.mcpUrl, home.deps)).toBe(after!.access_token);
      expect(peer.counts.refresh_token).toBe(refreshes + 1);
    } finally {
      await home.cleanup();
    }
  });

  it('asks the keychain once per change, not once per request, and sees another process rotate the token', async () => {
    // An in-memory stand-in for the OS keychain (no Secret Service daemon here), counting reads.
    const items = new Map<string, string>();
    let reads = 0;
    const keychain: KeychainBackend = {
      getPassword: async (s, a) => (reads++, items.get(`${s}/${a}`) ?? null),
      setPassword: async (s, a, p) => void items.set(`${s}/${a}`, p),
      deletePassword: async (s, a) => items.delete(`${s}/${a}`),
    };
    const home = await makeAuthHome();
    try {
      const deps = { ...home.deps, authConfig: { tokenStore: 'keychain' as const, keychain } };
      await login({ serverUrl: peer.mcpUrl, headless: false }, deps);
      const provider = await getAuthProvider(peer.mcpUrl, deps);
      reads = 0;
      const first = await provider.tokens();
      for (let i = 0; i < 20; i++) expect((await provider.tokens())!.access_token).toBe(first!.access_token);
      expect(reads).toBe(1);

      // Another process refreshes: secret first, then the state file.
      const other = (await loadActive(peer.mcpUrl, deps))!;
      await saveTokenResponse(deps, other, { access_token: 'rotated-elsewhere', token_type: 'Bearer', expires_in: 3600 }, 'refresh', undefined);
      reads = 0;
      expect((await provider.tokens())!.access_token).toBe('rotated-elsewhere');
      expect(await provider.tokens()).toMatchObject({ access_token: 'rotated-elsewhere' });
      expect(reads).toBe(1);
    } finally {
      await home.cleanup();
    }
  });

  it('recovers from a 401 on a token the clock says is valid (the SDK path, under the lock)', async () => {
    const home = await signedIn();
    try {
      const store = new FileSecretStore(home.stateDir);
      const account = secretAccount(peer.mcpUrl, peer.issuer);
      await store.set(account, { ...(await store.get(account)), access_token: 'rejected-by-the-server' });
      const refreshes = peer.counts.refresh_token;
      const authProvider = await getAuthProvider(peer.mcpUrl, home.deps);
      const verified = await verifyServer({ url: peer.mcpUrl, fetch, now: () => Date.now(), authProvider });
      expect(verified.tools).toHaveLength(2);
      expect(peer.counts.refresh_token).toBe(refreshes + 1);
      expect((await store.get(account))!.access_token).not.toBe('rejected-by-the-server');
    } finally {
      await home.cleanup();
    }
  });

  it('two providers refreshing at once spend the rotating refresh token once', async () => {
    const home = await signedIn();
    try {
      const refreshes = peer.counts.refresh_token;
      const errors = peer.counts.tokenErrors;
      offset = 2 * 3600_000;
      const [a, b] = await Promise.all([getAuthProvider(peer.mcpUrl, home.deps), getAuthProvider(peer.mcpUrl, home.deps)]);
      const [ta, tb] = await Promise.all([a.tokens(), b.tokens()]);
      expect(ta!.access_token).toBe(tb!.access_token);
      expect(peer.counts.refresh_token).toBe(refreshes + 1);
      expect(peer.counts.tokenErrors).toBe(errors);
      // The grant survived (reuse detection would have revoked it): a later refresh still works.
      offset = 4 * 3600_000;
      await a.tokens();
      expect(peer.counts.refresh_token).toBe(refreshes + 2);
    } finally {
      await home.cleanup();
    }
  });

  it('a revoked refresh token ends in needs-auth naming mcp-setup login', async () => {
    const home = await signedIn();
    try {
      const stored = await secrets(home);
      const client = JSON.parse(await (await import('node:fs/promises')).readFile(`${home.stateDir}/auth.json`, 'utf8')).servers[peer.mcpUrl].byIssuer[peer.issuer].client;
      const revoke = await fetch(`${peer.issuer}/token/revocation`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: stored!.refresh_token!, token_type_hint: 'refresh_token', client_id: client.client_id }),
      });
      expect(revoke.status).toBe(200);
      offset = 2 * 3600_000;
      const authProvider = await getAuthProvider(peer.mcpUrl, home.deps, { name: 'peer' });
      const error = await verifyServer({ url: peer.mcpUrl, fetch, now: () => Date.now(), authProvider }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('needs-auth');
      expect((error as UserError).exitCode).toBe(3);
      // The provider itself names the command with the server's name.
      const direct = await Promise.resolve(authProvider.prepareTokenRequest!()).catch((e: unknown) => e);
      expect((direct as UserError).code).toBe('needs-auth');
      expect((direct as UserError).nextSteps.join(' ')).toContain('mcp-setup login peer');
      expect(JSON.stringify({ m: (direct as Error).message, s: (direct as UserError).nextSteps })).not.toContain(stored!.refresh_token!);
      expect((await tokenStatus(peer.mcpUrl, home.deps)).present).toBe(false);
      expect(await accessToken(peer.mcpUrl, home.deps)).toBeUndefined();
    } finally {
      await home.cleanup();
    }
  });

  it('getAuthProvider without a sign-in throws needs-auth and never opens a browser', async () => {
    const home = await makeAuthHome();
    try {
      const error = await getAuthProvider(peer.mcpUrl, home.deps).catch((e: unknown) => e);
      expect((error as UserError).code).toBe('needs-auth');
      expect((error as UserError).nextSteps[0]).toBe(`Sign in again: mcp-setup login ${peer.mcpUrl}`);
      expect(home.opened).toHaveLength(0);
    } finally {
      await home.cleanup();
    }
  });

  it('step-up: a 403 insufficient_scope is fixed by logging in with the union of scopes', async () => {
    const home = await signedIn();
    try {
      peer.requireScope('mcp:admin');
      const authProvider = await getAuthProvider(peer.mcpUrl, home.deps);
      const error = await verifyServer({ url: peer.mcpUrl, fetch, now: () => Date.now(), authProvider }).catch((e: unknown) => e);
      expect((error as UserError).code).toBe('forbidden');
      const result = await login({ serverUrl: peer.mcpUrl, headless: false, scopes: ['mcp:admin'] }, home.deps);
      expect(result.scopes).toEqual(expect.arrayContaining(['mcp:tools', 'mcp:admin']));
      const verified = await verifyServer({ url: peer.mcpUrl, fetch, now: () => Date.now(), authProvider: await getAuthProvider(peer.mcpUrl, home.deps) });
      expect(verified.tools).toHaveLength(2);
    } finally {
      peer.requireScope(undefined);
      await home.cleanup();
    }
  });
});
