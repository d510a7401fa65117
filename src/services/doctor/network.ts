import { lookup } from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';
import { describeProxy, secureContextFor } from '../net.js';
import { isLoopbackHost } from '../url.js';
import type { Step } from './step.js';
import type { Check, CheckContext, Fix } from './types.js';
import { check, errorCode, humanDuration, isIp, seconds, stepSignal, throwIfCancelled } from './util.js';

const STEP_CAP_MS = 5_000;
const EXPIRY_WARN_DAYS = 14;

/** Vendors whose certificates mean "your company inspects TLS", not "the server is broken". */
const INTERCEPTORS =
  /zscaler|netskope|palo ?alto|fortinet|fortigate|blue ?coat|forcepoint|websense|sophos|cisco umbrella|umbrella|mcafee|skyhigh|check ?point|barracuda|cloudflare for teams|cloudflare gateway|iboss|menlo|lightspeed|securly|kaspersky|eset ssl|avast|avg web|bitdefender/i;

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const TRUST_CA: Fix = {
  id: 'trust-ca',
  label:
    "Save your company's root certificate as a PEM file and point NODE_EXTRA_CA_CERTS at it (on Node ≥ 22.15, NODE_USE_SYSTEM_CA=1 uses the OS store instead); restart the app afterwards.",
  command: 'export NODE_EXTRA_CA_CERTS=/path/to/company-root-ca.pem',
};

interface Endpoint {
  host: string;
  port: number;
  viaProxy: boolean;
}

interface NetState {
  url: URL;
  host: string;
  port: number;
  /** What we connect to first: the proxy when one applies, else the server. */
  first?: Endpoint;
  proxy?: URL;
  addresses: string[];
  /** The address the TCP check reached: later steps use it, not a first address that failed. */
  reached?: string;
}

