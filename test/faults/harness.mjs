// Shared by the fault tests (vitest) and the soak script (plain Node): bundle the child editor,
// build per-format fixtures, run SIGKILL trials and racing-writer trials. Real processes, real
// temp dirs, real files; nothing here touches the real user's HOME.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');

/** Bundle child/editor.ts once per source version into the temp dir; returns the .mjs path. */
export async function bundleChild() {
  const { build } = await import('esbuild');
  const out = path.join(os.tmpdir(), `mcp-setup-faults-${process.getuid?.() ?? 0}`, `editor-${Date.now()}-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(HERE, 'child', 'editor.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return out;
}

const filler = (n) => Array.from({ length: n }, (_, i) => `k${i}`);

/** One fixture per format: which client writes it, where, and a non-trivial starting text. */
export function fixtures({ big = false } = {}) {
  const pad = big ? filler(3000) : filler(3);
  return {
    json: {
      client: 'cursor',
      rel: ['.cursor', 'mcp.json'],
      text: JSON.stringify({ mcpServers: { keep: { url: 'https://keep.example/mcp' } }, other: Object.fromEntries(pad.map((k) => [k, `value ${k}`])) }, null, 2) + '\n',
    },
    // VS Code reads JSONC: comments and trailing commas (Gemini CLI refuses trailing commas).
    jsonc: {
      client: 'vscode',
      rel: ['.config', 'Code', 'User', 'mcp.json'],
      text:
        '// VS Code MCP\n{\n  /* inputs */ "inputs": [], // trailing\n  "servers": {\n    "keep": { "type": "http", "url": "https://keep.example/mcp" }, // keep me\n  },\n' +
        pad.map((k) => `  "${k}": "value ${k}", // c ${k}\n`).join('') +
        '}\n',
    },
    toml: {
      client: 'codex',
      rel: ['.codex', 'config.toml'],
      text: '# Codex\nmodel = "o3"\n\n[mcp_servers.keep]\nurl = "https://keep.example/mcp"\n\n' + pad.map((k) => `[profiles.${k}]\nmodel = "m-${k}" # ${k}\n`).join('\n'),
    },
    yaml: {
      client: 'goose',
      rel: ['.config', 'goose', 'config.yaml'],
      text: '# Goose\nGOOSE_PROVIDER: openai\nextensions:\n  keep:\n    enabled: true\n    type: streamable_http\n    name: keep\n    uri: https://keep.example/mcp\n' + pad.map((k) => `${k}: value ${k} # ${k}\n`).join(''),
    },
  };
}

export async function makeHome(tag = 'fault') {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `mcp-setup-${tag}-`));
  const home = path.join(root, 'home');
  const cwd = path.join(root, 'project');
  const stateDir = path.join(root, 'state');
  await fs.mkdir(home, { recursive: true });
  await fs.mkdir(cwd, { recursive: true });
  return { root, home, cwd, stateDir, cleanup: () => fs.rm(root, { recursive: true, force: true }) };
}

