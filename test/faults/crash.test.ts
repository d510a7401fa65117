import { mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { makeTempHome } from '../helpers/temp-home.js';
import { bundleChild, crashCampaign } from './harness.mjs';

// Campaign 1: SIGKILL at random moments while a real child process edits each format.
const TRIALS = Number(process.env.FAULT_CRASH_TRIALS ?? 8);
let bundle: string;
beforeAll(async () => {
  bundle = await bundleChild();
});

const totals = { trials: 0, failures: 0, midWrite: 0, cleaned: 0 };
afterAll(() => {
  console.log(`[faults] crash mid-write: ${totals.trials} SIGKILL trials, ${totals.failures} failures, ${totals.midWrite} kills left a temp file, ${totals.cleaned} temp files cleaned by the next run`);
});

describe('crash mid-write (SIGKILL)', () => {
  for (const format of ['json', 'jsonc', 'toml', 'yaml'] as const) {
    it(`${format}: the file is always a complete old or new version; the next run cleans leftovers`, async () => {
      const result = await crashCampaign({ bundle, format, trials: TRIALS, big: format === 'json' });
      totals.trials += result.trials;
      totals.failures += result.failures.length;
      totals.midWrite += result.killsMidWrite;
      totals.cleaned += result.tempsCleaned;
      expect(result.failures).toEqual([]);
      expect(result.states).toBeGreaterThanOrEqual(3);
    }, 60_000);
  }

  it('the built binary: `add` killed at random moments, then the next `add` cleans old temp files', async () => {
    const t = await makeTempHome({ path: path.dirname(process.execPath) });
    try {
      const file = path.join(t.home, '.cursor', 'mcp.json');
      await mkdir(path.dirname(file), { recursive: true });
      const before = JSON.stringify({ mcpServers: { keep: { url: 'https://keep.example/mcp' } } }, null, 2) + '\n';
      await writeFile(file, before);
      const args = ['add', '--client', 'cursor', '--url', 'https://crash.example/mcp', '--name', 'crashy', '--no-verify', '--yes', '--force'];
      let afterText: string | undefined;
      const n = Math.max(4, Math.round(TRIALS / 2));
      for (let i = 0; i < n; i++) {
        const child = spawn(process.execPath, [BIN, ...args], { cwd: t.cwd, env: { ...t.env, NODE_OPTIONS: '' }, stdio: 'ignore' });
        setTimeout(() => child.kill('SIGKILL'), 40 + Math.random() * 400);
        await new Promise((r) => child.on('close', r));
        totals.trials++;
        const text = await readFile(file, 'utf8');
        if (text !== before) afterText ??= text;
        expect([before, afterText]).toContain(text);
      }
      // Plant a crash leftover from "earlier" and one fresh temp file (another run in flight).
      const old = path.join(path.dirname(file), '.mcp.json.mcp-setup-0123456789ab.tmp');
      const fresh = path.join(path.dirname(file), '.mcp.json.mcp-setup-ba9876543210.tmp');
      await writeFile(old, '{"half":');
      await writeFile(fresh, '{"in-flight":');
      const longAgo = new Date(Date.now() - 10 * 60_000);
      // Whatever the kills above left is also "earlier" (older than the 60 s staleness bar).
      for (const leftover of (await readdir(path.dirname(file))).filter((e) => e.endsWith('.tmp') && e !== path.basename(fresh))) {
        await utimes(path.join(path.dirname(file), leftover), longAgo, longAgo);
      }
      const done = await runCli(args, { env: t.env, cwd: t.cwd });
      expect(done.code).toBe(0);
      const left = (await readdir(path.dirname(file))).filter((e) => e.endsWith('.tmp'));
      expect(left).toEqual([path.basename(fresh)]);
      expect(JSON.parse(await readFile(file, 'utf8')).mcpServers).toEqual({ keep: { url: 'https://keep.example/mcp' }, crashy: { url: 'https://crash.example/mcp' } });
    } finally {
      await t.cleanup();
    }
  }, 60_000);
});
