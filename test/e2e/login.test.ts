import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScriptedBrowser, startOidcPeer, type OidcPeer } from '../helpers/oauth/index.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';

let t: TempHome;
let peer: OidcPeer | undefined;
beforeEach(async () => {
  t = await makeTempHome({ path: path.dirname(process.execPath), env: { MCP_SETUP_TOKEN_STORE: 'file' } });
});
afterEach(async () => {
  await peer?.close();
  peer = undefined;
  await t.cleanup();
});

/** Run `mcp-setup login` without a TTY and hand each URL it prints on stderr to `onUrl`. */
function login(args: string[], onStderr: (text: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'login', ...args], { cwd: t.cwd, env: t.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
      onStderr(stderr);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`login timed out; stderr:\n${stderr}`));
    }, 25_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('mcp-setup login / verify / logout against oidc-provider (no TTY, no display)', () => {
  it('loopback: prints the URL, a browser approves, tokens stored 0600; verify uses them; logout revokes', async () => {
    peer = await startOidcPeer({ deviceFlow: false });
    const browser = new ScriptedBrowser();
    let visited = false;
    const result = await login([peer.mcpUrl], (stderr) => {
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\S*auth\S*)/.exec(stderr)?.[1];
      if (url && !visited) {
        visited = true;
        void browser.browse(url);
      }
    });
    expect(result.stderr).toContain('open this link in a browser');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Signed in to ${peer.mcpUrl}`);
    expect(result.stdout).toContain('Apps sign in themselves');

    const secrets = path.join(t.stateDir, 'secrets');
    expect((await stat(secrets)).mode & 0o777).toBe(0o700);
    for (const f of await readdir(secrets)) {
      expect((await stat(path.join(secrets, f))).mode & 0o777).toBe(0o600);
      const token = JSON.parse(await readFile(path.join(secrets, f), 'utf8'));
      const secretValues = Object.values(token).filter((v): v is string => typeof v === 'string' && v.length > 20);
      for (const v of secretValues) expect(result.stdout + result.stderr).not.toContain(v);
    }

    const verify = await runCli(['verify', peer.mcpUrl, '--json'], { env: t.env, cwd: t.cwd });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout).tools.length).toBeGreaterThan(0);

    const logout = await runCli(['logout', peer.mcpUrl], { env: t.env, cwd: t.cwd });
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain('Signed out');
    expect(peer.counts.revocations).toBeGreaterThan(0);

    const after = await runCli(['verify', peer.mcpUrl], { env: t.env, cwd: t.cwd });
    expect(after.code).toBe(3);
    expect(after.stderr).toContain('needs sign-in');
  });

  it('headless with a device grant: shows the one-time code and finishes when it is approved', async () => {
    peer = await startOidcPeer({ deviceFlow: true, deviceInterval: 1 });
    const browser = new ScriptedBrowser();
    let visited = false;
    const result = await login([peer.mcpUrl], (stderr) => {
      const url = /Then open (\S+) on any device/.exec(stderr)?.[1];
      if (url && !visited) {
        visited = true;
        void browser.browse(url);
      }
    });
    expect(result.stderr).toMatch(/one-time code: \S+/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Signed in');
  });

  it('a bad flag value is a usage error', async () => {
    const result = await runCli(['login', 'https://example.com/mcp', '--callback-port', 'abc'], { env: t.env, cwd: t.cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--callback-port');
  });
});