export function runChild(bundle, spec, { onReady } = {}) {
  const child = spawn(process.execPath, [bundle, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  let stdout = '';
  let stderr = '';
  let ready = false;
  child.stdout.on('data', (c) => {
    stdout += c;
    if (!ready && stdout.includes('ready\n')) {
      ready = true;
      onReady?.(child);
    }
  });
  child.stderr.on('data', (c) => (stderr += c));
  const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

const URLS = ['https://crash.example/mcp', 'https://crash.example/v2/mcp'];

/** Every text the file can legitimately hold during add → update → remove cycles. */
export async function validStates(bundle, format, fixture) {
  const h = await makeHome('states');
  try {
    const file = path.join(h.home, ...fixture.rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, fixture.text);
    const { code, stdout, stderr } = await runChild(bundle, { ...h, client: fixture.client, name: 'crashy', urls: URLS, cycles: 3, recordFile: file }).done;
    if (code !== 0) throw new Error(`state recording failed for ${format}: ${stderr}`);
    const states = new Set([fixture.text, ...stdout.split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l))]);
    return states;
  } finally {
    await h.cleanup();
  }
}

const hash = (t) => createHash('sha256').update(t).digest('hex').slice(0, 12);

async function tempsNextTo(file) {
  const prefix = `.${path.basename(file)}.mcp-setup-`;
  return (await fs.readdir(path.dirname(file))).filter((e) => e.startsWith(prefix) && e.endsWith('.tmp')).map((e) => path.join(path.dirname(file), e));
}

/**
 * `trials` SIGKILLs of a child looping add → update → remove on one format, at random moments
 * up to `maxDelayMs` after it starts. After every kill the file must be one of the valid
 * states (never missing, never partial). At the end, leftover temp files are aged past the
 * stale limit and one more real run must remove them.
 */
export async function crashCampaign({ bundle, format, trials, maxDelayMs = 120, big = false, random = Math.random }) {
  const fixture = fixtures({ big })[format];
  const states = await validStates(bundle, format, fixture);
  const h = await makeHome('crash');
  const failures = [];
  let leftovers = 0;
  let tempsSeen = 0;
  try {
    const file = path.join(h.home, ...fixture.rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, fixture.text);
    const spec = { ...h, client: fixture.client, name: 'crashy', urls: URLS };
    for (let i = 0; i < trials; i++) {
      const delay = Math.floor(random() * maxDelayMs);
      const { done } = runChild(bundle, spec, { onReady: (c) => setTimeout(() => c.kill('SIGKILL'), delay) });
      const result = await done;
      if (result.signal !== 'SIGKILL') failures.push(`trial ${i}: child ended by itself (${result.code}): ${result.stderr.slice(0, 300)}`);
      if (!existsSync(file)) {
        failures.push(`trial ${i} (delay ${delay} ms): ${file} is gone`);
        await fs.writeFile(file, fixture.text);
        continue;
      }
      const text = await fs.readFile(file, 'utf8');
      if (!states.has(text)) {
        failures.push(`trial ${i} (delay ${delay} ms): file is not a complete old or new version (sha ${hash(text)}, ${text.length} chars)`);
        await fs.writeFile(file, fixture.text);
      }
      const temps = await tempsNextTo(file);
      if (temps.length > tempsSeen) leftovers++;
      tempsSeen = temps.length;
    }
    // Next run, a while later: the crash leftovers are old by then.
    const temps = await tempsNextTo(file);
    const old = new Date(Date.now() - 5 * 60_000);
    for (const t of temps) await fs.utimes(t, old, old);
    const next = await runChild(bundle, { ...spec, cycles: 1 }).done;
    if (next.code !== 0) failures.push(`next run failed: ${next.stderr.slice(0, 500)}`);
    const remaining = await tempsNextTo(file);
    if (remaining.length > 0) failures.push(`next run left ${remaining.length} stale temp file(s): ${remaining.map((r) => path.basename(r)).join(', ')}`);
    if (!states.has(await fs.readFile(file, 'utf8'))) failures.push('file after the next run is not a valid state');
    return { format, trials, failures, killsMidWrite: leftovers, tempsCleaned: temps.length, states: states.size };
  } finally {
    await h.cleanup();
  }
}

/**
 * A racing writer rewrites ~/.claude.json-like JSON while the child adds `adds` servers. Lost
 * updates are counted both ways: racer writes missing from `history` (we overwrote them) and our
 * successful adds missing from the final file (the racer's own read-modify-write overwrote them).
 */
export async function raceCampaign({ bundle, mode, adds, pauseMs = 0 }) {
  const h = await makeHome('race');
  try {
    const file = path.join(h.home, '.claude.json');
    await fs.writeFile(file, JSON.stringify({ numStartups: 1, projects: { '/x': { allowedTools: [] } }, history: [] }, null, 2) + '\n', { mode: 0o600 });
    const stop = path.join(h.root, 'stop');
    const racer = spawn(process.execPath, [path.join(HERE, 'child', 'racer.mjs'), file, mode, stop, String(pauseMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let racerOut = '';
    racer.stdout.on('data', (c) => (racerOut += c));
    const racerDone = new Promise((resolve) => racer.on('close', resolve));
    while (!racerOut.includes('ready')) await new Promise((r) => setTimeout(r, 5));
    const ours = await runChild(bundle, { ...h, client: 'claude-code', name: 'race', urls: URLS, adds }).done;
    await fs.writeFile(stop, '');
    await racerDone;
    const last = Number(/last (\d+)/.exec(racerOut)?.[1] ?? NaN);
    const text = await fs.readFile(file, 'utf8');
    const doc = JSON.parse(text);
    const history = doc.history ?? [];
    const lostRacer = last - history.length;
    const gaps = history.some((v, i) => v !== i + 1);
    const lines = ours.stdout.split('\n').filter((l) => l.startsWith('ok ') || l.startsWith('err '));
    const ok = lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3));
    const errors = lines.filter((l) => l.startsWith('err '));
    const servers = doc.mcpServers ?? {};
    const lostOurs = ok.filter((n) => !Object.hasOwn(servers, n));
    const stat = await fs.stat(file);
    return {
      mode,
      adds,
      racerWrites: last,
      lostRacer: Number.isNaN(last) ? -1 : lostRacer + (gaps ? 1 : 0),
      ok: ok.length,
      lostOurs: lostOurs.length,
      errors,
      childCode: ours.code,
      childStderr: ours.stderr,
      // An atomic racer's own rename creates its file 0644: only meaningful in place.
      modeKept: mode === 'atomic' || (stat.mode & 0o777) === 0o600,
      keysKept: doc.numStartups === 1 && typeof doc.projects === 'object',
    };
  } finally {
    await h.cleanup();
  }
}
