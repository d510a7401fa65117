import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pty from '@lydell/node-pty';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startEverything, type RunningServer } from '../helpers/everything.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';

/**
 * Shared plumbing for the opt-in real-client tests: the apps' own CLIs (installed from npm by
 * scripts/real-clients.sh into $MCP_SETUP_REAL_CLIENTS_DIR, one executable per app) read the
 * files the built mcp-setup wrote, in a throw-away HOME. Without that variable every suite skips.
 */
export const REAL_DIR = process.env.MCP_SETUP_REAL_CLIENTS_DIR ?? '';

export type ClientBin = 'claude' | 'codex' | 'gemini' | 'opencode';

/** Absolute path of an installed client CLI, or '' when not installed (the suite then skips). */
export function clientBin(name: ClientBin): string {
  if (!REAL_DIR) return '';
  const file = path.join(REAL_DIR, name);
  return existsSync(file) ? file : '';
}

/** A secret the header entries reference as ${MY_TOKEN}; it must never reach a config file. */
export const TOKEN_VAR = 'MY_TOKEN';
export const TOKEN = `tok-${process.pid}-${Date.now().toString(36)}`;

/**
 * One environment for mcp-setup and for the app's CLI: the temp HOME only, PATH = just node's
 * directory (Gemini CLI is a node script), and every update check, telemetry and
 * non-essential-traffic switch the four CLIs document turned off (the script also runs the
 * whole suite in a loopback-only network namespace where it can).
 */
export function clientEnv(t: TempHome, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...t.env,
    [TOKEN_VAR]: TOKEN,
    TERM: 'dumb',
    NO_COLOR: '1',
    LANG: 'C.UTF-8',
    TMPDIR: path.join(t.root, 'tmp'),
    // Claude Code
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // Gemini CLI (no self-relaunch with a bigger heap, no telemetry)
    GEMINI_CLI_NO_RELAUNCH: 'true',
    GEMINI_TELEMETRY_ENABLED: 'false',
    // opencode
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
    OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    OPENCODE_DISABLE_SHARE: '1',
    OPENCODE_DISABLE_CLAUDE_CODE: '1',
    ...extra,
  };
}

export async function prepare(t: TempHome): Promise<void> {
  await mkdir(path.join(t.root, 'tmp'), { recursive: true });
}

/** Write a pre-existing config file (with the user's comments and other servers). */
export async function seed(file: string, text: string, mode = 0o644): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text, { mode });
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Run an app's CLI with the given env; output has ANSI codes removed. */
export function runClient(bin: string, args: string[], env: Record<string, string>, cwd: string, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(bin)} ${args.join(' ')} timed out after ${timeoutMs} ms.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: stdout.replace(ANSI, ''), stderr: stderr.replace(ANSI, '') });
    });
  });
}

/** The built mcp-setup, in the same env; fails the test with its output unless it exits 0. */
export async function mcpSetup(t: TempHome, env: Record<string, string>, args: string[]): Promise<CliResult> {
  const result = await runCli(args, { env, cwd: t.cwd, timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`mcp-setup ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result;
}

export function show(result: CliResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

export interface Gate {
  url: string;
  /** Authorization header of every request that reached the gate (in order). */
  seen: string[];
  stop(): Promise<void>;
}

/**
 * A loopback reverse proxy in front of server-everything that answers 401 unless the request
 * carries `Authorization: Bearer <TOKEN>`: an app that connects through it proved it expanded
 * the ${MY_TOKEN} reference mcp-setup wrote.
 */
export async function startGate(upstreamUrl: string): Promise<Gate> {
  const upstream = new URL(upstreamUrl);
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization ?? '';
    seen.push(auth);
    if (auth !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unauthorized' }));
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RealClientFixture {
  /** server-everything on 127.0.0.1, for the whole file. */
  readonly server: RunningServer;
  /** A 401-unless-Bearer gate in front of it, for the whole file (when asked for). */
  readonly gate: Gate;
  /** A fresh, prepared temp HOME per test. */
  readonly t: TempHome;
}

/** The peers and temp HOME every real-client file needs, started and stopped by vitest's hooks. */
export function useRealClientFixture(options: { gate?: boolean } = {}): RealClientFixture {
  const f: { server?: RunningServer; gate?: Gate; t?: TempHome } = {};
  beforeAll(async () => {
    f.server = await startEverything();
    if (options.gate) f.gate = await startGate(f.server.url);
  });
  afterAll(async () => {
    await f.gate?.stop();
    await f.server?.stop();
  });
  beforeEach(async () => {
    f.t = await makeTempHome({ path: path.dirname(process.execPath) });
    await prepare(f.t);
  });
  afterEach(() => f.t?.cleanup());
  return f as RealClientFixture;
}

/**
 * An app's own `mcp login NAME --no-browser` (Claude Code and Codex sign in only on a terminal):
 * run in a pseudo-terminal, the printed authorization URL followed by the approving browser to
 * the app's own loopback callback. Resolves with the exit code and what the terminal showed.
 */
export async function appLoginInPty(bin: string, name: string, env: Record<string, string>, cwd: string): Promise<{ code: number; screen: string; browser: number | null }> {
  const term = pty.spawn(bin, ['mcp', 'login', name, '--no-browser'], { env: { ...env, TERM: 'xterm' }, cwd, cols: 400, rows: 50 });
  let screen = '';
  let browsed: Promise<number | null> | undefined;
  term.onData((chunk) => {
    screen += chunk;
    const url = /(http:\/\/127\.0\.0\.1:\d+\/auth\?[^\s\u0007\u001b]+)/.exec(screen)?.[1];
    if (url && !browsed) {
      const browser = spawn(process.execPath, [fileURLToPath(new URL('../fixtures/approving-browser.mjs', import.meta.url)), url], { stdio: 'ignore' });
      browsed = new Promise((resolve) => browser.on('exit', resolve));
    }
  });
  const code = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => (term.kill(), reject(new Error(`${path.basename(bin)} mcp login hung:\n${screen}`))), 60_000);
    term.onExit(({ exitCode }) => (clearTimeout(timer), resolve(exitCode)));
  });
  return { code, screen, browser: browsed ? await browsed : null };
}

