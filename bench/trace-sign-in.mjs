#!/usr/bin/env node
// Where the time of a sign-in goes (investigation aid for the sign-in figure; not run by run.mjs).
// Runs `mcp-setup login` and bench/sdk-auth.mjs alternately against the bundled oidc-peer with
// request tracing on, the approving browser wrapped so its start/end are stamped too, and prints
// each run's timeline relative to spawn: every request the peer served, browser start/end, exit.
// Usage: node bench/trace-sign-in.mjs [--runs 5] [--stamp] [--cpu-prof DIR]
// (--stamp: bench/hooks/stamp.mjs marks each process's output lines and exit in the timeline)   (build first: npm run build)
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, median } from './lib.mjs';
import { BROWSER_SCRIPT, freshRun, startPeer } from './sign-in.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const RUNS = Number(opt('runs', 5));
const PROF = opt('cpu-prof', '');
const STAMP = argv.includes('--stamp');
const trace = path.join(os.tmpdir(), `mcp-setup-signin-trace-${process.pid}.log`);
const wrapper = path.join(os.tmpdir(), `mcp-setup-signin-browser-${process.pid}.mjs`);
writeFileSync(trace, '');
writeFileSync(
  wrapper,
  `import { appendFileSync } from 'node:fs';\n` +
    `const now = () => performance.timeOrigin + performance.now();\n` +
    `appendFileSync(${JSON.stringify(trace)}, now() + ' browser-start (' + Math.round(now() - performance.timeOrigin) + ' ms after its spawn)\\n');\n` +
    `process.on('exit', () => appendFileSync(${JSON.stringify(trace)}, now() + ' browser-exit\\n'));\n` +
    `await import(${JSON.stringify(new URL(`file://${BROWSER_SCRIPT}`).href)});\n`,
);
const now = () => performance.timeOrigin + performance.now();
const peer = await startPeer({ trace });
const totals = { cli: [], sdk: [] };
const phases = { cli: {}, sdk: {} };
const PHASES = ['start → first request', 'first request → browser spawned', 'browser spawned → browser running', 'browser running → code issued', 'code issued → tokens', 'tokens → exit'];
try {
  for (let i = 0; i < RUNS + 1; i++) {
    for (const who of i % 2 ? ['sdk', 'cli'] : ['cli', 'sdk']) {
      const args = who === 'cli' ? [BIN, 'login', peer.mcpUrl] : [path.join(ROOT, 'bench', 'sdk-auth.mjs'), peer.mcpUrl];
      if (STAMP) args.unshift('--import', new URL('./hooks/stamp.mjs', import.meta.url).href);
      if (PROF) args.unshift('--cpu-prof', '--cpu-prof-dir', PROF, '--cpu-prof-name', `${who}-${i}.cpuprofile`);
      const mark = readFileSync(trace, 'utf8').length;
      const t0 = now();
      appendFileSync(trace, `${t0} spawn ${who}\n`);
      const r = await freshRun(`trace-${who}`, args, () => true, { BROWSER: `node ${wrapper}`, ...(STAMP ? { BENCH_STAMP: trace } : {}) });
      const t1 = now();
      appendFileSync(trace, `${t1} exit ${who}\n`);
      if (i === 0) continue; // warm-up
      totals[who].push(t1 - t0);
      const lines = readFileSync(trace, 'utf8').slice(mark).trim().split('\n');
      const at = (re, last = false) => {
        const hits = lines.filter((l) => re.test(l)).map((l) => Number(l.split(' ')[0]) - t0);
        return last ? hits.at(-1) : hits[0];
      };
      const marks = [0, at(/ req /), at(/browser-start/) - Number(/\((\d+) ms after/.exec(lines.find((l) => /browser-start/.test(l)))[1]), at(/browser-start/), at(/res \d+ GET \/auth\/\S+ 303/, true), at(/res \d+ POST \/token 200/, true), t1 - t0];
      PHASES.forEach((name, k) => (phases[who][name] ??= []).push(marks[k + 1] - marks[k]));
      const rows = lines.map((l) => {
        const [t, ...rest] = l.split(' ');
        return `${String(Math.round(Number(t) - t0)).padStart(5)} ms  ${rest.join(' ')}`;
      });
      process.stdout.write(`\n── ${who} run ${i}: ${Math.round(t1 - t0)} ms (wall ${Math.round(r.ms)} ms)\n${rows.join('\n')}\n`);
    }
  }
} finally {
  await peer.stop();
  rmSync(trace, { force: true });
  rmSync(wrapper, { force: true });
}
process.stdout.write(`\nphase medians (ms)      cli    sdk\n${PHASES.map((p) => `${p.padEnd(34)} ${String(Math.round(median(phases.cli[p]))).padStart(5)} ${String(Math.round(median(phases.sdk[p]))).padStart(6)}`).join('\n')}\n`);
process.stdout.write(`\nmedians: cli ${Math.round(median(totals.cli))} ms, sdk ${Math.round(median(totals.sdk))} ms\n`);
