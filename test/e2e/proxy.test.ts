import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CreateMessageRequestSchema, ListRootsRequestSchema, LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../src/services/auth/index.js';
import { FileSecretStore, secretAccount } from '../../src/services/auth/store.js';
import { startEverything, stopChild, type RunningServer } from '../helpers/everything.js';
import { makeAuthHome, startOidcPeer, type OidcPeer } from '../helpers/oauth/index.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { makeTempHome } from '../helpers/temp-home.js';

/**
 * `mcp-setup proxy` as an app runs it: the built binary as a child process, an SDK Client on
 * its stdin/stdout, and every byte of stdout checked to be a JSON-RPC line.
 */

interface Bridge {
  child: ChildProcess;
  client: Client;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  close(): Promise<number | null>;
}

async function startBridge(command: string, args: string[], env: Record<string, string>, capabilities: Record<string, unknown> = {}): Promise<Bridge> {
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // A stdio transport over the child's pipes (reading its stdout, writing its stdin).
  const transport = new StdioServerTransport(child.stdout!, child.stdin!);
  const client = new Client({ name: 'proxy-test', version: '1.0.0' }, { capabilities });
  await client.connect(transport);
  return {
    child,
    client,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async close() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

function expectOnlyProtocol(stdout: string): void {
  const lines = stdout.split('\n').filter((l) => l !== '');
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
  expect(stdout.endsWith('\n')).toBe(true);
}

const textOf = (result: unknown) => ((result as { content: { type: string; text?: string }[] }).content[0]?.text ?? '');

describe('mcp-setup proxy against server-everything', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startEverything();
  });
  afterAll(() => server.stop());

  it('lists and calls tools; progress, logging, sampling and roots make the round trip; cancellation passes', async () => {
    const t = await makeTempHome();
    const bridge = await startBridge(process.execPath, [BIN, 'proxy', server.url], { ...t.env, NODE_OPTIONS: '' }, { sampling: {}, roots: { listChanged: true } });
    try {
      const { client } = bridge;
      const sampled: unknown[] = [];
      client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
        sampled.push(request.params);
        return { model: 'test-model', role: 'assistant', content: { type: 'text', text: 'sampled by the app' } };
      });
      let rootsAsked = 0;
      client.setRequestHandler(ListRootsRequestSchema, async () => {
        rootsAsked++;
        return { roots: [{ uri: 'file:///work/project', name: 'project' }] };
      });
      const logs: string[] = [];
      client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));

      expect(client.getServerVersion()?.name).toMatch(/everything/i);
      const tools = (await client.listTools()).tools.map((t) => t.name);
      // The sampling and roots tools exist only because our capabilities reached the server intact.
      expect(tools).toEqual(expect.arrayContaining(['echo', 'trigger-long-running-operation', 'trigger-sampling-request', 'get-roots-list']));
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'through the bridge' } }))).toContain('through the bridge');

      // Server → client request (sampling/createMessage) and its response.
      const sampling = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hello', maxTokens: 10 } });
      expect(textOf(sampling)).toContain('sampled by the app');
      expect(sampled).toHaveLength(1);

      // Server → client roots/list, then a logging notification about it.
      const roots = await client.callTool({ name: 'get-roots-list', arguments: {} });
      expect(textOf(roots)).toContain('file:///work/project');
      expect(rootsAsked).toBeGreaterThan(0);
      await expect.poll(() => logs.some((l) => /Roots updated: 1 root/.test(l))).toBe(true);

      // Progress notifications tied to the request's progress token.
      const progress: number[] = [];
      const long = await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.6, steps: 3 } }, undefined, {
        onprogress: (p) => void progress.push(p.progress),
      });
      expect(textOf(long)).toContain('completed');
      // On the wire all three precede the result, in order (the SDK Client runs notification
      // handlers a microtask late, so its callback can miss the last one: checked on stdout).
      const wire = bridge.stdout().split('\n').filter((l) => /notifications\/progress|operation completed/.test(l)).map((l) => JSON.parse(l) as { params?: { progress: number } });
      expect(wire.map((m) => m.params?.progress ?? 'result')).toEqual([1, 2, 3, 'result']);
      expect(progress.slice(0, 2)).toEqual([1, 2]);

      // Cancellation: the app gives up on a call; the bridge stays usable.
      const controller = new AbortController();
      const cancelled = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 5, steps: 5 } }, undefined, { signal: controller.signal });
      setTimeout(() => controller.abort(), 200);
      await expect(cancelled).rejects.toThrow();
      expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'after cancel' } }))).toContain('after cancel');

      const code = await bridge.close();
      expect(code).toBe(0);
      expectOnlyProtocol(bridge.stdout());
      expect(bridge.stderr()).toBe('');
    } finally {
      bridge.child.kill('SIGKILL');
      await t.cleanup();
    }
  });

  it('starts a new session when the server restarts, and the app carries on', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/everything-server.mjs', import.meta.url));
    const startOn = (port: number) =>
      new Promise<{ child: ChildProcess; port: number }>((resolve, reject) => {
        const child = spawn(process.execPath, [fixture, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const match = /READY (\d+)/.exec(out);
          if (match) resolve({ child, port: Number(match[1]) });
        });
        child.on('exit', (code) => reject(new Error(`fixture exited ${code}`)));
      });
    const first = await startOn(0);
    const url = `http://127.0.0.1:${first.port}/mcp`;
    const t = await makeTempHome();
    const bridge = await startBridge(process.execPath, [BIN, 'proxy', url], { ...t.env, NODE_OPTIONS: '' });
    let second: { child: ChildProcess } | undefined;
    try {
      expect(textOf(await bridge.client.callTool({ name: 'echo', arguments: { message: 'one' } }))).toContain('one');
      await stopChild(first.child);
      second = await startOn(first.port);
      expect(textOf(await bridge.client.callTool({ name: 'echo', arguments: { message: 'two' } }))).toContain('two');
      expect(bridge.stderr()).toContain('starting a new one');
      expect(await bridge.close()).toBe(0);
      expectOnlyProtocol(bridge.stdout());
    } finally {
      bridge.child.kill('SIGKILL');
      if (second) await stopChild(second.child);
      await stopChild(first.child);
      await t.cleanup();
    }
  });

  it('writes a Claude Desktop entry that launches the bridge with no PATH, and lists tools through it', async () => {
    const t = await makeTempHome({ path: path.dirname(process.execPath) });
    try {
      const added = await runCli(['add', '--client', 'claude-desktop', '--url', server.url, '--name', 'everything', '--via', 'bridge', '--header', 'X-Api-Key: s3cret value', '--yes'], { env: t.env, cwd: t.cwd });
      expect(added.stderr).not.toContain('✘');
      expect(added.code).toBe(0);
      const file = path.join(t.home, '.config', 'Claude', 'claude_desktop_config.json');
      const entry = JSON.parse(await readFile(file, 'utf8')).mcpServers.everything as { command: string; args: string[]; env?: Record<string, string> };
      expect(path.isAbsolute(entry.command)).toBe(true);
      expect(entry.command).toBe(process.execPath);
      expect(entry.args.slice(0, 3)).toEqual([BIN, 'proxy', server.url]);
      expect(entry.args).toEqual(expect.arrayContaining(['--name', 'everything']));
      expect(JSON.stringify(entry.args)).not.toContain('s3cret');
      expect(Object.values(entry.env ?? {})).toContain('s3cret value');

      // What the app does: spawn command + args with its own small environment (no shell PATH).
      const bridge = await startBridge(entry.command, entry.args, { HOME: t.home, MCP_SETUP_CONFIG_DIR: t.stateDir, ...entry.env });
      try {
        expect((await bridge.client.listTools()).tools.map((x) => x.name)).toContain('echo');
        expect(await bridge.close()).toBe(0);
        expectOnlyProtocol(bridge.stdout());
      } finally {
        bridge.child.kill('SIGKILL');
      }

      // Without --via the refusal names both ways.
      const refused = await runCli(['add', '--client', 'claude-desktop', '--url', server.url, '--name', 'other', '--yes'], { env: t.env, cwd: t.cwd });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('--via bridge');
    } finally {
      await t.cleanup();
    }
  });
});

