import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../../src/services/demo/index.js';
import { getAuthProvider, login, logout } from '../../../src/services/auth/index.js';
import { UserError } from '../../../src/services/errors.js';
import { verifyServer } from '../../../src/services/mcp/verify.js';
import { makeAuthHome } from '../../helpers/oauth/index.js';

describe('the built-in demo server', () => {
  let demo: DemoServer;
  beforeAll(async () => {
    demo = await startDemoServer();
  });
  afterAll(() => demo.close());

  it('answers 401 with a resource_metadata challenge', async () => {
    const response = await fetch(demo.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('resource_metadata=');
    expect(new URL(demo.url).hostname).toBe('127.0.0.1');
  });

  it('signs in end to end: DCR, consent page (Approve), callback with iss, tools, revoke', async () => {
    const home = await makeAuthHome();
    try {
      const result = await login({ serverUrl: demo.url, headless: false }, home.deps);
      expect(result).toMatchObject({ method: 'loopback', issuer: demo.issuer, tokenStorage: 'file' });
      const visit = await home.visits[0]!;
      expect(visit.visited.some((u) => u.endsWith('/consent'))).toBe(true);
      const authProvider = await getAuthProvider(demo.url, home.deps);
      const verified = await verifyServer({ url: demo.url, fetch, now: () => Date.now(), authProvider });
      expect(verified.tools.map((t) => t.name).sort()).toEqual(['add', 'greet', 'server_time']);
      expect(await logout(demo.url, home.deps)).toEqual({ revoked: true, removed: true });
    } finally {
      await home.cleanup();
    }
  });

  it('Deny on the consent page fails the sign-in with a clear message', async () => {
    const home = await makeAuthHome();
    try {
      const deny = async (url: string) => {
        // Submit the consent form with the Deny button instead of Approve.
        const page = await fetch(url, { redirect: 'manual' });
        const html = await page.text();
        const request = /name="request" value="([^"]+)"/.exec(html)![1]!;
        const answer = await fetch(new URL('/consent', url), {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ request, deny: 'yes' }),
          redirect: 'manual',
        });
        await fetch(answer.headers.get('location')!).catch(() => {});
        return true;
      };
      const error = await login({ serverUrl: demo.url, headless: false }, { ...home.deps, openBrowser: deny }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe('Sign-in was declined in the browser.');
    } finally {
      await home.cleanup();
    }
  });
});
