import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startLogin, tokenStatus, getAuthProvider, logout } from '../../../src/services/auth/index.js';
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
