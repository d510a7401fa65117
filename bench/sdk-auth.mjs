// Baseline for the sign-in figure: the minimal correct thing an SDK user writes to sign in to a
// protected MCP server — the plain, unbundled SDK `auth()` with an OAuthClientProvider (dynamic
// client registration, PKCE, state), a loopback callback server on 127.0.0.1, $BROWSER (run
// without a shell, URL appended) for the authorization URL, then `auth()` again with the code.
// Tokens and the client are kept in a 0600 file under $HOME, as a tool that signs in would.
// Usage: BROWSER="node approving-browser.mjs" node bench/sdk-auth.mjs MCP_URL
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';

const serverUrl = process.argv[2];
const stateFile = path.join(process.env.HOME, '.sdk-auth', 'tokens.json');

let onCallback;
const callback = new Promise((resolve) => (onCallback = resolve));
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== '/callback') return void res.writeHead(404).end();
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' }).end('<p>Signed in. You can close this tab.</p>');
  onCallback(url.searchParams);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const redirectUrl = `http://127.0.0.1:${server.address().port}/callback`;

const saved = {};
const persist = () => {
  mkdirSync(path.dirname(stateFile), { recursive: true, mode: 0o700 });
  writeFileSync(stateFile, JSON.stringify(saved), { mode: 0o600 });
};
const state = randomBytes(16).toString('base64url');
let verifier;
const provider = {
  get redirectUrl() {
    return redirectUrl;
  },
  get clientMetadata() {
    return { client_name: 'sdk-auth-baseline', redirect_uris: [redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  },
  state: () => state,
  clientInformation: () => saved.client,
  saveClientInformation(client) {
    saved.client = client;
    persist();
  },
  tokens: () => saved.tokens,
  saveTokens(tokens) {
    saved.tokens = tokens;
    persist();
  },
  redirectToAuthorization(url) {
    const [command, ...args] = process.env.BROWSER.split(/\s+/).filter(Boolean);
    spawn(command, [...args, url.href], { stdio: 'ignore', detached: true }).unref();
  },
  saveCodeVerifier(v) {
    verifier = v;
  },
  codeVerifier: () => verifier,
};

if ((await auth(provider, { serverUrl })) !== 'REDIRECT') throw new Error('expected a redirect to the browser');
const params = await callback;
if (params.get('state') !== state) throw new Error('state mismatch');
const result = await auth(provider, { serverUrl, authorizationCode: params.get('code') });
if (result !== 'AUTHORIZED') throw new Error(`auth() returned ${result}`);
server.close();
process.stdout.write(`AUTHORIZED scope=${saved.tokens.scope ?? ''}\n`);
process.exit(0);
