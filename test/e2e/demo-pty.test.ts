import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEYS, spawnPty, type PtySession } from '../helpers/pty.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';

const browser = fileURLToPath(new URL('../fixtures/approving-browser.mjs', import.meta.url));

let t: TempHome;
let session: PtySession | undefined;
beforeEach(async () => {
  t = await makeTempHome({ path: path.dirname(process.execPath), env: { MCP_SETUP_TOKEN_STORE: 'file' } });
});
afterEach(async () => {
  session?.kill();
  session = undefined;
  await t.cleanup();
});

describe('mcp-setup demo, the whole product in a real terminal', () => {
  it('demo server → sign in through the consent page → live tools → write into the sandbox only', async () => {
    const log = path.join(t.root, 'browser.log');
    session = spawnPty(['demo'], { env: { ...t.env, BROWSER: `node ${browser}`, APPROVING_BROWSER_LOG: log }, cwd: t.cwd });
    await session.waitFor('Which apps should use this server?');
    session.write(KEYS.enter); // Claude Code
    await session.waitFor('Who should get this server?');
    session.write(KEYS.enter);
    await session.waitFor('This server needs sign-in.');
    await session.waitFor('❯ Sign in now');
    session.write(KEYS.enter);
    await session.waitFor('Connected to', 30_000);
    session.write(KEYS.enter);
    await session.waitFor('What should the server be called?');
    session.write(KEYS.enter);
    await session.waitFor('Write this to your config?');
    session.mark();
    session.write(KEYS.enter);
    const { exitCode } = await session.exit;
    expect(exitCode).toBe(0);
    expect(session.text()).toContain('That was a demo');
    expect(await readFile(log, 'utf8')).toMatch(/done 200 \/callback/);
    const sandboxed = JSON.parse(await readFile(path.join(t.stateDir, 'demo-sandbox', 'home', '.claude.json'), 'utf8'));
    expect(sandboxed.mcpServers.demo).toMatchObject({ type: 'http', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/) });
    await expect(readFile(path.join(t.home, '.claude.json'), 'utf8')).rejects.toThrow();
  });

  it('without a terminal it serves and prints its URL; verify sees a server that needs sign-in', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/run-cli.js');
    const child = spawn(process.execPath, [BIN, 'demo'], { env: t.env, cwd: t.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c;
          const m = /(http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`demo exited ${code}`)));
      });
      const verify = await runCli(['verify', url], { env: t.env, cwd: t.cwd });
      expect(verify.code).toBe(3);
    } finally {
      child.stdin.end();
      await new Promise((r) => child.once('exit', r));
    }
    expect(child.exitCode).toBe(0);
  });
});
