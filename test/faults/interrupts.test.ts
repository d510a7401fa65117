import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLogin } from '../../src/services/auth/index.js';
import { CancelledError } from '../../src/services/errors.js';
import { startEverything, type RunningServer } from '../helpers/everything.js';
import { makeAuthHome, startOidcPeer } from '../helpers/oauth/index.js';
import { KEYS, spawnPty } from '../helpers/pty.js';
import { makeTempHome } from '../helpers/temp-home.js';

// Campaign 6: Ctrl+C at every wizard step and during verify and sign-in, under a real pty.
const SHOW = '\u001B[?25h';
const HIDE = '\u001B[?25l';
const totals = { interrupts: 0, failures: 0 };
let server: RunningServer;
let slow: RunningServer;
beforeAll(async () => {
  [server, slow] = await Promise.all([startEverything(), startEverything({ delayMs: 8000 })]);
});
afterAll(async () => {
  console.log(`[faults] interrupts: ${totals.interrupts} Ctrl+C under a pty, ${totals.failures} failures`);
  await Promise.all([server.stop(), slow.stop()]);
});

type Step = { label: string; args: (s: RunningServer) => string[]; drive: (p: ReturnType<typeof spawnPty>, s: RunningServer) => Promise<void> };
const steps: Step[] = [
  { label: 'choose apps', args: () => [], drive: (p) => p.waitFor('Cursor  ✓ installed') },
  { label: 'scope', args: () => [], drive: async (p) => (await p.waitFor('Cursor  ✓ installed'), p.write(KEYS.enter), await p.waitFor('Who should get this server?')) },
  { label: 'URL (half typed)', args: () => ['--client', 'cursor', '--scope', 'user'], drive: async (p) => (await p.waitFor("What's the server's URL?"), p.write('https://half'), await p.waitFor('half')) },
  { label: 'verifying a slow server', args: () => ['--client', 'cursor', '--scope', 'user', '--url', slow.url], drive: (p) => p.waitFor('Connecting to') },
  {
    label: 'name',
    args: (s) => ['--client', 'cursor', '--scope', 'user', '--url', s.url],
    drive: async (p) => (await p.waitFor('Connected to'), p.write(KEYS.enter), await p.waitFor('What should the server be called?')),
  },
  {
    label: 'review',
    args: (s) => ['--client', 'cursor', '--scope', 'user', '--url', s.url],
    drive: async (p) => (await p.waitFor('Connected to'), p.write(KEYS.enter), await p.waitFor('What should the server be called?'), p.write(KEYS.enter), await p.waitFor('Write this to your config?')),
  },
];

describe('Ctrl+C under a real pty', () => {
  for (const step of steps) {
    it(`wizard: ${step.label} → exit 130, cursor restored, nothing written`, async () => {
      totals.interrupts++;
      const t = await makeTempHome({ path: path.dirname(process.execPath) });
      await mkdir(path.join(t.home, '.cursor'), { recursive: true });
      const p = spawnPty(step.args(server), { env: t.env, cwd: t.cwd });
      try {
        await step.drive(p, server);
        const t0 = Date.now();
        p.write(KEYS.ctrlC);
        const { exitCode } = await p.exit;
        const raw = p.raw();
        const problems = [
          ...(exitCode === 130 ? [] : [`exit ${exitCode}`]),
          ...(Date.now() - t0 < 3000 ? [] : ['slow to exit']),
          ...(raw.lastIndexOf(SHOW) > raw.lastIndexOf(HIDE) ? [] : ['cursor left hidden']),
          ...((await readdir(path.join(t.home, '.cursor'))).length === 0 ? [] : ['wrote a config file']),
          ...(existsSync(path.join(t.stateDir, 'last-change.json')) ? ['recorded a change'] : []),
          ...(/Unexpected error/.test(p.text()) ? ['crash output'] : []),
        ];
        if (problems.length) totals.failures++;
        expect(problems).toEqual([]);
      } finally {
        p.kill();
        await t.cleanup();
      }
    }, 30_000);
  }

  it('plain `verify` of a slow server: exit 130 promptly', async () => {
    totals.interrupts++;
    const t = await makeTempHome({ path: path.dirname(process.execPath) });
    const p = spawnPty(['verify', slow.url], { env: t.env, cwd: t.cwd });
    try {
      await p.waitFor(/Connecting|Checking|…/);
      const t0 = Date.now();
      p.write(KEYS.ctrlC);
      const { exitCode } = await p.exit;
      if (exitCode !== 130 || Date.now() - t0 > 3000) totals.failures++;
      expect(exitCode).toBe(130);
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      p.kill();
      await t.cleanup();
    }
  }, 30_000);

  it('sign-in (auth service, AbortSignal: `login` is not wired in the CLI yet): cancelled, callback port closed', async () => {
    totals.interrupts++;
    const peer = await startOidcPeer();
    const home = await makeAuthHome({ openBrowser: false });
    try {
      const controller = new AbortController();
      let redirect: URL | undefined;
      const session = startLogin({ serverUrl: peer.mcpUrl, headless: false, signal: controller.signal }, home.deps, {
        onAuthUrl: (u) => (redirect = new URL(new URL(u).searchParams.get('redirect_uri')!)),
      });
      while (!redirect) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      await expect(session.result).rejects.toBeInstanceOf(CancelledError);
      const open = await new Promise<boolean>((resolve) => {
        const s = net.connect(Number(redirect!.port), redirect!.hostname);
        s.on('connect', () => (s.destroy(), resolve(true)));
        s.on('error', () => resolve(false));
      });
      if (open) totals.failures++;
      expect(open).toBe(false);
      expect(peer.counts.authorization_code).toBe(0);
    } finally {
      await home.cleanup();
      await peer.close();
    }
  }, 30_000);
});
