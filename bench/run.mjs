#!/usr/bin/env node
// mcp-setup benchmark suite (issue 7). Run with `npm run bench` (builds first), or
// `node bench/run.mjs [--runs N] [--only a,b] [--write]` on an existing build.
// Every timed figure is a whole-process median of N interleaved runs (round-robin with its
// baseline, measured in the same run) and reported as a ratio against that baseline.
// Exits 1 when a target is missed or a check fails. Not part of `npm test`.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN, HEAVY_PACKAGES, ROOT, interleaved, median, recordLoads, startEverything, tempHome, timeProcess, timePtyUntil } from './lib.mjs';
import { signInFigure } from './sign-in.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const RUNS = Math.max(7, Number(opt('runs', 9)));
const STARTUP_RUNS = Math.max(RUNS, 21);
const ONLY = opt('only', '')?.split(',').filter(Boolean) ?? [];
const WRITE = argv.includes('--write');
const want = (name) => !ONLY.length || ONLY.includes(name);

const node = process.execPath;
const figures = []; // { figure, baseline, value, base, ratio, target, status, note }
const checks = []; // { check, ok, note }
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const fmtMs = (x) => (x == null ? '—' : `${Math.round(x)} ms`);
const fmtIqr = (r) => `${Math.round(r.iqr[0])}–${Math.round(r.iqr[1])}`;

function addRatio(figure, baseline, r, b, target, note = '') {
  const ratio = r.median / b.median;
  // Same-round pairs share the machine's state: their median ratio shows how much is noise.
  const paired = median(r.samples.map((x, i) => x / b.samples[i]));
  note = `paired median ${paired.toFixed(2)}×${note ? `; ${note}` : ''}`;
  figures.push({
    figure,
    baseline,
    value: `${fmtMs(r.median)} (IQR ${fmtIqr(r)})`,
    base: `${fmtMs(b.median)} (IQR ${fmtIqr(b)})`,
    ratio: `${ratio.toFixed(2)}×`,
    target: `≤ ${target.toFixed(1)}×`,
    status: ratio <= target ? 'ok' : 'MISSED',
    note,
  });
}
function addNotMeasured(figure, baseline, target, note) {
  figures.push({ figure, baseline, value: '—', base: '—', ratio: '—', target, status: 'not measured yet', note });
}
function check(name, ok, note = '') {
  checks.push({ check: name, ok, note });
  log(`${ok ? '✔' : '✘'} ${name}${note ? ` — ${note}` : ''}`);
}

/**
 * Does the built CLI offer this command with these flags yet? Planned commands answer "isn't
 * available in this version yet", and flags not there yet are usage errors (exit 2). Returns
 * null when available, else why not.
 */
