// The sign-in figure (issue 7): "sign-in end to end with a scripted browser (oidc-provider)" vs
// "a plain SDK auth() script doing the same", target ≤ 1.0×.
//  - peer: test/helpers/oauth/oidc-peer.ts (oidc-provider: DCR, PKCE, resource indicators, a
//    JWT-protected MCP endpoint with PRM), bundled by esbuild at bench start (bench/oidc-peer-
//    entry.ts, packages left external) and run as its own process on 127.0.0.1;
//  - browser: test/fixtures/approving-browser.mjs as BROWSER="node <abs path>" (follows the
//    authorization URL, submits the login and consent forms, stops at the loopback callback);
//  - cmd: `mcp-setup login MCP_URL`; baseline: bench/sdk-auth.mjs MCP_URL.
// Both are whole processes with a fresh temp HOME/state per run (so both register and sign in
// from scratch), MCP_SETUP_TOKEN_STORE=file, no DISPLAY (BROWSER set, so login isn't headless).
import { spawn } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { BIN, ROOT, tempHome, timeProcess } from './lib.mjs';

export const BROWSER_SCRIPT = path.join(ROOT, 'test', 'fixtures', 'approving-browser.mjs');

export async function startPeer({ trace } = {}) {
  const { build } = await import('esbuild');
  const dir = path.join(ROOT, '.bench-tmp'); // inside the repo (ignored) so external packages resolve
  await mkdir(dir, { recursive: true });
  const outfile = path.join(dir, `oidc-peer-${process.pid}.mjs`);
  await build({ entryPoints: [path.join(ROOT, 'bench', 'oidc-peer-entry.ts')], outfile, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
  const child = spawn(process.execPath, [outfile], { stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', ...(trace ? { BENCH_PEER_TRACE: trace } : {}) } });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const waiters = [];
  child.stdout.on('data', (c) => {
    out += c;
    for (const w of [...waiters]) {
      const m = w.re.exec(out);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        out = out.slice(m.index + m[0].length);
        w.resolve(JSON.parse(m[1]));
      }
    }
  });
  const next = (re) =>
    new Promise((resolve, reject) => {
      waiters.push({ re, resolve });
      const t = setTimeout(() => reject(new Error(`oidc peer: no ${re} (stderr: ${err.slice(-800)})`)), 30_000);
      t.unref();
    });
  const ready = await Promise.race([next(/READY (\{.*\})\n/), new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`oidc peer exited ${code}: ${err.slice(-800)}`))))]);
  return {
    ...ready,
    counts: () => {
      const p = next(/COUNTS (\{.*\})\n/);
      child.stdin.write('counts\n');
      return p;
    },
    stop: () =>
      new Promise((resolve) => {
        const done = () => rm(outfile, { force: true }).then(resolve, resolve);
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** One sign-in from scratch: a fresh temp HOME/state, timed spawn → exit; the HOME is removed after. */
export async function freshRun(label, args, check, extraEnv = {}) {
  const h = await tempHome(label);
  try {
    const env = { ...h.env, BROWSER: `node ${BROWSER_SCRIPT}`, MCP_SETUP_TOKEN_STORE: 'file' };
    if (process.env.BENCH_SIGNIN_LOG) env.APPROVING_BROWSER_LOG = process.env.BENCH_SIGNIN_LOG;
    const r = await timeProcess({ args, env: { ...env, ...extraEnv }, cwd: h.cwd, timeoutMs: 60_000 });
    if (r.code !== 0 || !check(r, h)) throw new Error(`${label} exited ${r.code}${r.signal ? ` (${r.signal})` : ''}: ${(r.stderr + r.stdout).slice(-800)}`);
    return r;
  } finally {
    await h.cleanup();
  }
}

/** @returns {Promise<null | { setup(): Promise<{ cmd(): Promise<{ms:number}>, baseline(): Promise<{ms:number}>, verify(runs: number): Promise<string>, stop(): Promise<void> }> }>} */
export async function signInFigure() {
  return {
    async setup() {
      const peer = await startPeer();
      let runs = 0;
      return {
        stop: peer.stop,
        mcpUrl: peer.mcpUrl,
        cmd: async () => {
          const r = await freshRun('signin-cli', [BIN, 'login', peer.mcpUrl], (r) => /Signed in to/.test(r.stdout));
          runs++;
          return r;
        },
        baseline: async () => {
          const r = await freshRun('signin-sdk', [path.join(ROOT, 'bench', 'sdk-auth.mjs'), peer.mcpUrl], (r) => /^AUTHORIZED/m.test(r.stdout));
          runs++;
          return r;
        },
        // Every run registered a client and redeemed a code at the peer: nothing was reused.
        async verify() {
          const c = await peer.counts();
          const ok = c.registrations === runs && c.authorization_code === runs && c.tokenErrors === 0;
          return { ok, note: `${runs} sign-ins, peer saw ${c.registrations} registrations, ${c.authorization_code} code grants, ${c.tokenErrors} token errors` };
        },
      };
    },
  };
}
