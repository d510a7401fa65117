import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSupportBundle, exitCodeOfReports, runDoctor, runDoctorAll, type DoctorTarget } from '../../../src/services/doctor/index.js';
import { makeCerts, type TestCerts } from '../../helpers/certs.js';
import { startForwardProxy, type ForwardProxy } from '../../helpers/forward-proxy.js';
import { startToyMcp, type ToyServer } from '../../helpers/toy-mcp.js';
import { byId, doctorDeps, outline } from './harness.js';

describe('doctor through a real forward proxy', () => {
  let certs: TestCerts;
  let proxy: ForwardProxy;
  let authProxy: ForwardProxy;
  let blockingProxy: ForwardProxy;
  let secure: ToyServer;
  let plain: ToyServer;

  beforeAll(async () => {
    certs = makeCerts();
    proxy = await startForwardProxy();
    authProxy = await startForwardProxy({ credentials: 'alice:s3cret' });
    blockingProxy = await startForwardProxy({ blocked: ['mcp.test'] });
    secure = await startToyMcp({ tools: ['secure'], tls: certs.good, host: 'mcp.test' });
    plain = await startToyMcp({ tools: ['plain'], host: 'mcp.test' });
  });
  afterAll(async () => {
    await Promise.all([proxy.stop(), authProxy.stop(), blockingProxy.stop(), secure.stop(), plain.stop()]);
    certs.cleanup();
  });

  it('HTTPS_PROXY: every request, the doctor’s own probes included, goes through the proxy', async () => {
    proxy.hits.length = 0;
    const report = await runDoctor({ url: secure.url }, doctorDeps({ HTTPS_PROXY: proxy.url }, certs.ca.cert));
    expect(report.cause, outline(report)).toBeUndefined();
    expect(byId(report, 'net.proxy').detail).toMatch(new RegExp(`Through proxy ${proxy.url}: HTTPS_PROXY=`));
    expect(byId(report, 'net.dns').detail).toMatch(/the proxy looks up mcp\.test itself/);
    expect(byId(report, 'net.tunnel').status).toBe('pass');
    expect(byId(report, 'net.tls').detail).toMatch(/issued by mcp-setup Test CA/);
    expect(proxy.hits.length).toBeGreaterThanOrEqual(3);
    expect(proxy.hits.every((h) => h.method === 'CONNECT' && h.target === `mcp.test:${secure.port}`)).toBe(true);
  });

  it('HTTP_PROXY: http:// goes as absolute-URI requests', async () => {
    proxy.hits.length = 0;
    const report = await runDoctor({ url: plain.url }, doctorDeps({ HTTP_PROXY: proxy.url }));
    expect(report.cause, outline(report)).toBeUndefined();
    expect(proxy.hits.some((h) => h.method === 'POST' && h.target === plain.url)).toBe(true);
  });

  it('NO_PROXY bypasses it: nothing reaches the proxy', async () => {
    proxy.hits.length = 0;
    const report = await runDoctor({ url: secure.url }, doctorDeps({ HTTPS_PROXY: proxy.url, NO_PROXY: '.test' }, certs.ca.cert));
    expect(report.cause, outline(report)).toBeUndefined();
    expect(byId(report, 'net.proxy').detail).toMatch(/Direct connection: NO_PROXY entry "\.test" matches mcp\.test/);
    expect(proxy.hits).toEqual([]);
  });

  it('a proxy that wants a login → net.tunnel, put credentials in HTTPS_PROXY', async () => {
    const report = await runDoctor({ url: secure.url }, doctorDeps({ HTTPS_PROXY: authProxy.url }, certs.ca.cert));
    expect(report.cause).toMatchObject({ check: 'net.tunnel', exitCode: 4, fix: { id: 'fix-proxy' } });
    expect(byId(report, 'net.tunnel').detail).toMatch(/407/);
    const ok = await runDoctor({ url: secure.url }, doctorDeps({ HTTPS_PROXY: `http://alice:s3cret@127.0.0.1:${authProxy.port}` }, certs.ca.cert));
    expect(ok.cause, outline(ok)).toBeUndefined();
    expect(JSON.stringify(ok)).not.toContain('s3cret');
  });

  it('a proxy that blocks the host → net.tunnel 403', async () => {
    const report = await runDoctor({ url: secure.url }, doctorDeps({ HTTPS_PROXY: blockingProxy.url }, certs.ca.cert));
    expect(report.cause).toMatchObject({ check: 'net.tunnel', exitCode: 4 });
    expect(byId(report, 'net.tunnel').detail).toMatch(/refused to connect to mcp\.test/);
  });

  it('a proxy that is not running → net.tcp names the proxy variable', async () => {
    const report = await runDoctor({ url: secure.url }, doctorDeps({ HTTPS_PROXY: 'http://127.0.0.1:9' }, certs.ca.cert));
    expect(report.cause).toMatchObject({ check: 'net.tcp', fix: { id: 'fix-proxy' } });
    expect(byId(report, 'net.tcp').hint).toMatch(/HTTPS_PROXY/);
  });
});

