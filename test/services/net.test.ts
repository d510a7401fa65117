import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetch, describeProxy, displayProxyUrl, noProxyEntryMatches } from '../../src/services/net.js';
import { makeCerts, type TestCerts } from '../helpers/certs.js';
import { fakeDns } from '../helpers/fake-dns.js';
import { startForwardProxy, type ForwardProxy } from '../helpers/forward-proxy.js';

describe('describeProxy', () => {
  const env = { HTTPS_PROXY: 'http://user:secret@proxy.corp:3128', NO_PROXY: '.internal.corp, intranet:8080, 10.0.0.0/8' };

  it('uses HTTPS_PROXY for https URLs and masks credentials', () => {
    const d = describeProxy(env, 'https://api.example.com/mcp');
    expect(d.proxyUrl).toBe('http://user:secret@proxy.corp:3128/');
    expect(d.display).toBe('http://***:***@proxy.corp:3128');
    expect(d.variable).toBe('HTTPS_PROXY');
    expect(d.reason).not.toContain('secret');
  });

  it('bypasses loopback, NO_PROXY suffixes, host:port and CIDR entries', () => {
    expect(describeProxy(env, 'https://127.0.0.1:9/mcp').bypassedBy).toBe('loopback');
    expect(describeProxy(env, 'https://localhost/mcp').bypassedBy).toBe('loopback');
    expect(describeProxy(env, 'https://mcp.internal.corp/mcp').bypassedBy).toBe('.internal.corp');
    expect(describeProxy(env, 'https://intranet:8080/').bypassedBy).toBe('intranet:8080');
    expect(describeProxy(env, 'https://intranet:8443/').proxyUrl).not.toBeNull();
    expect(describeProxy(env, 'https://10.2.3.4/').bypassedBy).toBe('10.0.0.0/8');
    expect(describeProxy({ ...env, NO_PROXY: '*' }, 'https://api.example.com/').bypassedBy).toBe('*');
  });

  it('follows curl conventions: lower case wins, https falls back to HTTP_PROXY, http ignores HTTPS_PROXY', () => {
    expect(describeProxy({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' }, 'https://x.com').display).toBe('http://a:1');
    expect(describeProxy({ HTTP_PROXY: 'http://b:2' }, 'https://x.com').reason).toMatch(/no HTTPS_PROXY/);
    const plain = describeProxy({ HTTPS_PROXY: 'http://b:2' }, 'http://x.com');
    expect(plain.proxyUrl).toBeNull();
    expect(plain.reason).toMatch(/HTTPS_PROXY only applies to https/);
    expect(describeProxy({ HTTPS_PROXY: 'proxy.corp:3128' }, 'https://x.com').proxyUrl).toBe('http://proxy.corp:3128/');
    expect(describeProxy({ HTTPS_PROXY: 'socks5://p:1080' }, 'https://x.com').invalid).toBe(true);
    expect(describeProxy({}, 'https://x.com').reason).toMatch(/No HTTPS_PROXY/);
  });

  it('matches NO_PROXY entries like curl', () => {
    expect(noProxyEntryMatches('example.com', 'api.example.com', 443)).toBe(true);
    expect(noProxyEntryMatches('example.com', 'badexample.com', 443)).toBe(false);
    expect(noProxyEntryMatches('*.example.com', 'example.com', 443)).toBe(true);
    expect(noProxyEntryMatches('[::1]:8080', '::1', 8080)).toBe(true);
    expect(noProxyEntryMatches('192.168.0.0/16', '192.168.4.5', 80)).toBe(true);
    expect(noProxyEntryMatches('192.168.0.0/16', '192.169.4.5', 80)).toBe(false);
    expect(displayProxyUrl('http://tok@proxy:1')).toBe('http://***@proxy:1');
  });
});

describe('createFetch through a real forward proxy on loopback', () => {
  let certs: TestCerts;
  let proxy: ForwardProxy;
  let authProxy: ForwardProxy;
  let plain: http.Server;
  let secure: https.Server;
  const dns = fakeDns({ 'mcp.test': '127.0.0.1' });
  const port = (s: http.Server) => (s.address() as AddressInfo).port;

  beforeAll(async () => {
    certs = makeCerts();
    const answer = (req: http.IncomingMessage, res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${req.url}`);
    plain = http.createServer(answer);
    secure = https.createServer({ key: certs.good.key, cert: certs.good.cert }, answer);
    await Promise.all([plain, secure].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    proxy = await startForwardProxy();
    authProxy = await startForwardProxy({ credentials: 'alice:s3cret' });
  });
  afterAll(async () => {
    await Promise.all([proxy.stop(), authProxy.stop()]);
    for (const s of [plain, secure]) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
    certs.cleanup();
  });

  it('tunnels https through HTTPS_PROXY with CONNECT (the proxy resolves the made-up name)', async () => {
    proxy.hits.length = 0;
    const fetch = createFetch({ env: { HTTPS_PROXY: proxy.url }, extraCaPem: certs.ca.cert });
    const res = await fetch(`https://mcp.test:${port(secure)}/tunnel`);
    expect(await res.text()).toBe('hello /tunnel');
    expect(proxy.hits).toEqual([{ method: 'CONNECT', target: `mcp.test:${port(secure)}` }]);
  });

  it('sends http through HTTP_PROXY as an absolute-URI request', async () => {
    proxy.hits.length = 0;
    const fetch = createFetch({ env: { HTTP_PROXY: proxy.url } });
    const res = await fetch(`http://mcp.test:${port(plain)}/absolute?x=1`);
    expect(await res.text()).toBe('hello /absolute?x=1');
    expect(proxy.hits).toEqual([{ method: 'GET', target: `http://mcp.test:${port(plain)}/absolute?x=1` }]);
  });

  it('goes direct when NO_PROXY matches, and for loopback', async () => {
    proxy.hits.length = 0;
    const fetch = createFetch({ env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,.test' }, extraCaPem: certs.ca.cert, lookup: dns.lookup });
    expect(await (await fetch(`https://mcp.test:${port(secure)}/direct`)).text()).toBe('hello /direct');
    expect(await (await fetch(`http://127.0.0.1:${port(plain)}/loop`)).text()).toBe('hello /loop');
    expect(proxy.hits).toEqual([]);
  });

  it('sends proxy credentials from the URL, and surfaces a 407 without them', async () => {
    authProxy.hits.length = 0;
    const good = createFetch({ env: { HTTP_PROXY: `http://alice:s3cret@127.0.0.1:${authProxy.port}` } });
    expect((await good(`http://mcp.test:${port(plain)}/a`)).status).toBe(200);
    const bad = createFetch({ env: { HTTP_PROXY: authProxy.url } });
    await expect(bad(`http://mcp.test:${port(plain)}/a`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/407/) } });
    const badTunnel = createFetch({ env: { HTTPS_PROXY: authProxy.url }, extraCaPem: certs.ca.cert });
    await expect(badTunnel(`https://mcp.test:${port(secure)}/a`)).rejects.toThrow();
  });

  it('trusts the extra CA only when given', async () => {
    const trusting = createFetch({ env: {}, extraCaPem: certs.ca.cert });
    expect((await trusting(`https://127.0.0.1:${port(secure)}/ca`)).status).toBe(200);
    const plainFetch = createFetch({ env: {} });
    await expect(plainFetch(`https://127.0.0.1:${port(secure)}/ca`)).rejects.toThrow();
  });

  it('refuses an invalid proxy setting with a clear message', async () => {
    const fetch = createFetch({ env: { HTTPS_PROXY: 'socks5://127.0.0.1:1' } });
    await expect(fetch('https://example.invalid/')).rejects.toThrow(/Invalid proxy setting/);
  });
});
