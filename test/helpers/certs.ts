import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestCerts {
  /** A private CA; trust it through extraCaPem / NODE_EXTRA_CA_CERTS. */
  ca: KeyPair;
  /** Signed by `ca` for localhost, 127.0.0.1 and mcp.test. */
  good: KeyPair;
  /** Signed by `ca`, already expired. */
  expired: KeyPair;
  /** Self-signed for localhost / 127.0.0.1. */
  selfSigned: KeyPair;
  /** Signed by `ca` but for other.example only. */
  wrongName: KeyPair;
  /** Signed by an untrusted "Zscaler Root CA", as a TLS-inspecting proxy would. */
  intercepted: KeyPair;
  caFile: string;
  dir: string;
  cleanup(): void;
}

const SAN = 'subjectAltName=DNS:localhost,DNS:mcp.test,IP:127.0.0.1';

/** Certificates generated with the system openssl at test time (nothing checked in, nothing downloaded). */
export function makeCerts(): TestCerts {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-setup-certs-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const key = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', file(`${name}.key`));
  const root = (name: string, subject: string) => {
    key(name);
    openssl('req', '-x509', '-new', '-key', file(`${name}.key`), '-subj', subject, '-days', '30', '-out', file(`${name}.crt`),
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  };
  const leaf = (name: string, subject: string, issuer: string, days: string, san = SAN) => {
    key(name);
    openssl('req', '-new', '-key', file(`${name}.key`), '-subj', subject, '-out', file(`${name}.csr`));
    writeFileSync(file(`${name}.ext`), `${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${issuer}.crt`), '-CAkey', file(`${issuer}.key`), '-CAcreateserial',
      '-days', days, '-extfile', file(`${name}.ext`), '-out', file(`${name}.crt`));
  };
  root('ca', '/CN=mcp-setup Test CA/O=mcp-setup tests');
  root('zscaler', '/CN=Zscaler Root CA/O=Zscaler Inc.');
  leaf('good', '/CN=localhost', 'ca', '30');
  leaf('expired', '/CN=localhost', 'ca', '-1');
  leaf('wrong', '/CN=other.example', 'ca', '30', 'subjectAltName=DNS:other.example');
  leaf('intercepted', '/CN=localhost', 'zscaler', '30');
  key('self');
  openssl('req', '-x509', '-new', '-key', file('self.key'), '-subj', '/CN=localhost', '-days', '30', '-addext', SAN, '-out', file('self.crt'));

  const pair = (name: string): KeyPair => ({ key: readFileSync(file(`${name}.key`), 'utf8'), cert: readFileSync(file(`${name}.crt`), 'utf8') });
  return {
    ca: pair('ca'),
    good: pair('good'),
    expired: pair('expired'),
    selfSigned: pair('self'),
    wrongName: pair('wrong'),
    intercepted: pair('intercepted'),
    caFile: file('ca.crt'),
    dir,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
