// Shared helpers for bench/run.mjs: whole-process timing, pseudo-terminal timing, interleaved
// medians, the loopback server-everything fixture, and module-load recording.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'mcp-setup.js');
export const RECORD_LOADS = path.join(ROOT, 'bench', 'hooks', 'record-loads.mjs');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'everything-server.mjs');

/** Spawn a process, time it from spawn to close (ms). Output is captured for checks. */
export function timeProcess({ command = process.execPath, args = [], env = process.env, cwd = ROOT, input = '', timeoutMs = 60_000 }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, signal, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/**
 * Spawn in a pseudo-terminal and time until each mark (string or RegExp, ANSI stripped) shows on
 * screen. Then run `afterMatch` (scripted keystrokes) or send Ctrl+C, and wait for the exit so the
 * next run starts on a quiet machine. `ms` is the time of the first mark (or of the exit).
 */
export async function timePtyUntil({ command = process.execPath, args = [], env, cwd = ROOT, marks = {}, timeoutMs = 30_000, afterMatch }) {
  const { default: pty } = await import('@lydell/node-pty');
  // eslint-disable-next-line no-control-regex
  const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007]*\u0007|\u001B[()][A-Z0-9]|\u001B[=>]/g;
  const started = process.hrtime.bigint();
  const proc = pty.spawn(command, args, { name: 'xterm-256color', cols: 100, rows: 40, cwd, env: { ...env, TERM: 'xterm-256color' } });
  let output = '';
  const text = () => output.replace(ANSI, '');
  const at = {};
  const pending = Object.entries(marks);
  let allSeen;
  const seen = new Promise((resolve) => (allSeen = resolve));
  if (!pending.length) allSeen();
  const exit = new Promise((resolve) => proc.onExit((e) => resolve(e)));
  proc.onData((d) => {
    output += d;
    if (!pending.length) return;
    const now = Number(process.hrtime.bigint() - started) / 1e6;
    const screen = text();
    for (let i = pending.length - 1; i >= 0; i--) {
      const [name, needle] = pending[i];
      if (typeof needle === 'string' ? screen.includes(needle) : needle.test(screen)) {
        at[name] = now;
        pending.splice(i, 1);
      }
    }
    if (!pending.length) allSeen();
  });
  const timer = setTimeout(() => proc.kill(), timeoutMs);
  await Promise.race([seen, exit]);
  let error;
  if (!pending.length && afterMatch) {
    try {
      await afterMatch({ write: (s) => proc.write(s), text, waitFor: (n, ms = 15_000) => waitFor(text, n, ms) });
    } catch (e) {
      error = e;
      proc.write('\u0003');
    }
  } else proc.write('\u0003');
  const ended = await Promise.race([exit, new Promise((r) => setTimeout(() => r(null), 10_000))]);
  if (!ended) proc.kill();
  clearTimeout(timer);
  const total = Number(process.hrtime.bigint() - started) / 1e6;
  const first = Object.keys(marks)[0];
  if (pending.length && !error) error = new Error(`never saw ${pending.map(([n]) => n).join(', ')}; screen:\n${text().slice(-1500)}`);
  return { ms: first ? at[first] : total, at, total, exit: ended, text: text(), error };
}

async function waitFor(text, needle, ms) {
  const deadline = Date.now() + ms;
  while (!text().includes(needle)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${needle}"; screen:\n${text().slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function quartiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
  return [q(0.25), q(0.75)];
}

/**
 * Run every task once per round, round-robin (order rotated each round), `runs` rounds after
 * `warmup` untimed rounds, so slow phases of a shared machine hit all tasks alike.
 * Each task returns { ms } (or throws). Returns { name: { samples, median, iqr } }.
 */
export async function interleaved(tasks, { runs, warmup = 1, onRound } = {}) {
  const names = Object.keys(tasks);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = -warmup; round < runs; round++) {
    const order = names.map((_, i) => names[(i + Math.max(round, 0)) % names.length]);
    for (const name of order) {
      const r = await tasks[name]();
      if (round >= 0) samples[name].push(r.ms);
    }
    onRound?.(round);
  }
  return Object.fromEntries(names.map((n) => [n, { samples: samples[n], median: median(samples[n]), iqr: quartiles(samples[n]) }]));
}

/** server-everything on 127.0.0.1 (optionally slowed per request). */
export async function startEverything({ delayMs = 0 } = {}) {
  const child = spawn(process.execPath, [FIXTURE], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, EVERYTHING_DELAY_MS: String(delayMs) } });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server-everything did not start: ${err}`)), 30_000);
    child.stdout.on('data', (c) => {
      out += c;
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr.on('data', (c) => (err += c));
    child.on('exit', (code) => reject(new Error(`server-everything exited with ${code}: ${err}`)));
  });
  return {
    port,
    url: `http://127.0.0.1:${port}/mcp`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** A throw-away HOME/project/state dir and an environment that sees only it. */
export async function tempHome(label) {
  const root = await mkdtemp(path.join(os.tmpdir(), `mcp-setup-bench-${label}-`));
  const home = path.join(root, 'home');
  const cwd = path.join(root, 'project');
  await Promise.all([mkdir(home, { recursive: true }), mkdir(cwd, { recursive: true })]);
  const env = {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    MCP_SETUP_CONFIG_DIR: path.join(root, 'state'),
    PATH: path.dirname(process.execPath),
    NODE_OPTIONS: '',
    NO_COLOR: '1',
  };
  return { root, home, cwd, env, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Which dist files (and, via dist/meta.json, which packages) a command loads.
 * Returns { distFiles: [{ file, bytes, packages }], packages: Set, cjs: [] }.
 */
export async function recordLoads(args, { env = process.env, cwd = ROOT, bin = BIN } = {}) {
  const file = path.join(os.tmpdir(), `mcp-setup-loads-${process.pid}-${Date.now()}.txt`);
  const r = await timeProcess({ args: ['--import', pathToFileURL(RECORD_LOADS).href, bin, ...args], env: { ...env, NODE_OPTIONS: '', MCP_SETUP_RECORD_LOADS: file }, cwd });
  let lines = [];
  try {
    lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
  } finally {
    await rm(file, { force: true });
  }
  return { ...r, ...describeLoads(lines, path.dirname(path.dirname(bin))) };
}

/** Map recorded loads to dist outputs and the npm packages bundled into them. */
export function describeLoads(lines, root = ROOT) {
  const meta = JSON.parse(readFileSync(path.join(root, 'dist', 'meta.json'), 'utf8'));
  const distFiles = [];
  const packages = new Set();
  const other = [];
  const cjs = [];
  for (const line of lines) {
    const [kind, ...rest] = line.split(':');
    const ref = rest.join(':');
    if (kind === 'cjs') {
      cjs.push(ref);
      continue;
    }
    const abs = ref.startsWith('file:') ? fileURLToPath(ref) : ref;
    const rel = path.relative(root, abs).split(path.sep).join('/');
    const out = meta.outputs[rel];
    if (!out) {
      other.push(rel);
      continue;
    }
    const pkgs = new Set();
    for (const input of Object.keys(out.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      if (m) pkgs.add(m[1]);
    }
    pkgs.forEach((p) => packages.add(p));
    distFiles.push({ file: rel, bytes: out.bytes, packages: [...pkgs] });
  }
  return { distFiles, packages, other, cjs };
}

export const HEAVY_PACKAGES = ['ink', 'react', 'react-reconciler', 'yoga-layout', '@modelcontextprotocol/sdk', 'zod', 'ajv', 'open'];
