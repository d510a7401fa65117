import { OAuthTokensSchema, type OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { CancelledError, UserError } from '../errors.js';
import { DEVICE_GRANT } from './registration.js';
import { safeBrowserUrl, safeErrorCode } from './safety.js';
import type { DeviceCodeInfo } from './types.js';
import type { AuthDeps } from './types.js';
import { requestSignal } from '../signals.js';

export interface ClientAuth {
  clientId: string;
  clientSecret?: string;
  /** From the registration; 'client_secret_basic' sends the secret in the Authorization header. */
  method?: string;
}

/** Client authentication for requests we build by hand (device, revocation): RFC 6749 §2.3. */
export function applyClientAuth(auth: ClientAuth, params: URLSearchParams, headers: Record<string, string>): void {
  if (auth.clientSecret && auth.method === 'client_secret_basic') {
    const encode = (value: string) => encodeURIComponent(value);
    headers.Authorization = `Basic ${Buffer.from(`${encode(auth.clientId)}:${encode(auth.clientSecret)}`).toString('base64')}`;
    return;
  }
  params.set('client_id', auth.clientId);
  if (auth.clientSecret) params.set('client_secret', auth.clientSecret);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * RFC 8628: ask for a user code, show it, then poll the token endpoint at `interval` seconds
 * (default 5), adding 5 s on `slow_down`, until approved, denied or expired.
 */
export async function runDeviceGrant(
  deps: AuthDeps,
  input: {
    deviceEndpoint: string;
    tokenEndpoint: string;
    client: ClientAuth;
    scope?: string;
    resource?: string | null;
    signal?: AbortSignal;
    timeoutMs: number;
    onDeviceCode?: (info: DeviceCodeInfo) => void;
    /** RFC 8628 §3.5 says 5 s; tests shorten it. */
    slowDownStepMs?: number;
  },
): Promise<OAuthTokens> {
  const post = async (url: string, params: URLSearchParams) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
    applyClientAuth(input.client, params, headers);
    const signal = requestSignal(input.signal);
    try {
      const response = await deps.fetch(url, { method: 'POST', headers, body: params, signal, redirect: 'manual' });
      let body: Record<string, unknown> = {};
      try {
        body = (await response.json()) as Record<string, unknown>;
      } catch {
        // Not JSON: judged by status below.
      }
      return { status: response.status, body };
    } catch (error) {
      if (input.signal?.aborted) throw new CancelledError();
      throw new UserError({ code: 'unreachable', message: `Couldn't reach the sign-in server ${new URL(url).host}.`, cause: error });
    }
  };

  const start = new URLSearchParams();
  if (input.scope) start.set('scope', input.scope);
  // RFC 8707 applies to the device grant too; without it the token has no MCP audience.
  if (input.resource) start.set('resource', input.resource);
  const authz = await post(input.deviceEndpoint, start);
  const { device_code: deviceCode, user_code: userCode, verification_uri: verificationUri } = authz.body;
  if (authz.status !== 200 || typeof deviceCode !== 'string' || typeof userCode !== 'string' || typeof verificationUri !== 'string') {
    const code = safeErrorCode(authz.body.error);
    throw new UserError({
      code: 'auth-failed',
      message: `The sign-in server refused to start a device sign-in${code ? ` (${code})` : ''}.`,
      nextSteps: ['Sign in with the browser instead (paste the redirect address when asked).'],
    });
  }
  const safeUri = safeBrowserUrl(verificationUri);
  const complete = typeof authz.body.verification_uri_complete === 'string' ? safeBrowserUrl(authz.body.verification_uri_complete) : null;
  if (!safeUri || !/^[A-Za-z0-9 -]{1,32}$/.test(userCode)) {
    throw new UserError({ code: 'auth-untrusted', message: 'The sign-in server sent a device sign-in page address or code that is not safe to show.' });
  }
  const expiresIn = typeof authz.body.expires_in === 'number' ? authz.body.expires_in : 600;
  const expiresAt = deps.now() + Math.min(expiresIn * 1000, input.timeoutMs);
  input.onDeviceCode?.({ userCode, verificationUri: safeUri, ...(complete ? { verificationUriComplete: complete } : {}), expiresAt });

  let intervalMs = Math.max(1, typeof authz.body.interval === 'number' ? authz.body.interval : 5) * 1000;
  for (;;) {
    await sleep(intervalMs, input.signal);
    if (deps.now() > expiresAt) {
      throw new UserError({ code: 'auth-failed', message: 'The device code expired before it was approved.', nextSteps: ['Run the sign-in again.'] });
    }
    const params = new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: deviceCode });
    if (input.resource) params.set('resource', input.resource);
    const result = await post(input.tokenEndpoint, params);
    if (result.status === 200) {
      const parsed = OAuthTokensSchema.safeParse(result.body);
      if (!parsed.success) throw new UserError({ code: 'auth-failed', message: 'The sign-in server sent an unreadable token response.' });
      return parsed.data;
    }
    const error = safeErrorCode(result.body.error);
    if (error === 'authorization_pending') continue;
    if (error === 'slow_down') {
      intervalMs += input.slowDownStepMs ?? 5000;
      continue;
    }
    if (error === 'access_denied') throw new UserError({ code: 'auth-failed', message: 'The sign-in was declined in the browser.' });
    if (error === 'expired_token') {
      throw new UserError({ code: 'auth-failed', message: 'The device code expired before it was approved.', nextSteps: ['Run the sign-in again.'] });
    }
    throw new UserError({ code: 'auth-failed', message: `The sign-in server refused the device sign-in${error ? ` (${error})` : ''}.` });
  }
}