async function unavailable(args, env, cwd) {
  const r = await timeProcess({ args: [BIN, ...args], env, cwd });
  if (/isn't available/.test(r.stdout + r.stderr)) return `\`${args[0]}\` not available yet`;
  if (r.code === 2) {
    let message = (r.stderr || r.stdout).trim().split('\n')[0];
    try {
      message = JSON.parse(r.stdout).error.message;
    } catch {
      // plain text
    }
    return `\`${args.join(' ')}\` not available yet (${message})`;
  }
  return null;
}

/** Run one part of the suite; a crash is a failed check, and the rest still runs. */
async function section(name, fn) {
  if (!want(name)) return;
  try {
    await fn();
  } catch (error) {
    check(`${name} ran to the end`, false, error?.stack ?? String(error));
  }
}

const cleanups = [];
let base = { env: { ...process.env, NODE_OPTIONS: '' } };

try {
  const home = await tempHome('main');
  cleanups.push(home.cleanup);
  await mkdir(path.join(home.home, '.cursor'), { recursive: true });
  base = home;

  // ── 1. What --help / --version load (proof that Ink, React and the SDK stay out) ─────────────
  await section('startup', async () => {
    // Bare flags take the shim's fast path; the others go through dist/cli.js and main().
    for (const args of [['--version'], ['--help'], ['--version', '--json'], ['add', '--help'], ['verify', '--help']]) {
      const r = await recordLoads(args, { env: home.env, cwd: home.cwd });
      const heavy = HEAVY_PACKAGES.filter((p) => r.packages.has(p));
      const kb = r.distFiles.reduce((n, f) => n + f.bytes, 0) / 1024;
      const cjsPkgs = r.cjs.filter((p) => p.includes('node_modules'));
      check(`\`${args.join(' ')}\` loads no Ink/React/SDK/open`, r.code === 0 && heavy.length === 0 && cjsPkgs.length === 0, `${r.distFiles.length} dist JS files, ${kb.toFixed(1)} kB${heavy.length ? `; HEAVY: ${heavy.join(', ')}` : ''}${cjsPkgs.length ? `; CJS: ${cjsPkgs.join(', ')}` : ''}`);
    }
  });

  // ── 2. --version, --help, wizard first frame vs node -e 0 ─────────────────────────────────────
  await section('startup', async () => {
    log(`startup: ${STARTUP_RUNS} interleaved rounds…`);
    const tasks = {
      baseline: () => timeProcess({ args: ['-e', '0'], env: home.env, cwd: home.cwd }),
      version: () => timeProcess({ args: [BIN, '--version'], env: home.env, cwd: home.cwd }),
      help: () => timeProcess({ args: [BIN, '--help'], env: home.env, cwd: home.cwd }),
      wizard: async () => {
        const r = await timePtyUntil({ args: [BIN], env: home.env, cwd: home.cwd, marks: { frame: /\S/, ink: 'mcp-setup · step', list: 'Cursor' } });
        if (r.error) throw r.error;
        wizardInkTimes.push(r.at.ink);
        wizardListTimes.push(r.at.list);
        return r;
      },
    };
    const wizardInkTimes = [];
    const wizardListTimes = [];
    // Cheap whole processes: more rounds than the default, since one busy neighbour moves a 40 ms figure a lot.
    const res = await interleaved(tasks, { runs: STARTUP_RUNS });
    addRatio('`mcp-setup --version`', '`node -e 0`', res.version, res.baseline, 1.3);
    addRatio('`mcp-setup --help`', '`node -e 0`', res.help, res.baseline, 1.5);
    const med = (xs) => median(xs.slice(-STARTUP_RUNS));
    addRatio(
      "wizard's first frame (pty)",
      '`node -e 0`',
      res.wizard,
      res.baseline,
      2.5,
      `first paint is the pre-Ink placeholder; Ink's first frame median ${fmtMs(med(wizardInkTimes))} (${(med(wizardInkTimes) / res.baseline.median).toFixed(2)}×), app list on screen ${fmtMs(med(wizardListTimes))}`,
    );
  });

  // ── 3. verify URL vs a plain SDK script ───────────────────────────────────────────────────────
  await section('verify', async () => {
    const server = await startEverything();
    cleanups.push(server.stop);
    log(`verify: ${RUNS} interleaved rounds against ${server.url}…`);
    const ok = (r, what) => {
      if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.slice(-800)}`);
      return r;
    };
    const res = await interleaved(
      {
        sdk: async () => ok(await timeProcess({ args: [path.join(ROOT, 'bench', 'sdk-verify.mjs'), server.url], env: { ...home.env }, cwd: ROOT }), 'sdk-verify'),
        verify: async () => ok(await timeProcess({ args: [BIN, 'verify', server.url], env: home.env, cwd: home.cwd }), 'mcp-setup verify'),
      },
      { runs: RUNS },
    );
    addRatio('`mcp-setup verify URL`', 'plain SDK connect + tools/list (bench/sdk-verify.mjs)', res.verify, res.sdk, 0.8);
  });

  // ── 4. sign-in end to end (hook) ──────────────────────────────────────────────────────────────
  await section('signin', async () => {
    const figure = await signInFigure();
    if (!figure) addNotMeasured('sign-in end to end (scripted browser)', 'plain SDK `auth()` script', '≤ 1.0×', 'hook in bench/sign-in.mjs; OAuth code not landed yet');
    else {
      const { cmd, baseline, verify, stop, mcpUrl } = await figure.setup();
      cleanups.push(stop);
      log(`signin: ${RUNS} interleaved rounds against ${mcpUrl}…`);
      const res = await interleaved({ base: baseline, cmd }, { runs: RUNS });
      const v = await verify();
      check('sign-in runs each registered and signed in from scratch', v.ok, v.note);
      addRatio('sign-in end to end (scripted browser)', 'plain SDK `auth()` script (bench/sdk-auth.mjs)', res.cmd, res.base, 1.0);
    }
  });

  // ── 5. list with health / doctor --all: 20 slow servers vs 1 ──────────────────────────────────
  for (const [key, args, label] of [
    ['list', ['list', '--json'], '`list` with health, 20 servers × 200 ms'],
    ['doctor', ['doctor', '--all', '--json'], '`doctor --all`, 20 servers × 200 ms'],
  ]) {
    await section(key, async () => {
      const why = await unavailable(args, home.env, home.cwd);
      if (why) {
        addNotMeasured(label, 'the same over 1 server', '≤ 1.5×', why);
        return;
      }
      const slow = await startEverything({ delayMs: 200 });
      cleanups.push(slow.stop);
      const homes = {};
      for (const n of [1, 20]) {
        const h = await tempHome(`${key}${n}`);
        cleanups.push(h.cleanup);
        const mcpServers = {};
        // Distinct URLs on the one slowed server (the fixture serves every /mcp… path).
        for (let i = 1; i <= n; i++) mcpServers[`slow${i}`] = { url: `${slow.url}/s${i}` };
        await mkdir(path.join(h.home, '.cursor'), { recursive: true });
        await writeFile(path.join(h.home, '.cursor', 'mcp.json'), JSON.stringify({ mcpServers }, null, 2));
        homes[n] = h;
      }
      log(`${key}: ${RUNS} interleaved rounds…`);
      const run = (h) => async () => {
        const r = await timeProcess({ args: [BIN, ...args], env: h.env, cwd: h.cwd, timeoutMs: 120_000 });
        if (r.code !== 0) throw new Error(`mcp-setup ${args.join(' ')} exited ${r.code}: ${(r.stderr || r.stdout).slice(-800)}`);
        return r;
      };
      const res = await interleaved({ one: run(homes[1]), twenty: run(homes[20]) }, { runs: RUNS });
      addRatio(label, 'the same over 1 server', res.twenty, res.one, 1.5);
    });
  }

  // ── 6. packed tarball, installed packages, offline install smoke test ─────────────────────────
  await section('pack', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-setup-bench-pack-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const app = path.join(dir, 'app');
    await mkdir(app);
    await writeFile(path.join(app, 'package.json'), '{"name":"bench-app","private":true}\n');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(dir, packed.filename)], { cwd: app, stdio: 'ignore' });
    const lock = JSON.parse(await readFile(path.join(app, 'node_modules', '.package-lock.json'), 'utf8'));
    const installed = Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/')).length;
    const installedBin = path.join(app, 'node_modules', 'mcp-setup', 'bin', 'mcp-setup.js');
    figures.push({
      figure: 'packed tarball / installed packages',
      baseline: 'add-mcp 48.5 kB / 11 packages',
      value: `${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked, ${packed.entryCount} files / ${installed} package(s)`,
      base: '48.5 kB / 11',
      ratio: `${(packed.size / 1000 / 48.5).toFixed(1)}× size`,
      target: '≤ 1 MB, ≤ 3 packages',
      status: packed.size <= 1_000_000 && installed <= 3 ? 'ok' : 'MISSED',
      note: 'npm install --offline <tgz> into an empty folder',
    });
    const v = await timeProcess({ args: [installedBin, '--version'], env: base.env, cwd: app });
    const h = await timeProcess({ args: [installedBin, '--help'], env: base.env, cwd: app });
    check('installed tarball: --version, --help', v.code === 0 && /\d+\.\d+\.\d+/.test(v.stdout) && h.code === 0 && /Usage/.test(h.stdout), v.stdout.trim());
    const server = await startEverything();
    cleanups.push(server.stop);
    const vr = await timeProcess({ args: [installedBin, 'verify', server.url], env: base.env, cwd: app });
    check('installed tarball: verify against server-everything', vr.code === 0 && /Connected/.test(vr.stdout + vr.stderr), `exit ${vr.code}`);
    const shipped = packed.files.map((f) => f.path);
    const stray = shipped.filter((p) => !/^(package\.json|README\.md|LICENSE|bin\/mcp-setup\.js|bin\/package\.json|dist\/cli\.js|dist\/fast-paths\.json|dist\/chunks\/[^/]+\.js)$/.test(p));
    check('tarball ships only the shim, dist/cli.js, dist/chunks, dist/fast-paths.json', stray.length === 0, stray.join(', '));
  });

  // ── 7. peak memory of the wizard (full walk, verify step included) ────────────────────────────
  await section('rss', async () => {
    const server = await startEverything();
    cleanups.push(server.stop);
    const h = await tempHome('rss');
    cleanups.push(h.cleanup);
    await mkdir(path.join(h.home, '.cursor'), { recursive: true });
    const haveTime = existsSync('/usr/bin/time') && (await timeProcess({ command: '/usr/bin/time', args: ['-v', 'true'] })).code === 0;
    const out = path.join(h.root, 'rss.txt');
    const spawnArgs = haveTime
      ? { command: '/usr/bin/time', args: ['-v', '-o', out, node, BIN] }
      : { command: node, args: ['--import', new URL('./hooks/max-rss.mjs', import.meta.url).href, BIN], env: { ...h.env, MCP_SETUP_MAXRSS_FILE: out } };
    // Answer whatever screen comes up (the step list depends on the apps and flags) until the
    // wizard writes the config and exits; the URL screen gets the fixture's URL.
    const walk = async ({ write, text }) => {
      const prompts = ["What's the server's URL?", 'Connected to', 'Who should get this server?', 'What should the server be called?', 'Write this to your config?', 'Which apps'];
      write('\r'); // the app list is on screen: take the pre-selected app (Cursor, installed)
      let seen = text().length;
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        const fresh = text().slice(seen);
        const hit = prompts.find((p) => fresh.includes(p));
        if (/Added /.test(fresh)) return;
        if (/Nothing was written|✘/.test(fresh)) throw new Error(`wizard ended without writing: ${fresh.trim().split('\n').slice(-3).join(' / ')}`);
        if (!hit) continue;
        seen = text().length;
        if (hit === "What's the server's URL?") {
          write(server.url);
          await new Promise((r) => setTimeout(r, 200));
        }
        write('\r');
      }
      throw new Error(`wizard walk timed out; screen:\n${text().slice(-800)}`);
    };
    const r = await timePtyUntil({ ...spawnArgs, env: spawnArgs.env ?? h.env, cwd: h.cwd, marks: { list: 'Cursor' }, afterMatch: walk, timeoutMs: 60_000 });
    let kb = null;
    try {
      const text = readFileSync(out, 'utf8');
      kb = Number((/Maximum resident set size \(kbytes\): (\d+)/.exec(text) ?? /maxRSS (\d+)/.exec(text))?.[1]);
    } catch {
      // no report: the process died before exit
    }
    figures.push({
      figure: 'peak RSS of the wizard',
      baseline: '—',
      value: kb ? `${(kb / 1024).toFixed(1)} MB` : '—',
      base: '—',
      ratio: '—',
      target: 'report',
      status: kb ? 'ok' : 'MISSED',
      note: `${r.error ? `walk stopped early (${String(r.error.message).split('\n')[0]}); ` : 'full walk incl. live verify; '}${haveTime ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS'}`,
    });
  });
} catch (error) {
  check('bench ran to the end', false, error?.stack ?? String(error));
} finally {
  for (const c of cleanups.reverse()) await c().catch(() => {});
}

// ── report ──────────────────────────────────────────────────────────────────────────────────────
const machine = (() => {
  const cpus = os.cpus();
  return `${os.type()} ${os.release()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at the end`;
})();
const table = [
  '| figure | baseline (same run) | median (IQR) | baseline median (IQR) | ratio | target | result |',
  '|---|---|---|---|---|---|---|',
  ...figures.map((f) => `| ${f.figure} | ${f.baseline} | ${f.value} | ${f.base} | ${f.ratio} | ${f.target} | ${f.status}${f.note ? ` — ${f.note}` : ''} |`),
].join('\n');
const checkList = checks.map((c) => `- ${c.ok ? '✔' : '✘'} ${c.check}${c.note ? ` — ${c.note.split('\n')[0]}` : ''}`).join('\n');
const report = `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${RUNS} interleaved runs per figure (${STARTUP_RUNS} for --version/--help/first frame).\nMachine: ${machine}.\n\n${table}\n\nChecks:\n${checkList}\n`;
process.stdout.write(`\n${report}`);

if (WRITE) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const begin = '<!-- bench:results:begin -->';
  const end = '<!-- bench:results:end -->';
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
  const i = current.indexOf(begin);
  const j = current.indexOf(end);
  const next = i === -1 || j === -1 ? `${current.trimEnd()}\n\n${begin}\n${report}${end}\n` : `${current.slice(0, i + begin.length)}\n${report}${current.slice(j)}`;
  writeFileSync(file, next);
  log(`wrote ${path.relative(process.cwd(), file)}`);
}

const failed = figures.some((f) => f.status === 'MISSED') || checks.some((c) => !c.ok);
process.exit(failed ? 1 : 0);
