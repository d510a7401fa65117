import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEverything, type RunningServer } from '../helpers/everything.js';
import { KEYS, spawnPty, type PtySession } from '../helpers/pty.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startEverything();
});
afterAll(() => server.stop());

let t: TempHome;
let session: PtySession | undefined;
beforeEach(async () => {
  t = await makeTempHome({ path: path.dirname(process.execPath) });
  await mkdir(path.join(t.home, '.cursor'), { recursive: true });
});
afterEach(async () => {
  session?.kill();
  session = undefined;
  await t.cleanup();
});

const SHOW_CURSOR = '\u001B[?25h';

describe('the built binary in a real pseudo-terminal', () => {
  it('walks the whole wizard against server-everything and writes ~/.cursor/mcp.json', async () => {
    session = spawnPty([], { env: t.env, cwd: t.cwd });
    await session.waitFor('Cursor  ✓ installed');
    session.write(KEYS.enter);
    await session.waitFor('Who should get this server?');
    session.write(KEYS.enter);
    await session.waitFor("What's the server's URL?");
    session.write(server.url);
    await session.waitFor(server.url);
    session.mark();
    session.write(KEYS.enter);
    await session.waitFor('Connected to Everything Reference Server');
    session.write(KEYS.enter);
    await session.waitFor('What should the server be called?');
    session.write(KEYS.enter);
    await session.waitFor('Write this to your config?');
    session.write(KEYS.enter);
    const { exitCode } = await session.exit;
    const text = session.text();
    expect(exitCode).toBe(0);
    expect(text).toContain('Added everything in Cursor (user)');
    expect(text).toContain(`npx mcp-setup add --client cursor --url ${server.url} --name everything --scope user --yes`);
    expect(session.raw().lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(-1);
    expect(JSON.parse(await readFile(path.join(t.home, '.cursor', 'mcp.json'), 'utf8'))).toEqual({ mcpServers: { everything: { url: server.url } } });
  });

  it('Ctrl+C at the URL step: exit 130, cursor restored, nothing written', async () => {
    session = spawnPty(['--client', 'cursor', '--scope', 'user'], { env: t.env, cwd: t.cwd });
    await session.waitFor("What's the server's URL?");
    session.write('https://half-typed');
    await session.waitFor('half-typed');
    session.write(KEYS.ctrlC);
    const { exitCode } = await session.exit;
    expect(exitCode).toBe(130);
    expect(session.text()).toContain('Cancelled. Nothing was written.');
    const raw = session.raw();
    expect(raw.lastIndexOf(SHOW_CURSOR)).toBeGreaterThan(raw.lastIndexOf('\u001B[?25l'));
    expect(await readdir(path.join(t.home, '.cursor'))).toEqual([]);
    await expect(stat(t.stateDir)).rejects.toThrow();
  });

  it('Ctrl+C while verifying a slow server: exit 130 promptly', async () => {
    const slow = await startEverything({ delayMs: 5000 });
    try {
      session = spawnPty(['--client', 'cursor', '--scope', 'user', '--url', slow.url], { env: t.env, cwd: t.cwd });
      await session.waitFor('Connecting to');
      const t0 = Date.now();
      session.write(KEYS.ctrlC);
      const { exitCode } = await session.exit;
      expect(exitCode).toBe(130);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(await readdir(path.join(t.home, '.cursor'))).toEqual([]);
    } finally {
      await slow.stop();
    }
  });
});
