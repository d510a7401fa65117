import { randomBytes } from 'node:crypto';
import { exchangeAuthorization, startAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { CancelledError, UserError } from '../errors.js';
import { discover, endpoints } from './discovery.js';
import { runDeviceGrant } from './device.js';
import { redirectUriFor, stablePortFor, startLoopback, type CallbackVerdict, type LoopbackListener } from './loopback.js';
import { parsePastedCallback } from './paste.js';
import { registeredCallback, resolveClient } from './registration.js';
import { safeBrowserUrl, safeErrorCode, sanitizeForDisplay } from './safety.js';
import { canonicalServerUrl, clientInformationOf, saveTokenResponse, tokenEndpointError } from './session.js';
import { AuthStateStore, chooseSecretStore, ensureStateDir, secretAccount, secretStoreOfKind, type IssuerState } from './store.js';
import { sshTunnelHint } from './headless.js';
import type { AuthDeps, LoginEvents, LoginMethod, LoginRequest, LoginResult, LoginSession, PasteOutcome } from './types.js';
import { requestSignal } from '../signals.js';

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

function splitScopes(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter(Boolean);
}

function union(...lists: (string[] | undefined)[]): string[] {
  return [...new Set(lists.flatMap((list) => list ?? []))];
}

/** Sign in with the first of loopback callback / pasted URL or code / device grant that completes. */
export async function login(request: LoginRequest, deps: AuthDeps, events: LoginEvents = {}): Promise<LoginResult> {
  return startLogin(request, deps, events).result;
}

/**
 * Start a sign-in and return at once with a handle: `result` settles when it finishes, and
 * `submitPaste` feeds in what the user pasted while the loopback listener keeps waiting.
 */
export function startLogin(request: LoginRequest, deps: AuthDeps, events: LoginEvents = {}): LoginSession {
  let pasteHandler: ((text: string) => Promise<PasteOutcome>) | undefined;
  let pasteRefusal = 'Sign-in has not reached the browser step yet.';
  const result = runLogin(request, deps, events, {
    setPasteHandler: (handler, refusal) => {
      pasteHandler = handler;
      if (refusal) pasteRefusal = refusal;
    },
  });
  // Callers that only use `submitPaste` must not trip an unhandled rejection.
  result.catch(() => {});
  return {
    result,
    submitPaste: (text) => (pasteHandler ? pasteHandler(text) : Promise.resolve({ ok: false, message: pasteRefusal })),
  };
}

interface Hooks {
  setPasteHandler(handler: ((text: string) => Promise<PasteOutcome>) | undefined, refusal?: string): void;
}

async function runLogin(request: LoginRequest, deps: AuthDeps, events: LoginEvents, hooks: Hooks): Promise<LoginResult> {
  const signal = request.signal;
  if (signal?.aborted) throw new CancelledError();
  const serverKey = canonicalServerUrl(request.serverUrl);
  const label = serverKey;
  await ensureStateDir(deps.stateDir);
  const store = new AuthStateStore(deps.stateDir);
  const useResource = request.useResource ?? true;

  events.onStatus?.('Finding out how this server signs in…');
  // The keychain probe doesn't depend on the server: run it while discovery is on the network.
  const secretStoreChoice = chooseSecretStore(deps);
  secretStoreChoice.catch(() => {});
  const discovery = await discover(serverKey, { fetch: deps.fetch, useResource, ...(signal ? { signal } : {}) });
  const ep = endpoints(discovery);
  const issuer = ep.issuer;
  const stored = store.server(serverKey);
  const previous = stored?.byIssuer[issuer];

  // SEP-835: the challenge's scope, else the PRM's scopes_supported; step-up (2026-07-28) asks
  // for the union with everything asked before.
  const baseScopes = discovery.challengeScope ? splitScopes(discovery.challengeScope) : (discovery.resourceMetadata?.scopes_supported ?? []);
  let scopes = union(splitScopes(previous?.requestedScopes), baseScopes, request.scopes);
  // 2026-07-28 "Refresh Tokens": offline_access may be added when the AS (not the RS) lists it.
  if (scopes.length > 0 && ep.scopesSupported?.includes('offline_access')) scopes = union(scopes, ['offline_access']);
  const scope = scopes.length ? scopes.join(' ') : undefined;

  const wantDevice = request.grant === 'device' || (request.grant !== 'browser' && request.headless && Boolean(ep.device));
  if (wantDevice && !ep.device) {
    throw new UserError({
      code: 'auth-unsupported',
      message: 'This sign-in server does not offer device sign-in.',
      nextSteps: ['Sign in with the browser: open the link on any machine and paste the address you land on.'],
    });
  }

  const secretStore = await secretStoreChoice;
  const storedCallback = registeredCallback(previous?.client);
  const host = request.callbackHost ?? storedCallback?.host ?? stored?.callback?.host ?? '127.0.0.1';
  const pinned = request.callbackPort !== undefined;
  const wantedPort = request.callbackPort ?? storedCallback?.port ?? stablePortFor(serverKey);

  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const flowAbort = new AbortController();
  const timer = setTimeout(() => flowAbort.abort(new UserError({
    code: 'timeout',
    message: `Sign-in timed out: nothing came back within ${Math.max(1, Math.round(timeoutMs / 60_000))} minute(s).`,
    nextSteps: ['Run the sign-in again. Over SSH, paste the address the browser shows after approving.'],
  })), timeoutMs);
  timer.unref?.();
  const onOuterAbort = () => flowAbort.abort(new CancelledError());
  signal?.addEventListener('abort', onOuterAbort, { once: true });
  const flowSignal = flowAbort.signal;

  let listener: LoopbackListener | undefined;
  try {
    // Listen first: the actual port decides the redirect URI we register.
    let completion: Completion | undefined;
    if (!wantDevice) {
      completion = new Completion((message) => events.onStatus?.(message));
      const pending = completion;
      listener = await startLoopback(wantedPort, pinned, (params) => pending.fromCallback(params));
    }
    const redirectUri = redirectUriFor(host, listener?.port ?? wantedPort);

    const resolved = await resolveClient(deps, {
      serverLabel: label,
      discovery,
      stored: previous?.client,
      ...(request.clientId ? { clientId: request.clientId } : {}),
      ...(request.clientSecret ? { clientSecret: request.clientSecret } : {}),
      redirectUri,
      device: wantDevice,
      ...(scope ? { scope } : {}),
      signal: flowSignal,
    });
    if (resolved.registered) events.onStatus?.('Registered mcp-setup with the sign-in server.');

    // Persist discovery and the client (non-secret) before the browser step, so a second process
    // (or the refresh path) sees the same registration.
    const account = secretAccount(serverKey, issuer);
    const existingSecrets = previous?.secretStore
      ? await secretStoreOfKind(previous.secretStore, deps)
          .then((s) => s.get(account))
          .catch(() => undefined)
      : undefined;
    const clientSecret = resolved.newSecret ?? (resolved.client.hasSecret ? existingSecrets?.client_secret : undefined);
    // Nothing secret yet (a public client): the token save writes the record; skip an fsync here.
    if (clientSecret || existingSecrets) await secretStore.set(account, { ...(existingSecrets ?? {}), ...(clientSecret ? { client_secret: clientSecret } : {}) });
    if (previous?.secretStore && previous.secretStore !== secretStore.kind) {
      // Moved between keychain and file (e.g. MCP_SETUP_TOKEN_STORE changed): leave no copy behind.
      await (await secretStoreOfKind(previous.secretStore, deps)).delete(account).catch(() => {});
    }
    const registration = { discovery: stripChallenge(discovery), client: resolved.client, secretStore: secretStore.kind, ...(scope ? { requestedScopes: scope } : {}) };
    // Recorded once the browser is on its way (it takes far longer to come back than this write),
    // so a second process or the refresh path sees this registration before any token exists.
    const persistRegistration = () => store.updateIssuer(serverKey, issuer, (state): IssuerState => ({ ...(state ?? {}), ...registration }));
    const clientInformation = clientInformationOf({ ...(previous ?? {}), ...registration }, clientSecret ? { client_secret: clientSecret } : undefined)!;
    const target = { serverKey, issuer, secretStore };

    let tokens: OAuthTokens;
    let method: LoginMethod;
    let warning: string | undefined;
    if (wantDevice) {
      persistRegistration();
      hooks.setPasteHandler(undefined, 'This sign-in uses a device code: approve it in the browser instead of pasting.');
      events.onStatus?.('Waiting for you to approve the device code…');
      tokens = await runDeviceGrant(deps, {
        deviceEndpoint: ep.device!,
        tokenEndpoint: ep.token,
        client: { clientId: clientInformation.client_id, ...(clientSecret ? { clientSecret } : {}), ...(resolved.client.token_endpoint_auth_method ? { method: resolved.client.token_endpoint_auth_method } : {}) },
        ...(scope ? { scope } : {}),
        resource: discovery.resource,
        signal: flowSignal,
        timeoutMs,
        ...(events.onDeviceCode ? { onDeviceCode: (info) => events.onDeviceCode!(info) } : {}),
      }).catch((error) => {
        throw flowSignal.aborted ? abortReason(flowSignal) : error;
      });
      method = 'device';
    } else {
      const state = randomBytes(16).toString('base64url');
      const { authorizationUrl, codeVerifier } = await startAuthorization(discovery.authorizationServerUrl, {
        ...(discovery.authorizationServerMetadata ? { metadata: discovery.authorizationServerMetadata } : {}),
        clientInformation,
        redirectUrl: redirectUri,
        state,
        ...(scope ? { scope } : {}),
        ...(discovery.resource ? { resource: new URL(discovery.resource) } : {}),
      });
      const url = safeBrowserUrl(authorizationUrl.href);
      if (!url) {
        throw new UserError({ code: 'auth-untrusted', message: 'The sign-in address is not a safe web address, so it was not opened.' });
      }
      const pending = completion!;
      pending.configure({
        state,
        issuer,
        issRequired: ep.issParameterSupported,
        exchange: (code) =>
          exchangeAuthorization(discovery.authorizationServerUrl, {
            ...(discovery.authorizationServerMetadata ? { metadata: discovery.authorizationServerMetadata } : {}),
            clientInformation,
            authorizationCode: code,
            codeVerifier,
            redirectUri,
            ...(discovery.resource ? { resource: new URL(discovery.resource) } : {}),
            fetchFn: (input, init) => deps.fetch(input, { ...init, signal: requestSignal(flowSignal) }),
          }).catch((error) => {
            throw tokenEndpointError(error, discovery.authorizationServerUrl);
          }),
      });
      hooks.setPasteHandler((text) => pending.fromPaste(text));
      const browserOpened = request.headless ? false : await deps.openBrowser(url).catch(() => false);
      persistRegistration();
      const sshTunnel = request.headless ? sshTunnelHint(deps.system, listener!.port) : undefined;
      events.onAuthUrl?.(url, { browserOpened, headless: request.headless, redirectUri, ...(sshTunnel ? { sshTunnel } : {}) });
      events.onStatus?.('Waiting for the browser to come back…');
      const done = await pending.wait(flowSignal);
      tokens = done.tokens;
      method = done.via;
      warning = done.warning;
    }

    const info = await saveTokenResponse(deps, target, tokens, method, scope, store, (server) => ({
      ...server,
      activeIssuer: issuer,
      callback: { host, port: listener?.port ?? wantedPort },
    }));
    return {
      serverUrl: serverKey,
      issuer,
      scopes: splitScopes(info.scope),
      ...(info.expiresAt !== undefined ? { expiresAt: info.expiresAt } : {}),
      tokenStorage: secretStore.kind,
      method,
      ...(warning ? { warning } : {}),
    };
  } catch (error) {
    if (flowSignal.aborted) throw abortReason(flowSignal);
    throw error;
  } finally {
    hooks.setPasteHandler(undefined, 'This sign-in has finished.');
    clearTimeout(timer);
    signal?.removeEventListener('abort', onOuterAbort);
    await listener?.close();
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new CancelledError();
}

function stripChallenge<T extends { challengeScope?: string }>(value: T): Omit<T, 'challengeScope'> {
  const { challengeScope: _ignored, ...rest } = value;
  return rest;
}

interface CompletionConfig {
  state: string;
  issuer: string;
  issRequired: boolean;
  exchange(code: string): Promise<OAuthTokens>;
}

interface Completed {
  tokens: OAuthTokens;
  via: 'loopback' | 'paste';
  warning?: string;
}

const BARE_CODE_WARNING = 'A bare code carries no state, so mcp-setup could not check it belongs to this sign-in.';

/**
 * The single-use finish line shared by the loopback listener and pastes. Whichever valid
 * response arrives first wins; `state` is checked before anything else is read, then `iss`
 * (RFC 9207), and only then the AS's own error text may be shown.
 */
class Completion {
  private config: CompletionConfig | undefined;
  private busy = false;
  private finished = false;
  private resolveDone!: (value: Completed) => void;
  private rejectDone!: (error: Error) => void;
  private readonly done = new Promise<Completed>((resolve, reject) => {
    this.resolveDone = resolve;
    this.rejectDone = reject;
  });

  constructor(private readonly onIgnored: (message: string) => void = () => {}) {
    // A callback can settle this before `wait()` is reached (the browser may finish inside
    // openBrowser); `wait()` still returns the same promise.
    this.done.catch(() => {});
  }

  configure(config: CompletionConfig): void {
    this.config = config;
  }

  wait(signal: AbortSignal): Promise<Completed> {
    if (signal.aborted) this.fail(abortReason(signal));
    signal.addEventListener('abort', () => this.fail(abortReason(signal)), { once: true });
    return this.done;
  }

  private fail(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.rejectDone(error);
  }

  async fromCallback(params: URLSearchParams): Promise<CallbackVerdict> {
    const outcome = await this.handle(params, 'loopback');
    if (!outcome.ok && !this.finished) this.onIgnored(`Ignored a browser response: ${outcome.message}`);
    if (outcome.ok) return { status: 200, title: 'Signed in', detail: 'mcp-setup is signed in. You can close this tab and return to the terminal.' };
    return { status: 400, title: 'Sign-in not completed', detail: `${outcome.message} Return to the terminal.` };
  }

  async fromPaste(text: string): Promise<PasteOutcome> {
    const parsed = parsePastedCallback(text);
    if (parsed.kind === 'invalid') return { ok: false, message: parsed.message };
    if (parsed.kind === 'code') {
      const outcome = await this.handle(new URLSearchParams({ code: parsed.code }), 'paste', true);
      return outcome.ok ? { ok: true, warning: BARE_CODE_WARNING } : { ok: false, message: outcome.message };
    }
    const outcome = await this.handle(parsed.params, 'paste');
    return outcome.ok ? { ok: true } : { ok: false, message: outcome.message };
  }

  private async handle(params: URLSearchParams, via: 'loopback' | 'paste', bareCode = false): Promise<{ ok: true } | { ok: false; message: string }> {
    const config = this.config;
    if (this.finished) return { ok: false, message: 'This sign-in has already finished.' };
    if (!config) return { ok: false, message: 'Sign-in has not reached the browser step yet.' };
    if (this.busy) return { ok: false, message: 'Another response for this sign-in is being processed.' };
    if (!bareCode) {
      // Our own 128-bit state: anything else is a stale tab or a forged (CSRF) response. Ignore
      // it and keep waiting; show nothing it carried.
      if (params.get('state') !== config.state) {
        return { ok: false, message: 'This response does not belong to the current sign-in (state mismatch), so it was ignored.' };
      }
      // RFC 9207 §2.4: exact string comparison; a missing iss is refused when the AS promised one.
      const iss = params.get('iss');
      if ((iss === null && config.issRequired) || (iss !== null && iss !== config.issuer)) {
        const error = new UserError({
          code: 'auth-untrusted',
          message: 'The sign-in response did not come from the expected authorization server (issuer mismatch), so it was rejected.',
          hint: 'This can mean a mix-up attack. Nothing from the response was used.',
          nextSteps: ['Run the sign-in again; if it repeats, contact the server operator.'],
        });
        this.fail(error);
        return { ok: false, message: error.message };
      }
      const errorCode = params.get('error');
      if (errorCode !== null) {
        const code = safeErrorCode(errorCode);
        const description = params.get('error_description');
        const error = new UserError({
          code: 'auth-failed',
          message: code === 'access_denied' ? 'Sign-in was declined in the browser.' : `The sign-in server returned an error${code ? ` (${code})` : ''}.`,
          ...(description ? { hint: sanitizeForDisplay(description) } : {}),
          nextSteps: ['Run the sign-in again.'],
        });
        this.fail(error);
        return { ok: false, message: error.message };
      }
    }
    const code = params.get('code');
    if (!code) return { ok: false, message: 'The response has no authorization code.' };
    this.busy = true;
    try {
      const tokens = await config.exchange(code);
      if (this.finished) return { ok: false, message: 'This sign-in has already finished.' };
      this.finished = true;
      this.resolveDone({ tokens, via, ...(bareCode ? { warning: BARE_CODE_WARNING } : {}) });
      return { ok: true };
    } catch (error) {
      // A mistyped bare code can be pasted again; a code from a real redirect is spent.
      if (bareCode) return { ok: false, message: `The sign-in server did not accept that code. ${error instanceof UserError ? error.message : ''}`.trim() };
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return { ok: false, message: 'The sign-in server did not accept the response.' };
    } finally {
      this.busy = false;
    }
  }
}