function defaultResolver(host: string, signal: AbortSignal): Promise<Array<{ address: string; family: number }>> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error(`DNS lookup of ${host} timed out`), { code: 'ETIMEOUT' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    lookup(host, { all: true }).then(
      (addresses) => {
        signal.removeEventListener('abort', onAbort);
        resolve(addresses);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function connectTcp(host: string, port: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const fail = (error: unknown) => {
      socket.destroy();
      signal.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = () => fail(Object.assign(new Error(`connect to ${host}:${port} timed out`), { code: 'ETIMEDOUT' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', fail);
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}

/** Send one request line through the proxy and read its status (CONNECT for https, absolute-URI GET for http). */
async function askProxy(state: NetState, signal: AbortSignal): Promise<{ status: number; socket: net.Socket }> {
  const proxy = state.proxy!;
  const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);
  let socket: net.Socket = await connectTcp(state.reached ?? state.addresses[0] ?? proxy.hostname, proxyPort, signal);
  if (proxy.protocol === 'https:') socket = await upgradeTls(socket, proxy.hostname, undefined, signal).then((r) => r.socket);
  const authority = `${state.host.includes(':') ? `[${state.host}]` : state.host}:${state.port}`;
  const lines =
    state.url.protocol === 'https:'
      ? [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`]
      : [`HEAD ${state.url.origin}/ HTTP/1.1`, `Host: ${authority}`, 'Connection: close'];
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}`);
  }
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const cleanup = () => {
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      signal.removeEventListener('abort', onAbort);
    };
    const onError = (error: unknown) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onClose = () => onError(Object.assign(new Error('The proxy closed the connection'), { code: 'ECONNRESET' }));
    const onAbort = () => onError(Object.assign(new Error('The proxy did not answer'), { code: 'ETIMEDOUT' }));
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      cleanup();
      const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(buffer.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      socket.pause();
      resolve({ status, socket });
    };
    socket.on('data', onData);
    socket.once('error', onError);
    socket.once('close', onClose);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function upgradeTls(
  socket: net.Socket,
  servername: string,
  secureContext: tls.SecureContext | undefined,
  signal: AbortSignal,
): Promise<{ socket: tls.TLSSocket }> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({
      socket,
      ...(isIp(servername) ? {} : { servername }),
      rejectUnauthorized: false,
      ...(secureContext ? { secureContext } : {}),
      ALPNProtocols: ['http/1.1'],
    });
    const fail = (error: unknown) => {
      signal.removeEventListener('abort', onAbort);
      secure.destroy();
      reject(error);
    };
    const onAbort = () => fail(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    secure.once('error', fail);
    secure.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      secure.removeListener('error', fail);
      resolve({ socket: secure });
    });
  });
}

function nameOf(subject: tls.PeerCertificate['subject'] | undefined): string {
  if (!subject) return 'unknown';
  const cn = Array.isArray(subject.CN) ? subject.CN[0] : subject.CN;
  const o = Array.isArray(subject.O) ? subject.O[0] : subject.O;
  if (cn && o && !cn.includes(o)) return `${cn} (${o})`;
  return cn || o || 'unknown';
}

/** The top of the chain the server sent: for interception this names the proxy vendor's CA. */
function topIssuer(cert: tls.DetailedPeerCertificate): string {
  let current = cert;
  const seen = new Set<string>();
  while (current.issuerCertificate && current.issuerCertificate !== current && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    current = current.issuerCertificate;
  }
  return nameOf(current.issuer);
}

function isTimeout(code: string | undefined): boolean {
  return code === 'ETIMEDOUT' || code === 'ETIMEOUT' || code === 'ABORT_ERR';
}

export function networkSteps(): Step[] {
  const state: NetState = { url: new URL('http://invalid'), host: '', port: 0, addresses: [] };

  const proxyStep: Step = {
    id: 'net.proxy',
    layer: 'network',
    async run(ctx) {
      state.url = new URL(ctx.target.url);
      state.host = state.url.hostname.replace(/^\[|\]$/g, '');
      state.port = Number(state.url.port) || (state.url.protocol === 'https:' ? 443 : 80);
      const decision = describeProxy(ctx.deps.system.env, state.url);
      ctx.facts.proxy = decision;
      if (decision.invalid) {
        return [
          check('net.proxy', 'network', 'fail', decision.reason, {
            hint: 'Requests cannot go anywhere until the proxy setting is a URL such as http://proxy.example.com:3128.',
            fix: { id: 'fix-proxy', label: `Fix ${decision.variable} (ask IT for the proxy address), or unset it.`, command: `export ${decision.variable}=http://proxy.example.com:3128` },
          }),
        ];
      }
      if (decision.proxyUrl) {
        state.proxy = new URL(decision.proxyUrl);
        state.first = { host: state.proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(state.proxy.port) || (state.proxy.protocol === 'https:' ? 443 : 80), viaProxy: true };
        return [
          check('net.proxy', 'network', 'pass', `Through proxy ${decision.display}: ${decision.reason}`, {
            hint: 'mcp-setup honours it. Apps built on Node’s own fetch may ignore HTTPS_PROXY unless they add proxy support themselves.',
          }),
        ];
      }
      state.first = { host: state.host, port: state.port, viaProxy: false };
      return [check('net.proxy', 'network', 'pass', `Direct connection: ${decision.reason}`)];
    },
  };

  const dnsStep: Step = {
    id: 'net.dns',
    layer: 'network',
    async run(ctx) {
      const { host, viaProxy } = state.first!;
      const what = viaProxy ? `the proxy ${host}` : host;
      const note = viaProxy ? ` (the proxy looks up ${state.host} itself)` : '';
      if (isIp(host)) {
        state.addresses = [host];
        return [check('net.dns', 'network', 'pass', `${host} is an IP address; no lookup needed${note}.`)];
      }
      const { signal, ms } = stepSignal(ctx, STEP_CAP_MS);
      try {
        const resolve = ctx.deps.resolve ?? defaultResolver;
        const found = await resolve(host, signal);
        if (found.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENOTFOUND' });
        state.addresses = found.map((a) => a.address);
        ctx.facts.addresses = state.addresses;
        return [check('net.dns', 'network', 'pass', `${what} resolves to ${state.addresses.slice(0, 3).join(', ')}${note}.`)];
      } catch (error) {
        throwIfCancelled(ctx);
        const code = errorCode(error);
        if (code === 'ENOTFOUND' || code === 'ENODATA' || code === 'NXDOMAIN') {
          return [
            check('net.dns', 'network', 'fail', `Couldn't find ${what}: the name does not exist in DNS here.`, {
              hint: viaProxy
                ? 'The proxy host name in the proxy variable is probably wrong.'
                : isLoopbackHost(host)
                  ? 'This machine cannot resolve its own name; check /etc/hosts.'
                  : 'The host name is misspelled, or it is an internal name that only resolves on the company VPN.',
              fix: viaProxy
                ? { id: 'fix-proxy', label: `Check the proxy address with IT, then fix ${ctx.facts.proxy?.variable ?? 'HTTPS_PROXY'}.` }
                : { id: 'check-host', label: `Check the spelling of ${host}, or connect to the VPN, then run the doctor again.` },
            }),
          ];
        }
        return [
          check('net.dns', 'network', 'fail', `Looking up ${what} failed${isTimeout(code) ? ` (no answer within ${seconds(ms)})` : ` (${code ?? 'error'})`}.`, {
            hint: 'The DNS server is not answering: the machine is offline, or the network only allows lookups through a VPN or proxy.',
            fix: { id: 'check-network', label: 'Check the network connection (and VPN), then run the doctor again.' },
          }),
        ];
      }
    },
  };

  const tcpStep: Step = {
    id: 'net.tcp',
    layer: 'network',
    async run(ctx) {
      const { host, port, viaProxy } = state.first!;
      const what = viaProxy ? `the proxy at ${host}:${port}` : `${host}:${port}`;
      let lastError: unknown;
      let lastMs = 0;
      for (const address of state.addresses.slice(0, 4)) {
        const { signal, ms } = stepSignal(ctx, STEP_CAP_MS);
        lastMs = ms;
        try {
          const socket = await connectTcp(address, port, signal);
          socket.destroy();
          state.reached = address;
          const shown = address === host ? '' : ` (${address})`;
          return [check('net.tcp', 'network', 'pass', `Connected to ${what}${shown}.`)];
        } catch (error) {
          throwIfCancelled(ctx);
          lastError = error;
        }
      }
      const code = errorCode(lastError);
      const proxyVar = ctx.facts.proxy?.variable ?? 'HTTPS_PROXY';
      if (code === 'ECONNREFUSED') {
        return [
          check('net.tcp', 'network', 'fail', `Nothing is listening at ${what} (connection refused).`, {
            hint: viaProxy ? `The proxy is not running there, or the port in ${proxyVar} is wrong.` : 'The server is not running, or the port in the URL is wrong.',
            fix: viaProxy
              ? { id: 'fix-proxy', label: `Check the proxy address and port with IT, then fix ${proxyVar}.` }
              : { id: 'start-server', label: `Start the server (or fix the port in the URL) and run the doctor again.` },
          }),
        ];
      }
      if (isTimeout(code)) {
        return [
          check('net.tcp', 'network', 'fail', `${what} did not accept a connection within ${seconds(lastMs)}.`, {
            hint: viaProxy
              ? 'The proxy is unreachable from this network (VPN off?).'
              : 'A firewall is silently dropping the connection. Corporate networks often allow the internet only through a proxy, or internal servers only over VPN.',
            fix: viaProxy
              ? { id: 'check-network', label: 'Connect to the VPN, or check the proxy address with IT.' }
              : { id: 'set-proxy', label: 'If your network has a proxy, set HTTPS_PROXY (and NO_PROXY for internal hosts); otherwise connect to the VPN.', command: 'export HTTPS_PROXY=http://proxy.example.com:3128' },
          }),
        ];
      }
      return [
        check('net.tcp', 'network', 'fail', `Couldn't connect to ${what} (${code ?? 'error'}).`, {
          hint: code === 'EHOSTUNREACH' || code === 'ENETUNREACH' ? 'There is no network route to it: offline, or it needs the VPN.' : 'The network refused the connection.',
          fix: { id: 'check-network', label: 'Check the network connection and VPN, then run the doctor again.' },
        }),
      ];
    },
  };

  let tunnel: net.Socket | undefined;
  const tunnelStep: Step = {
    id: 'net.tunnel',
    layer: 'network',
    quietWhenSkipped: true,
    async run(ctx) {
      if (!state.proxy) return [];
      const proxyVar = ctx.facts.proxy?.variable ?? 'HTTPS_PROXY';
      const display = ctx.facts.proxy?.display ?? 'the proxy';
      const { signal, ms } = stepSignal(ctx, STEP_CAP_MS);
      const https = state.url.protocol === 'https:';
      try {
        const { status, socket } = await askProxy(state, signal);
        if (https && status === 200) tunnel = socket;
        else socket.destroy();
        if (status === 407) {
          const hasCredentials = Boolean(state.proxy.username || state.proxy.password);
          return [
            check('net.tunnel', 'network', 'fail', `The proxy ${display} asks for a login (407 Proxy Authentication Required).`, {
              hint: hasCredentials ? `It rejected the user name and password in ${proxyVar}.` : `${proxyVar} has no user name and password.`,
              fix: { id: 'fix-proxy', label: `Put your proxy login in ${proxyVar} (URL-encode special characters).`, command: `export ${proxyVar}=http://USER:PASSWORD@${state.proxy.host}` },
            }),
          ];
        }
        if (status === 403) {
          return [
            check('net.tunnel', 'network', 'fail', `The proxy ${display} refused to connect to ${state.host}:${state.port} (403).`, {
              hint: 'The proxy policy blocks this host (or this port).',
              fix: isInternalLooking(state.host)
                ? { id: 'bypass-proxy', label: `${state.host} looks internal: add it to NO_PROXY so it is reached directly.`, command: `export NO_PROXY=${noProxyWith(ctx, state.host)}` }
                : { id: 'contact-operator', label: `Ask IT to allow ${state.host} through the proxy.` },
            }),
          ];
        }
        if (status >= 500 || status === 0) {
          return [
            check('net.tunnel', 'network', 'fail', `The proxy ${display} could not reach ${state.host}:${state.port}${status ? ` (${status})` : ''}.`, {
              hint: isInternalLooking(state.host) ? `${state.host} looks like an internal host the proxy cannot see.` : 'The server is down, or the proxy cannot resolve or reach it.',
              fix: isInternalLooking(state.host)
                ? { id: 'bypass-proxy', label: `Add ${state.host} to NO_PROXY so it is reached directly.`, command: `export NO_PROXY=${noProxyWith(ctx, state.host)}` }
                : { id: 'retry-later', label: 'Check the server is up, then try again.' },
            }),
          ];
        }
        if (https && status !== 200) {
          return [
            check('net.tunnel', 'network', 'fail', `The proxy ${display} answered ${status} to a tunnel request for ${state.host}:${state.port}.`, {
              hint: 'It is not an HTTP CONNECT proxy, or it does not allow this port.',
              fix: { id: 'fix-proxy', label: `Check ${proxyVar} with IT.` },
            }),
          ];
        }
        return [
          check(
            'net.tunnel',
            'network',
            'pass',
            https ? `The proxy opened a tunnel to ${state.host}:${state.port}.` : `The proxy forwards requests to ${state.host}:${state.port} (it answered ${status}).`,
          ),
        ];
      } catch (error) {
        throwIfCancelled(ctx);
        const code = errorCode(error);
        return [
          check('net.tunnel', 'network', 'fail', isTimeout(code) ? `The proxy ${display} did not answer within ${seconds(ms)}.` : `The proxy ${display} closed the connection (${code ?? 'error'}).`, {
            hint: 'The address in the proxy variable may not be an HTTP proxy (a SOCKS or PAC address?).',
            fix: { id: 'fix-proxy', label: `Check ${proxyVar} with IT.` },
          }),
        ];
      }
    },
  };

  const tlsStep: Step = {
    id: 'net.tls',
    layer: 'network',
    async run(ctx) {
      if (state.url.protocol !== 'https:') {
        if (isLoopbackHost(state.host)) return [check('net.tls', 'network', 'skip', 'Plain http:// on this machine: no TLS needed.')];
        return [
          check('net.tls', 'network', 'warn', `Plain http:// to ${state.host}: requests and tokens travel unencrypted.`, {
            hint: 'Some apps (Claude Desktop connectors) accept only https:// URLs.',
            fix: { id: 'fix-url', label: 'Use the https:// address if the server has one.' },
          }),
        ];
      }
      const { signal, ms } = stepSignal(ctx, STEP_CAP_MS);
      const context = ctx.deps.extraCaPem ? secureContextFor(ctx.deps.system.env, ctx.deps.extraCaPem) : undefined;
      let secure: tls.TLSSocket | undefined;
      try {
        const raw = tunnel ?? (await connectTcp(state.reached ?? state.addresses[0] ?? state.host, state.port, signal));
        tunnel = undefined;
        raw.resume();
        secure = (await upgradeTls(raw, state.host, context, signal)).socket;
        return [judgeCertificate(ctx, secure, state.host)];
      } catch (error) {
        throwIfCancelled(ctx);
        const code = errorCode(error);
        const message = error instanceof Error ? error.message : String(error);
        if (isTimeout(code)) {
          return [
            check('net.tls', 'network', 'fail', `The TLS handshake with ${state.host} did not finish within ${seconds(ms)}.`, {
              hint: 'Something between here and the server (a firewall or inspecting proxy) is holding the connection.',
              fix: { id: 'check-network', label: 'Try another network or the VPN; if it persists, ask IT whether this host is blocked.' },
            }),
          ];
        }
        if (/wrong version number|packet length too long|unknown protocol/i.test(message) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
          return [
            check('net.tls', 'network', 'fail', `${state.host}:${state.port} does not speak TLS.`, {
              hint: 'The port serves plain HTTP (or something else), so https:// is wrong for it.',
              fix: { id: 'fix-url', label: `Check the URL: try http://${state.url.host}${state.url.pathname} or the server's https port.` },
            }),
          ];
        }
        return [
          check('net.tls', 'network', 'fail', `The TLS handshake with ${state.host} failed (${code ?? message}).`, {
            hint: code === 'ECONNRESET' ? 'A firewall or TLS-inspecting proxy cut the connection during the handshake.' : 'The server and this machine could not agree on a secure connection.',
            fix: { id: 'check-network', label: 'Try another network; if it works there, ask IT about TLS inspection for this host.' },
          }),
        ];
      } finally {
        secure?.destroy();
        tunnel?.destroy();
        tunnel = undefined;
      }
    },
  };

  const caStep: Step = {
    id: 'net.ca',
    layer: 'network',
    quietWhenSkipped: true,
    async run(ctx) {
      const file = ctx.deps.system.env.NODE_EXTRA_CA_CERTS;
      if (!file) return [];
      try {
        const { readFileSync } = await import('node:fs');
        const text = readFileSync(file, 'utf8');
        const count = (text.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
        if (count === 0) {
          return [
            check('net.ca', 'network', 'warn', `NODE_EXTRA_CA_CERTS=${file} holds no PEM certificates.`, {
              hint: 'Node ignores it: the file must contain "-----BEGIN CERTIFICATE-----" blocks (convert a .cer/.der with openssl x509 -inform der).',
              fix: { ...TRUST_CA, command: `openssl x509 -inform der -in company-root.cer -out ${file}` },
            }),
          ];
        }
        return [check('net.ca', 'network', 'pass', `NODE_EXTRA_CA_CERTS=${file} adds ${count} trusted certificate${count === 1 ? '' : 's'}.`)];
      } catch {
        return [
          check('net.ca', 'network', 'warn', `NODE_EXTRA_CA_CERTS=${file} cannot be read.`, {
            hint: 'Node skips the extra certificates when the file is missing or unreadable.',
            fix: { id: 'trust-ca', label: 'Fix the path in NODE_EXTRA_CA_CERTS (an absolute path to a PEM file).' },
          }),
        ];
      }
    },
  };

  // The extra-CA check explains a TLS failure, so it runs before TLS rather than being skipped by it.
  return [proxyStep, dnsStep, tcpStep, tunnelStep, caStep, tlsStep];
}

function isInternalLooking(host: string): boolean {
  return !host.includes('.') || /\.(internal|local|lan|corp|intranet|home\.arpa)$/i.test(host) || /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host);
}

function noProxyWith(ctx: CheckContext, host: string): string {
  const current = ctx.deps.system.env.NO_PROXY ?? ctx.deps.system.env.no_proxy;
  return current ? `${current},${host}` : host;
}

function judgeCertificate(ctx: CheckContext, socket: tls.TLSSocket, host: string): Check {
  const cert = socket.getPeerCertificate(true);
  const subject = nameOf(cert.subject);
  const issuer = topIssuer(cert);
  const validTo = new Date(cert.valid_to);
  const daysLeft = Math.floor((validTo.getTime() - ctx.deps.now()) / 86_400_000);
  ctx.facts.certificate = { subject, issuer, validTo: validTo.toISOString(), daysLeft };
  const rawError = socket.authorizationError as unknown;
  const code = typeof rawError === 'string' ? rawError : ((rawError as { code?: string } | null)?.code ?? (rawError as Error | null)?.message);
  const interceptor = INTERCEPTORS.test(issuer) || INTERCEPTORS.test(nameOf(cert.issuer));
  const interceptNote = interceptor
    ? `${issuer} is a corporate TLS-inspection proxy: it re-signs traffic with a company certificate this app does not trust yet.`
    : `A corporate proxy that inspects TLS is the usual cause; if it is, the company's root certificate must be trusted.`;

  if (code === 'CERT_HAS_EXPIRED') {
    return check('net.tls', 'network', 'fail', `The certificate of ${host} expired ${humanDuration(ctx.deps.now() - validTo.getTime())} ago (${validTo.toISOString().slice(0, 10)}).`, {
      hint: 'The server operator has not renewed it. If many sites fail like this, the clock of this machine is wrong.',
      fix: { id: 'contact-operator', label: `Tell the operator of ${host} that its certificate has expired.` },
    });
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return check('net.tls', 'network', 'fail', `The certificate of ${host} is not valid yet (from ${new Date(cert.valid_from).toISOString().slice(0, 10)}).`, {
      hint: `This machine's clock is probably wrong (it says ${new Date(ctx.deps.now()).toISOString().slice(0, 16)}Z).`,
      fix: { id: 'fix-clock', label: 'Set the system clock (enable automatic time), then try again.' },
    });
  }
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return check('net.tls', 'network', 'fail', `${host} presents a self-signed certificate (${subject}) that this machine does not trust.`, {
      hint: interceptor ? interceptNote : 'A development or internal server with its own certificate, or a TLS-inspecting proxy.',
      fix: interceptor ? TRUST_CA : { id: 'trust-ca', label: "If you trust this server, save its certificate as PEM and point NODE_EXTRA_CA_CERTS at it.", command: TRUST_CA.command! },
    });
  }
  const identity = code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? new Error(code) : code ? undefined : tls.checkServerIdentity(host, cert);
  if (identity) {
    const names = (cert.subjectaltname ?? '').replace(/DNS:|IP Address:/g, '').trim() || subject;
    return check('net.tls', 'network', 'fail', `The certificate is for ${names}, not ${host}.`, {
      hint: 'The URL uses a different host name than the server expects (an alias, or an IP address instead of its name), or a proxy serves its own certificate.',
      fix: { id: 'fix-url', label: `Use the host name the certificate names (${names.split(',')[0]?.trim()}).` },
    });
  }
  if (code && UNTRUSTED.has(code)) {
    return check('net.tls', 'network', 'fail', `The certificate of ${host} was issued by ${issuer}, which this machine does not trust (${code}).`, {
      hint: interceptNote,
      fix: TRUST_CA,
    });
  }
  if (code) {
    return check('net.tls', 'network', 'fail', `The certificate of ${host} was rejected (${code}).`, {
      hint: interceptNote,
      fix: TRUST_CA,
    });
  }
  if (daysLeft < EXPIRY_WARN_DAYS) {
    return check('net.tls', 'network', 'warn', `The certificate of ${host} expires in ${humanDuration(validTo.getTime() - ctx.deps.now())} (${validTo.toISOString().slice(0, 10)}).`, {
      hint: 'Connections will fail once it expires.',
      fix: { id: 'contact-operator', label: `Tell the operator of ${host} to renew its certificate.` },
    });
  }
  return check('net.tls', 'network', 'pass', `Valid certificate for ${host}, issued by ${issuer}, expires ${validTo.toISOString().slice(0, 10)}.`);
}
