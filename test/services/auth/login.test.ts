import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startLogin, tokenStatus, getAuthProvider, logout } from '../../../src/services/auth/index.js';
import { FileSecretStore, secretAccount } from '../../../src/services/auth/store.js';
import { verifyServer } from '../../../src/services/mcp/verify.js';
import { makeAuthHome, startOidcPeer, type OidcPeer } from '../../helpers/oauth/index.js';

describe('login against oidc-provider', () => {
  let peer: OidcPeer;
  beforeAll(async () => {
    peer = await startOidcPeer();
  });
  afterAll(() => peer.close());

  it('signs in through the loopback callback, stores tokens 0600 in a 0700 dir, verifies and logs out', async () => {
    const home = await makeAuthHome();
    try {
      const urls: string[] = [];
      const result = await login({ serverUrl: peer.mcpUrl, headless: false }, home.deps, { onAuthUrl: (url) => urls.push(url) });
      expect(result.method).toBe('loopback');
      expect(result.issuer).toBe(peer.issuer);
      expect(result.tokenStorage).toBe('file');
      expect(result.scopes).toContain('mcp:tools');
      expect(home.opened).toHaveLength(1);
      const authUrl = new URL(urls[0]!);
      expect(authUrl.searchParams.get('resource')).toBe(peer.resource);
      expect(authUrl.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authUrl.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const visit = await home.visits[0]!;
      expect(visit.status).toBe(200);
      expect(visit.body).toContain('Signed in');

      const secretsDir = path.join(home.stateDir, 'secrets');
      expect((await stat(secretsDir)).mode & 0o777).toBe(0o700);
      const secretFile = new FileSecretStore(home.stateDir).fileFor(secretAccount(peer.mcpUrl, peer.issuer));
      expect((await stat(secretFile)).mode & 0o777).toBe(0o600);
      expect((await stat(path.join(home.stateDir, 'auth.json'))).mode & 0o777).toBe(0o600);
      const stateText = await readFile(path.join(home.stateDir, 'auth.json'), 'utf8');
      const secrets = await new FileSecretStore(home.stateDir).get(secretAccount(peer.mcpUrl, peer.issuer));
      expect(stateText).not.toContain(secrets!.access_token!);
      expect(stateText).not.toContain(secrets!.refresh_token!);
      const status = await tokenStatus(peer.mcpUrl, home.deps);
      expect(status).toMatchObject({ present: true, hasRefreshToken: true, issuer: peer.issuer, storage: 'file' });
      expect(JSON.stringify(status)).not.toMatch(/eyJ/);

      const authProvider = await getAuthProvider(peer.mcpUrl, home.deps);
      const verified = await verifyServer({ url: peer.mcpUrl, fetch, now: () => Date.now(), authProvider });
      expect(verified.tools.map((t) => t.name).sort()).toEqual(['echo', 'whoami']);

      const out = await logout(peer.mcpUrl, home.deps);
      expect(out).toEqual({ revoked: true, removed: true });
      expect(peer.counts.revocations).toBe(1);
      expect((await tokenStatus(peer.mcpUrl, home.deps)).present).toBe(false);
    } finally {
      await home.cleanup();
    }
  });
});

describe('headless sign-in', () => {
  let peer: OidcPeer;
  beforeAll(async () => {
    peer = await startOidcPeer();
  });
  afterAll(() => peer.close());

  it('takes a pasted redirect URL (quotes, bracketed paste) while the listener waits; refuses a wrong state first', async () => {
    const home = await makeAuthHome();
    try {
      home.deps.system = { ...home.deps.system, env: { ...home.deps.system.env, SSH_CONNECTION: '10.0.0.5 52000 10.0.0.9 2222', USER: 'dev' } };
      let landed: Promise<string> | undefined;
      const infos: { sshTunnel?: string; browserOpened: boolean }[] = [];
      const session = startLogin({ serverUrl: peer.mcpUrl, headless: true, grant: 'browser' }, home.deps, {
        onAuthUrl: (url, info) => {
          infos.push(info);
          // The user opens the URL on their own machine; the redirect to 127.0.0.1 fails there.
          landed = home.browser.browse(url, { stopAt: (u) => u.pathname === '/callback' }).then((r) => r.url);
        },
      });
      while (!landed) await new Promise((r) => setTimeout(r, 10));
      const callbackUrl = await landed;
      expect(home.opened).toHaveLength(0);
      const port = new URL(callbackUrl).port;
      expect(infos[0]).toMatchObject({ browserOpened: false, sshTunnel: `ssh -N -L ${port}:127.0.0.1:${port} -p 2222 dev@10.0.0.9` });

      const forged = new URL(callbackUrl);
      forged.searchParams.set('state', 'forged-state');
      const refused = await session.submitPaste(forged.href);
      expect(refused).toMatchObject({ ok: false, message: expect.stringContaining('state mismatch') });
      expect(await session.submitPaste('not a url at all!')).toMatchObject({ ok: false });

      const ok = await session.submitPaste(`\u001b[200~"${callbackUrl}"\u001b[201~`);
      expect(ok).toEqual({ ok: true });
      const result = await session.result;
      expect(result.method).toBe('paste');
      expect(result.warning).toBeUndefined();
      expect((await tokenStatus(peer.mcpUrl, home.deps)).present).toBe(true);
    } finally {
      await home.cleanup();
    }
  });

  it('accepts a bare code with a warning', async () => {
    const home = await makeAuthHome();
    try {
      let landed: Promise<string> | undefined;
      const session = startLogin({ serverUrl: peer.mcpUrl, headless: true, grant: 'browser' }, home.deps, {
        onAuthUrl: (url) => {
          landed = home.browser.browse(url, { stopAt: (u) => u.pathname === '/callback' }).then((r) => r.url);
        },
      });
      while (!landed) await new Promise((r) => setTimeout(r, 10));
      const code = new URL(await landed).searchParams.get('code')!;
      expect(await session.submitPaste('definitely-not-the-code')).toMatchObject({ ok: false });
      const ok = await session.submitPaste(` ${code} `);
      expect(ok).toMatchObject({ ok: true, warning: expect.stringContaining('state') });
      expect((await session.result).warning).toContain('state');
    } finally {
      await home.cleanup();
    }
  });

  it('uses the device grant when headless and advertised (resource included), then verifies', async () => {
    const home = await makeAuthHome();
    try {
      let approved: Promise<unknown> | undefined;
      const codes: { userCode: string; verificationUriComplete?: string }[] = [];
      const result = await login({ serverUrl: peer.mcpUrl, headless: true }, home.deps, {
        onDeviceCode: (info) => {
          codes.push(info);
          approved = home.browser.browse(info.verificationUriComplete!);
        },
      });
      await approved;
      expect(result.method).toBe('device');
      expect(codes[0]!.userCode).toMatch(/^[A-Z-]+$/);
      expect(home.opened).toHaveLength(0);
      const authProvider = await getAuthProvider(peer.mcpUrl, home.deps);
      const verified = await verifyServer({ url: peer.mcpUrl, fetch, now: () => Date.now(), authProvider });
      expect(verified.tools).toHaveLength(2);
    } finally {
      await home.cleanup();
    }
  });
});