describe('mcp-setup proxy against an OAuth-protected server (stored sign-in)', () => {
  let peer: OidcPeer;
  beforeAll(async () => {
    // 61 s tokens: fresh at first, inside the 60 s refresh margin a second later.
    peer = await startOidcPeer({ accessTokenTTL: 61, deviceFlow: false });
  });
  afterAll(() => peer.close());

  it('uses the stored tokens, refreshes before expiry and after a 401 without the app noticing, and fails cleanly once the grant is revoked', async () => {
    const home = await makeAuthHome();
    const env = { ...home.env, MCP_SETUP_TOKEN_STORE: 'file', NODE_OPTIONS: '' };
    await login({ serverUrl: peer.mcpUrl, headless: false }, home.deps);
    const store = new FileSecretStore(home.stateDir);
    const account = secretAccount(peer.mcpUrl, peer.issuer);
    const bridge = await startBridge(process.execPath, [BIN, 'proxy', peer.mcpUrl, '--name', 'peer'], env);
    try {
      const { client } = bridge;
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['echo', 'whoami']);

      // The access token enters the refresh margin mid-session: refreshed before use.
      const refreshes = peer.counts.refresh_token;
      await new Promise((r) => setTimeout(r, 1500));
      expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'after expiry' } }))).toBe('after expiry');
      expect(peer.counts.refresh_token).toBeGreaterThan(refreshes);

      // The server rejects a token the clock says is fine: 401 → refresh under the lock → retried.
      const before = peer.counts.refresh_token;
      await store.set(account, { ...(await store.get(account)), access_token: 'rejected-by-the-server' });
      expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe('test-user');
      expect(peer.counts.refresh_token).toBeGreaterThan(before);

      // The grant is revoked: the next call gets an error naming the fix, and the bridge exits 3.
      const secrets = await store.get(account);
      const client_id = JSON.parse(await readFile(path.join(home.stateDir, 'auth.json'), 'utf8')).servers[peer.mcpUrl].byIssuer[peer.issuer].client.client_id;
      const revoke = await fetch(`${peer.issuer}/token/revocation`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: secrets!.refresh_token!, token_type_hint: 'refresh_token', client_id }),
      });
      expect(revoke.status).toBe(200);
      await store.set(account, { ...(await store.get(account)), access_token: 'rejected-by-the-server' });
      const failed = await client.callTool({ name: 'echo', arguments: { text: 'x' } }).catch((e: unknown) => e);
      expect(String((failed as Error).message)).toContain('mcp-setup login peer');
      expect(await bridge.exited).toBe(3);
      const errLines = bridge.stderr().trim().split('\n');
      expect(errLines.at(-1)).toContain('mcp-setup login peer');
      expect(bridge.stderr()).not.toContain(secrets!.refresh_token!);
      expectOnlyProtocol(bridge.stdout());
      expect(home.opened).toHaveLength(1); // the test's own login; the bridge never opened one
    } finally {
      bridge.child.kill('SIGKILL');
      await home.cleanup();
    }
  });

  it('without a sign-in: one stderr line naming mcp-setup login, exit 3, nothing on stdout', async () => {
    const t = await makeTempHome();
    const result = await runCli(['proxy', peer.mcpUrl, '--name', 'peer'], {
      env: { ...t.env, MCP_SETUP_TOKEN_STORE: 'file' },
      cwd: t.cwd,
      input: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }) + '\n',
    });
    try {
      expect(result.code).toBe(3);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('mcp-setup login peer');
      // The waiting initialize got an error response; nothing else is on stdout.
      expectOnlyProtocol(result.stdout);
      expect(JSON.parse(result.stdout.trim())).toMatchObject({ id: 1, error: { message: expect.stringContaining('mcp-setup login peer') } });
    } finally {
      await t.cleanup();
    }
  });
});