describe('runDoctorAll', () => {
  const servers: ToyServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('checks 20 slow servers concurrently: total ≈ the slowest, not the sum', async () => {
    for (let i = 0; i < 21; i++) servers.push(await startToyMcp({ tools: [`tool_${i}`, 'shared_search'], delayMs: 200 }));
    const deps = doctorDeps();
    const t0 = Date.now();
    const single = await runDoctor({ url: servers[20]!.url }, deps);
    const one = Date.now() - t0;
    expect(single.cause, outline(single)).toBeUndefined();

    const targets: DoctorTarget[] = servers.slice(0, 20).map((s, i) => ({ url: s.url, name: `s${i}`, client: 'cursor', scope: 'user' }));
    const done: number[] = [];
    const t1 = Date.now();
    const reports = await runDoctorAll(targets, deps, { concurrency: 20, onReport: (_r, i) => done.push(i) });
    const all = Date.now() - t1;
    expect(all, `one server took ${one} ms, 20 took ${all} ms`).toBeLessThan(one * 8);
    expect(all).toBeLessThan(20 * 200);
    expect(reports.map((r) => r.target.name)).toEqual(targets.map((t) => t.name));
    expect(done.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(exitCodeOfReports(reports)).toBe(0);
    // Cross-server: the same tool name in 20 servers of one app.
    const collision = byId(reports[0]!, 'mcp.collisions');
    expect(collision.status).toBe('warn');
    expect(collision.detail).toMatch(/shared_search \(also in s1, s2/);
  });

  it('a per-server budget keeps one hanging server from holding up the rest', async () => {
    const hang = await startToyMcp({ delayMs: 60_000 });
    servers.push(hang);
    const fast = servers[0]!;
    const t0 = Date.now();
    const reports = await runDoctorAll([{ url: hang.url }, { url: fast.url }], doctorDeps(), { timeoutMs: 1200 });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(reports[0]!.cause).toMatchObject({ check: 'http.status', exitCode: 4 });
    expect(reports[1]!.cause).toBeUndefined();
    expect(exitCodeOfReports(reports)).toBe(4);
  });

  it('flags one URL configured under two names in the same app', async () => {
    const url = servers[0]!.url;
    const entries = [
      { client: 'claude-code', scope: 'user', file: '~/.claude.json', name: 'work', url },
      { client: 'claude-code', scope: 'user', file: '~/.claude.json', name: 'personal', url },
    ];
    const reports = await runDoctorAll(
      entries.map((e) => ({ url, name: e.name, client: e.client, scope: e.scope, entries })),
      doctorDeps(),
    );
    expect(byId(reports[0]!, 'config.same-url').detail).toMatch(/also lists this URL as "personal"/);
  });
});

describe('support bundle', () => {
  it('masks header values, tokens, proxy passwords and key-like URL parts', async () => {
    const toy = await startToyMcp({ tools: ['x'] });
    try {
      const url = `${toy.url}?api_key=sk_live_123456`;
      const target: DoctorTarget = { url, name: 'toy', headers: { Authorization: 'Bearer sekrit-token-value', 'X-Api-Key': 'k-999' } };
      const report = await runDoctor(target, doctorDeps());
      report.checks.push({ id: 'x.test', layer: 'mcp', status: 'warn', detail: `saw https://h.example/s/abcDEF1234567890abcdef12/mcp with access_token=zzz` });
      const { text, data } = buildSupportBundle([report], {
        version: '0.1.0',
        nodeVersion: 'v20.20.2',
        platform: 'linux',
        env: { HTTPS_PROXY: 'http://bob:hunter2@proxy:3128', NO_PROXY: 'localhost', NODE_EXTRA_CA_CERTS: '/etc/ca.pem' },
        targets: [target],
        now: Date.parse('2026-11-21T12:00:00Z'),
      });
      const all = `${text}\n${JSON.stringify(data)}`;
      for (const secret of ['sekrit-token-value', 'k-999', 'hunter2', 'sk_live_123456', 'abcDEF1234567890abcdef12', 'zzz']) expect(all).not.toContain(secret);
      expect(text).toContain('Authorization: Bearer ***');
      expect(text).toContain('X-Api-Key: ***');
      expect(text).toContain('HTTPS_PROXY=http://***:***@proxy:3128');
      expect(text).toContain('api_key=***');
      expect(text).toMatch(/\[PASS\] mcp\.tools: 1 tool: x\./);
    } finally {
      await toy.stop();
    }
  });
});
