import net from 'node:net';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOfReport, runDoctor, type DoctorReport } from '../../../src/services/doctor/index.js';
import { makeCerts, type KeyPair, type TestCerts } from '../../helpers/certs.js';
import { startEverything, type RunningServer } from '../../helpers/everything.js';
import { startToyMcp, type ToyServer } from '../../helpers/toy-mcp.js';
import { startZoo, type Zoo } from '../../helpers/zoo-server.js';
import { byId, doctorDeps, outline } from './harness.js';

let certs: TestCerts;
let zoo: Zoo;
let toy: ToyServer;
let empty: ToyServer;
let paged: ToyServer;
let trusted: ToyServer;
const tlsServers: https.Server[] = [];

async function tlsServer(pair: KeyPair): Promise<number> {
  const server = https.createServer({ key: pair.key, cert: pair.cert }, (_req, res) => res.writeHead(200).end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  tlsServers.push(server);
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

function expectCause(report: DoctorReport, check: string, exit: number, fix?: string) {
  expect(report.cause?.check, outline(report)).toBe(check);
  expect(exitCodeOfReport(report)).toBe(exit);
  expect(report.cause?.exitCode).toBe(exit);
  if (fix) expect(report.cause?.fix?.id).toBe(fix);
  const failing = report.checks.find((c) => c.id === check)!;
  expect(failing.detail.length).toBeGreaterThan(10);
  expect(failing.hint, 'every failure says the likely cause').toBeTruthy();
  expect(failing.fix, 'every failure offers a fix').toBeTruthy();
  // Stop explaining at the first cause: nothing after it in the chain ran.
  const after = report.checks.slice(report.checks.indexOf(failing) + 1).filter((c) => ['network', 'http', 'auth', 'mcp'].includes(c.layer));
  expect(after.every((c) => c.status === 'skip'), outline(report)).toBe(true);
}

beforeAll(async () => {
  certs = makeCerts();
  toy = await startToyMcp({ tools: ['search', 'fetch'] });
  empty = await startToyMcp({ tools: [] });
  paged = await startToyMcp({ tools: ['a', 'b', 'c', 'd', 'e'], pageSize: 2 });
  trusted = await startToyMcp({ tools: ['secure'], tls: certs.good, host: 'mcp.test' });
  zoo = await startZoo({ redirectTo: toy.url });
});

afterAll(async () => {
  await Promise.all([zoo.stop(), toy.stop(), empty.stop(), paged.stop(), trusted.stop()]);
  for (const s of tlsServers) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  certs.cleanup();
});

describe('network layer', () => {
  it('refused port → net.tcp, start the server', async () => {
    const report = await runDoctor({ url: `http://127.0.0.1:${await closedPort()}/mcp` }, doctorDeps());
    expectCause(report, 'net.tcp', 4, 'start-server');
    expect(byId(report, 'net.tcp').detail).toMatch(/connection refused/);
  });

  it('unresolvable name (injected resolver) → net.dns, check the host', async () => {
    const report = await runDoctor({ url: 'https://no-such-host.test/mcp' }, doctorDeps());
    expectCause(report, 'net.dns', 4, 'check-host');
    expect(byId(report, 'net.dns').hint).toMatch(/VPN/);
  });

  it('self-signed certificate → net.tls, trust it', async () => {
    const port = await tlsServer(certs.selfSigned);
    const report = await runDoctor({ url: `https://localhost:${port}/mcp` }, doctorDeps());
    expectCause(report, 'net.tls', 4, 'trust-ca');
    expect(byId(report, 'net.tls').detail).toMatch(/self-signed/);
  });

  it('expired certificate → net.tls, tell the operator', async () => {
    const port = await tlsServer(certs.expired);
    const report = await runDoctor({ url: `https://localhost:${port}/mcp` }, doctorDeps({}, certs.ca.cert));
    expectCause(report, 'net.tls', 4, 'contact-operator');
    expect(byId(report, 'net.tls').detail).toMatch(/expired/);
  });

  it('TLS interception by an untrusted corporate CA → NODE_EXTRA_CA_CERTS', async () => {
    const port = await tlsServer(certs.intercepted);
    const report = await runDoctor({ url: `https://localhost:${port}/mcp` }, doctorDeps());
    expectCause(report, 'net.tls', 4, 'trust-ca');
    const tls = byId(report, 'net.tls');
    expect(tls.detail).toMatch(/Zscaler Root CA/);
    expect(tls.hint).toMatch(/corporate TLS-inspection/);
    expect(tls.fix?.command).toMatch(/NODE_EXTRA_CA_CERTS/);
  });

  it('certificate for another name → net.tls, fix the URL', async () => {
    const port = await tlsServer(certs.wrongName);
    const report = await runDoctor({ url: `https://localhost:${port}/mcp` }, doctorDeps({}, certs.ca.cert));
    expectCause(report, 'net.tls', 4, 'fix-url');
    expect(byId(report, 'net.tls').detail).toMatch(/other\.example/);
  });

  it('the TLS check uses the address TCP reached, not a first address that refuses', async () => {
    // mcp.test resolves to 127.0.0.2 first (nothing listens there), then to the server's 127.0.0.1.
    const deps = { ...doctorDeps({}, certs.ca.cert), resolve: async () => [{ address: '127.0.0.2', family: 4 }, { address: '127.0.0.1', family: 4 }] };
    const report = await runDoctor({ url: trusted.url }, deps);
    expect(report.cause, outline(report)).toBeUndefined();
    expect(byId(report, 'net.tcp').detail).toMatch(/\(127\.0\.0\.1\)/);
    expect(byId(report, 'net.tls').status).toBe('pass');
  });

  it('https server trusted through the extra CA passes every layer', async () => {
    const report = await runDoctor({ url: trusted.url }, doctorDeps({}, certs.ca.cert));
    expect(report.cause, outline(report)).toBeUndefined();
    expect(byId(report, 'net.tls').detail).toMatch(/Valid certificate for mcp\.test, issued by mcp-setup Test CA/);
  });
});

describe('HTTP layer', () => {
  it('HTML page → http.status, fix the URL', async () => {
    const report = await runDoctor({ url: zoo.url('/html') }, doctorDeps());
    expectCause(report, 'http.status', 4, 'fix-url');
    expect(byId(report, 'http.status').detail).toMatch(/web page/);
  });

  it('404 → http.status, and names the nearby /mcp that works', async () => {
    const origin = new URL(toy.url).origin;
    const report = await runDoctor({ url: `${origin}/api/v1`, name: 'toy' }, doctorDeps());
    expectCause(report, 'http.status', 4, 'fix-url');
    expect(byId(report, 'http.status').detail).toMatch(/404/);
    expect(report.cause?.fix?.label).toContain(`${origin}/api/v1/mcp`.replace('/api/v1/mcp', '/mcp'));
    expect(report.cause?.fix?.command).toBe(`mcp-setup update toy --url ${origin}/mcp`);
  });

  it('405 → http.status, suggests /mcp vs /sse', async () => {
    const report = await runDoctor({ url: zoo.url('/method') }, doctorDeps());
    expectCause(report, 'http.status', 4, 'fix-url');
    expect(byId(report, 'http.status').detail).toMatch(/405/);
    expect(byId(report, 'http.status').hint).toMatch(/\/mcp .*\/sse/);
  });

  it('500 → http.status, retry later / operator', async () => {
    const report = await runDoctor({ url: zoo.url('/boom') }, doctorDeps());
    expectCause(report, 'http.status', 4, 'retry-later');
  });

  it('hanging server → http.status within the budget', async () => {
    const started = Date.now();
    const report = await runDoctor({ url: zoo.url('/hang') }, doctorDeps(), { timeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(4000);
    expectCause(report, 'http.status', 4, 'retry-later');
    expect(byId(report, 'http.status').detail).toMatch(/no HTTP answer/);
  });

  it('a redirect to another origin (the SDK will not follow it) → http.redirect, use the final URL', async () => {
    const report = await runDoctor({ url: zoo.url('/moved'), name: 'moved' }, doctorDeps());
    expectCause(report, 'http.redirect', 4, 'use-final-url');
    expect(byId(report, 'http.redirect').detail).toContain(`308 → ${toy.url}`);
    expect(report.cause?.fix?.command).toBe(`mcp-setup update moved --url ${toy.url}`);
  });

  it('a redirect to a login page on another host → SSO/gateway in the way', async () => {
    const report = await runDoctor({ url: zoo.url('/sso') }, doctorDeps());
    expectCause(report, 'http.redirect', 4, 'check-access');
  });
});

describe('auth layer', () => {
  it('401 without OAuth metadata → auth.challenge, add an API key header (exit 3)', async () => {
    const report = await runDoctor({ url: zoo.url('/bare401'), name: 'keyed' }, doctorDeps());
    expectCause(report, 'auth.challenge', 3, 'add-header');
    expect(byId(report, 'http.status').status).toBe('pass');
    expect(report.cause?.fix?.command).toBe('mcp-setup update keyed --header "Authorization: Bearer <your-key>"');
  });

  it('401 with RFC 9728 metadata → sign in', async () => {
    const report = await runDoctor({ url: zoo.url('/oauth') }, doctorDeps());
    expectCause(report, 'auth.challenge', 3, 'sign-in');
    expect(byId(report, 'auth.challenge').detail).toMatch(/login\.example\.com/);
    expect(report.cause?.fix?.command).toBe(`mcp-setup login ${zoo.url('/oauth')}`);
  });

  it('403 insufficient_scope → sign in again with more permissions', async () => {
    const report = await runDoctor({ url: zoo.url('/scope') }, doctorDeps());
    expectCause(report, 'auth.challenge', 3, 'sign-in');
    expect(byId(report, 'auth.challenge').detail).toMatch(/files:write/);
  });

  it('an expired token the server rejects → re-login, with the token facts', async () => {
    const now = Date.now();
    const report = await runDoctor({ url: zoo.url('/oauth'), name: 'acme' }, doctorDeps(), {
      auth: {
        tokenStatus: async () => ({ present: true, expiresAt: now - 3 * 3_600_000, hasRefreshToken: false }),
        accessToken: async () => 'stale-token',
      },
    });
    expectCause(report, 'auth.challenge', 3, 'sign-in');
    expect(byId(report, 'auth.token').status).toBe('warn');
    expect(byId(report, 'auth.challenge').detail).toMatch(/rejected our stored token.*expired 3 hours ago/);
    expect(JSON.stringify(report)).not.toContain('stale-token');
  });

  it('a refresh that fails (revoked) → auth.token, sign in again', async () => {
    const report = await runDoctor({ url: zoo.url('/oauth') }, doctorDeps(), {
      auth: {
        tokenStatus: async () => ({ present: true, expiresAt: Date.now() - 1000, hasRefreshToken: true }),
        accessToken: async () => {
          throw new Error('invalid_grant: refresh_token=abc123 revoked');
        },
      },
    });
    expectCause(report, 'auth.token', 3, 'sign-in');
    expect(byId(report, 'auth.token').detail).not.toContain('abc123');
  });

  it('a valid token is sent and accepted', async () => {
    const report = await runDoctor({ url: zoo.url('/oauth') }, doctorDeps(), { auth: { accessToken: async () => 'good-token' } });
    expect(byId(report, 'auth.challenge')).toMatchObject({ status: 'pass', detail: 'The server accepted our token.' });
  });
});

describe('MCP layer', () => {
  it('server with zero tools → mcp.tools with likely causes', async () => {
    const report = await runDoctor({ url: empty.url }, doctorDeps());
    expectCause(report, 'mcp.tools', 4, 'fix-url');
    expect(byId(report, 'mcp.tools').hint).toMatch(/workspace/);
    expect(byId(report, 'mcp.initialize').detail).toMatch(/toy 1\.0\.0, protocol 20\d\d-\d\d-\d\d, Streamable HTTP; offers tools/);
  });

  it('follows tools/list pagination', async () => {
    const report = await runDoctor({ url: paged.url }, doctorDeps());
    expect(report.cause, outline(report)).toBeUndefined();
    expect(byId(report, 'mcp.tools').detail).toBe('5 tools over 3 pages: a, b, c, d, e.');
    expect(report.server).toMatchObject({ name: 'toy-paged', pages: 3, tools: ['a', 'b', 'c', 'd', 'e'] });
  });

  it('a legacy SSE endpoint is recognised, connected over SSE and flagged', async () => {
    const sse = await startToyMcp({ tools: ['old'], legacySse: true, path: '/sse' });
    try {
      const report = await runDoctor({ url: sse.url }, doctorDeps());
      expect(report.cause, outline(report)).toBeUndefined();
      expect(byId(report, 'http.status')).toMatchObject({ status: 'warn', fix: { id: 'use-sse' } });
      expect(byId(report, 'mcp.initialize').detail).toMatch(/legacy SSE/);
      expect(report.server).toMatchObject({ transport: 'sse', tools: ['old'] });
    } finally {
      await sse.stop();
    }
  });

  it('cancelling stops the run with CancelledError', async () => {
    const controller = new AbortController();
    const run = runDoctor({ url: zoo.url('/hang') }, doctorDeps(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
  });

  it('server-everything passes every layer', async () => {
    let everything: RunningServer | undefined;
    try {
      everything = await startEverything();
      const seen: string[] = [];
      const report = await runDoctor({ url: everything.url, name: 'everything' }, doctorDeps(), { onCheck: (c) => seen.push(c.id) });
      expect(report.cause, outline(report)).toBeUndefined();
      expect(exitCodeOfReport(report)).toBe(0);
      expect(seen).toEqual(report.checks.map((c) => c.id));
      expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
      expect(report.server!.tools.length).toBeGreaterThan(5);
      expect(report.server!.capabilities).toContain('tools');
      expect(Object.keys(report)).toEqual(expect.arrayContaining(['target', 'checks', 'durationMs']));
      for (const c of report.checks) expect(Object.keys(c).every((k) => ['id', 'layer', 'status', 'detail', 'hint', 'fix'].includes(k))).toBe(true);
    } finally {
      await everything?.stop();
    }
  });
});

describe('configuration and client layers', () => {
  it('an entry under the wrong key → config.entry (exit 1) while the server itself is fine', async () => {
    const report = await runDoctor(
      {
        url: toy.url,
        name: 'toy',
        entries: [
          { client: 'cursor', clientName: 'Cursor', scope: 'user', file: '/home/u/.cursor/mcp.json', name: 'toy', url: toy.url, reload: 'Restart Cursor.' },
          {
            client: 'vscode',
            clientName: 'VS Code',
            scope: 'user',
            file: '/home/u/.config/Code/User/settings.json',
            name: 'toy',
            url: toy.url,
            problems: [
              {
                code: 'wrong-key',
                message: 'the entry is under "mcp.servers", which VS Code no longer reads.',
                hint: 'Older docs used the settings.json key; VS Code reads .vscode/mcp.json → "servers".',
                fix: { id: 'fix-entry', label: 'Move it to mcp.json', command: 'mcp-setup add --client vscode --url … --name toy' },
              },
            ],
          },
        ],
      },
      doctorDeps(),
    );
    expect(report.cause?.check, outline(report)).toBe('config.entry');
    expect(exitCodeOfReport(report)).toBe(1);
    expect(byId(report, 'config.entries').detail).toMatch(/Cursor \(user/);
    expect(byId(report, 'mcp.tools').status).toBe('pass');
    expect(byId(report, 'client.reload')).toMatchObject({ status: 'pass', fix: { id: 'reload-client', label: 'Restart Cursor.' } });
  });

  it('duplicates across scopes with different URLs are flagged', async () => {
    const report = await runDoctor(
      {
        url: toy.url,
        name: 'toy',
        entries: [
          { client: 'claude-code', scope: 'user', file: '~/.claude.json', name: 'toy', url: toy.url },
          { client: 'claude-code', scope: 'project', file: '.mcp.json', name: 'toy', url: 'https://old.example.com/mcp' },
        ],
      },
      doctorDeps(),
    );
    expect(byId(report, 'config.duplicates')).toMatchObject({ status: 'warn', fix: { id: 'remove-duplicate' } });
    expect(byId(report, 'config.url').status).toBe('warn');
    expect(report.cause, outline(report)).toBeUndefined();
  });

  it('extension checks plug into config, auth and client layers', async () => {
    const report = await runDoctor({ url: toy.url }, doctorDeps(), {
      extensions: {
        config: [() => [{ id: 'config.custom', layer: 'config', status: 'pass', detail: 'custom config ok' }]],
        auth: [(ctx) => [{ id: 'auth.custom', layer: 'auth', status: 'pass', detail: `saw HTTP ${ctx.facts.http?.status}` }]],
        client: [() => [{ id: 'client.verdict', layer: 'client', status: 'warn', detail: 'claude mcp get: ! needs approval' }]],
      },
    });
    expect(report.checks.map((c) => c.id)).toEqual(expect.arrayContaining(['config.custom', 'auth.custom', 'client.verdict']));
    expect(byId(report, 'auth.custom').detail).toBe('saw HTTP 200');
  });

  it('a URL that is not http(s) is a configuration failure', async () => {
    const report = await runDoctor({ url: 'ftp://example.com/mcp' }, doctorDeps());
    expect(report.cause).toMatchObject({ check: 'config.url', exitCode: 1 });
  });
});
