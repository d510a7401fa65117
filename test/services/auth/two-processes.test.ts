import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../../src/services/auth/index.js';
import { makeAuthHome, startOidcPeer, type OidcPeer } from '../../helpers/oauth/index.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../../..');

// A child that asks a provider for tokens, as verify/doctor/the bridge would in another process.
const CHILD = `
import { getAuthProvider } from ${JSON.stringify(path.join(repo, 'src/services/auth/index.ts'))};
const [stateDir, url, offset] = process.argv.slice(2);
const deps = {
  system: { platform: 'linux', home: stateDir, cwd: stateDir, env: {}, isWsl: false },
  fetch, now: () => Date.now() + Number(offset), which: async () => null, stateDir,
  openBrowser: async () => false, authConfig: { tokenStore: 'file' },
};
const provider = await getAuthProvider(url, deps);
const tokens = await provider.tokens();
process.stdout.write(tokens.access_token);
`;

describe('two processes refreshing at once', () => {
  let peer: OidcPeer;
  let script: string;
  beforeAll(async () => {
    peer = await startOidcPeer();
    const dir = path.join(repo, 'node_modules', '.cache', 'mcp-setup-auth-tests');
    await mkdir(dir, { recursive: true });
    script = path.join(dir, `child-${process.pid}.mjs`);
    await build({ stdin: { contents: CHILD, loader: 'ts', resolveDir: repo }, bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: script, logLevel: 'silent' });
  });
  afterAll(async () => {
    await peer.close();
    await rm(script, { force: true });
  });

  it('spend the rotating refresh token exactly once (file lock)', async () => {
    const home = await makeAuthHome();
    try {
      await login({ serverUrl: peer.mcpUrl, headless: false }, home.deps);
      const before = peer.counts.refresh_token;
      const offset = String(2 * 3600_000);
      const [a, b] = await Promise.all([
        run(process.execPath, [script, home.stateDir, peer.mcpUrl, offset]),
        run(process.execPath, [script, home.stateDir, peer.mcpUrl, offset]),
      ]);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout.length).toBeGreaterThan(20);
      expect(peer.counts.refresh_token).toBe(before + 1);
      expect(peer.counts.tokenErrors).toBe(0);
    } finally {
      await home.cleanup();
    }
  });
});
