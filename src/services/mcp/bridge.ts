import type { Readable, Writable } from 'node:stream';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { AuthDeps } from '../auth/types.js';
import type { FetchFn } from '../deps.js';
import { UserError } from '../errors.js';
import { classifyConnectError, redact, systemCode } from './classify.js';

/**
 * The stdio ⇄ Streamable HTTP bridge behind `mcp-setup proxy`, for apps that only launch local
 * servers (Claude Desktop). The app's JSON-RPC messages go to the server and the server's come
 * back as they are: the bridge is not an MCP client, it never answers on the server's behalf.
 * It only looks at messages to (a) keep the client's `initialize` for starting a new session
 * when the server forgets ours, (b) set the protocol-version header from the initialize result,
 * and (c) know which requests are still waiting, so a dropped stream turns into an error
 * response instead of a request the app waits on forever.
 *
 * stdout (`output`) carries protocol only; `log` gets one line per event worth knowing.
 */

export interface BridgeOptions {
  url: string;
  /** The server's name in mcp-setup (for "mcp-setup login <name>"). */
  name?: string;
  /** Sent with every request (API-key servers). */
  headers?: Record<string, string>;
  /** OAuth: mcp-setup's stored sign-in (from getAuthProvider). */
  authProvider?: OAuthClientProvider;
  deps: Pick<AuthDeps, 'fetch'>;
  /** From the app (our stdin). */
  input: Readable;
  /** To the app (our stdout): JSON-RPC lines only. */
  output: Writable;
  /** Diagnostics (our stderr), one line each. */
  log: (line: string) => void;
  signal?: AbortSignal;
  /** Backoff for reconnecting (tests shorten it). */
  retry?: { initialDelayMs?: number; maxDelayMs?: number; attempts?: number };
}

export interface BridgeResult {
  reason: 'input-closed' | 'aborted';
}

const JSONRPC_SERVER_ERROR = -32000;

/**
 * Run until the app closes our stdin (resolves) or the bridge can't go on without the user
 * (rejects with a UserError: `needs-auth` naming `mcp-setup login`, or the server unreachable
 * before the first session). Before rejecting, every request the app is waiting on gets an error
 * response, so the app shows why.
 */
export async function runBridge(options: BridgeOptions): Promise<BridgeResult> {
  const bridge = new Bridge(options);
  return bridge.run();
}

type Kind = 'streamable-http' | 'sse';

interface Upstream {
  kind: Kind;
  transport: Transport & { setProtocolVersion?(v: string): void; sessionId?: string | undefined };
  generation: number;
}

const keyOf = (id: RequestId) => JSON.stringify(id);

class Bridge {
  private readonly stdio: StdioServerTransport;
  private upstream: Upstream | undefined;
  private generation = 0;
  /** The app's initialize request, replayed when a new session is needed. */
  private initRequest: JSONRPCRequest | undefined;
  private protocolVersion: string | undefined;
  private sessionEstablished = false;
  /** App → server requests not answered yet. */
  private readonly pending = new Map<string, RequestId>();
  /** Requests we already answered with an error (a late answer from the server is dropped). */
  private readonly abandoned = new Set<string>();
  /** Internal requests (session re-initialisation) waiting for the server. */
  private readonly internal = new Map<string, (message: JSONRPCMessage) => void>();
  private reinitializing: Promise<void> | undefined;
  private readonly handled = new WeakSet<object>();
  private connecting: Promise<Upstream> | undefined;
  private internalIds = 0;
  private finish!: (result: BridgeResult) => void;
  private fail!: (error: unknown) => void;
  private done = false;
  private lastLogged = '';
  private readonly retry: { initialDelayMs: number; maxDelayMs: number; attempts: number };

  constructor(private readonly options: BridgeOptions) {
    this.stdio = new StdioServerTransport(options.input, options.output);
    this.retry = { initialDelayMs: 500, maxDelayMs: 10_000, attempts: 6, ...options.retry };
  }

  async run(): Promise<BridgeResult> {
    const result = new Promise<BridgeResult>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    this.stdio.onmessage = (message) => void this.fromApp(message);
    this.stdio.onerror = (error) => this.note(`Ignored a message from the app that isn't JSON-RPC: ${firstLine(error)}`);
    const onEnd = () => void this.drainThenStop();
    this.options.input.once('end', onEnd);
    this.options.input.once('close', onEnd);
    const onAbort = () => void this.stop({ reason: 'aborted' });
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    await this.stdio.start();
    try {
      return await result;
    } finally {
      this.options.input.off('end', onEnd);
      this.options.input.off('close', onEnd);
      this.options.signal?.removeEventListener('abort', onAbort);
    }
  }

  // ── app → server ────────────────────────────────────────────────────────────

  private async fromApp(message: JSONRPCMessage): Promise<void> {
    if (this.done) return;
    if (isJSONRPCRequest(message)) {
      this.pending.set(keyOf(message.id), message.id);
      if (isInitializeRequest(message)) this.initRequest = message;
    } else if ('method' in message && message.method === 'notifications/cancelled') {
      // A cancelled request gets no answer (the spec says the server should not send one).
      const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (id !== undefined) this.pending.delete(keyOf(id));
    }
    await this.forward(message);
  }

  private async forward(message: JSONRPCMessage): Promise<void> {
    const isInit = isJSONRPCRequest(message) && isInitializeRequest(message);
    for (let attempt = 0; !this.done; attempt++) {
      if (this.reinitializing) await this.reinitializing.catch(() => {});
      let upstream: Upstream;
      try {
        upstream = await this.connected();
      } catch (error) {
        return this.giveUp(message, error);
      }
      try {
        await upstream.transport.send(message);
        return;
      } catch (error) {
        if (error && typeof error === 'object') this.handled.add(error);
        if (this.done) return;
        if (isAuthError(error)) return this.fatal(this.authError(error), message);
        const status = error instanceof StreamableHTTPError ? error.code : undefined;
        if (isInit && !this.sessionEstablished && upstream.kind === 'streamable-http' && (status === 400 || status === 404 || status === 405)) {
          // The spec's backwards-compatibility rule: an old HTTP+SSE server answers the initialize
          // POST with 400/404/405.
          this.note('The server does not speak Streamable HTTP; using the older HTTP+SSE transport.');
          await this.replace('sse');
          continue;
        }
        if (this.sessionEstablished && !isInit && isSessionGone(error) && attempt < this.retry.attempts) {
          await this.reinitialize(upstream);
          continue;
        }
        // Before a session, fail fast-ish: the app is waiting on its initialize.
        if (isRetryableNetworkError(error) && attempt < (this.sessionEstablished ? this.retry.attempts : Math.min(3, this.retry.attempts))) {
          this.note(`Can't reach the server (${systemCode(error) ?? 'network error'}); retrying.`);
          await delay(this.backoff(attempt));
          continue;
        }
        return this.giveUp(message, error);
      }
    }
  }

  /** A failure to deliver one message: an error response for a request, fatal before any session. */
  private giveUp(message: JSONRPCMessage, error: unknown): void {
    if (error instanceof UserError && error.code === 'needs-auth') return this.fatal(error, message);
    if (!this.sessionEstablished) return this.fatal(error instanceof UserError ? error : classifyConnectError(error, this.options.url, undefined, false), message);
    this.note(`Couldn't pass a message to the server: ${describe(error)}`);
    if (isJSONRPCRequest(message)) this.answerWithError(message.id, `mcp-setup proxy couldn't reach the server: ${describe(error)}`);
  }

  // ── server → app ────────────────────────────────────────────────────────────

  private fromServer(upstream: Upstream, message: JSONRPCMessage): void {
    if (this.done) return;
    if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
      const id = (message as { id?: RequestId }).id;
      if (id !== undefined) {
        const key = keyOf(id);
        const waiter = this.internal.get(key);
        if (waiter) {
          this.internal.delete(key);
          waiter(message);
          return;
        }
        if (this.abandoned.delete(key)) return;
        this.pending.delete(key);
        if (this.initRequest && keyOf(this.initRequest.id) === key && isJSONRPCResultResponse(message)) {
          const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
          if (typeof version === 'string') {
            this.protocolVersion = version;
            upstream.transport.setProtocolVersion?.(version);
          }
          this.sessionEstablished = true;
        }
      }
    }
    void this.stdio.send(message).catch((error: unknown) => this.note(`Couldn't write to the app: ${describe(error)}`));
  }

  private answerWithError(id: RequestId, text: string): void {
    const key = keyOf(id);
    if (!this.pending.delete(key)) return;
    this.abandoned.add(key);
    void this.stdio.send({ jsonrpc: '2.0', id, error: { code: JSONRPC_SERVER_ERROR, message: text } }).catch(() => {});
  }

  // ── the HTTP side ───────────────────────────────────────────────────────────

  private connected(): Promise<Upstream> {
    if (this.upstream) return Promise.resolve(this.upstream);
    this.connecting ??= this.replace('streamable-http').finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async replace(kind: Kind): Promise<Upstream> {
    const old = this.upstream;
    this.upstream = undefined;
    if (old) await closeQuietly(old.transport);
    const generation = ++this.generation;
    const transportOptions = {
      fetch: this.watchingFetch(),
      ...(this.options.headers ? { requestInit: { headers: this.options.headers } } : {}),
      ...(this.options.authProvider ? { authProvider: this.options.authProvider } : {}),
    };
    const transport: Upstream['transport'] =
      kind === 'sse'
        ? new SSEClientTransport(new URL(this.options.url), transportOptions)
        : new StreamableHTTPClientTransport(new URL(this.options.url), {
            ...transportOptions,
            // The GET stream is the server's only way to reach an idle app: keep trying (30 s apart at most).
            reconnectionOptions: { initialReconnectionDelay: this.retry.initialDelayMs, maxReconnectionDelay: 30_000, reconnectionDelayGrowFactor: 1.5, maxRetries: Number.POSITIVE_INFINITY },
          });
    const upstream: Upstream = { kind, transport, generation };
    transport.onmessage = (message) => {
      if (upstream.generation === this.generation) this.fromServer(upstream, message);
    };
    transport.onerror = (error) => {
      if (upstream.generation !== this.generation || this.done) return;
      if (isAuthError(error)) return this.fatal(this.authError(error));
      if (this.sessionEstablished && isSessionGone(error)) {
        void this.reinitialize(upstream).catch(() => {});
        return;
      }
      // The SDK reports stream drops and its own reconnect attempts here; say each kind once.
      // It also reports what send() then throws: that one is handled (and said) by forward().
      setTimeout(() => {
        if (!this.done && !(error && typeof error === 'object' && this.handled.has(error))) this.note(`Server connection: ${describe(error)}`);
      }, 0);
    };
    if (this.protocolVersion) transport.setProtocolVersion?.(this.protocolVersion);
    await transport.start();
    this.upstream = upstream;
    return upstream;
  }

  /**
   * The server forgot our session (restart, expiry): start a new one with the app's own
   * initialize, so the app carries on without noticing. Shared by every message that hit it.
   */
  private reinitialize(stale: Upstream): Promise<void> {
    if (stale.generation !== this.generation) return this.reinitializing ?? Promise.resolve();
    if (this.reinitializing) return this.reinitializing;
    const init = this.initRequest;
    if (!init) return Promise.resolve();
    this.reinitializing = (async () => {
      this.note('The server ended the session; starting a new one.');
      for (let attempt = 0; ; attempt++) {
        try {
          const upstream = await this.replace(stale.kind);
          const id = `mcp-setup-proxy-reinit-${++this.internalIds}`;
          let timer: NodeJS.Timeout | undefined;
          const answer = new Promise<JSONRPCMessage>((resolve, reject) => {
            this.internal.set(keyOf(id), resolve);
            timer = setTimeout(() => reject(new Error('no answer to initialize')), 30_000);
          });
          let response: JSONRPCMessage;
          try {
            await upstream.transport.send({ ...init, id });
            response = await answer;
          } finally {
            clearTimeout(timer);
            this.internal.delete(keyOf(id));
          }
          if (isJSONRPCErrorResponse(response)) throw new Error(`the server refused initialize: ${response.error.message}`);
          const version = (response as { result?: { protocolVersion?: unknown } }).result?.protocolVersion;
          if (typeof version === 'string') {
            this.protocolVersion = version;
            upstream.transport.setProtocolVersion?.(version);
          }
          await upstream.transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          this.note('New session started.');
          return;
        } catch (error) {
          if (isAuthError(error)) {
            this.fatal(this.authError(error));
            throw error;
          }
          if (attempt >= this.retry.attempts) {
            this.note(`Couldn't start a new session: ${describe(error)}`);
            throw error;
          }
          await delay(this.backoff(attempt));
        }
      }
    })().finally(() => {
      this.reinitializing = undefined;
    });
    return this.reinitializing;
  }

  /**
   * fetch that watches the SSE stream answering each request: when it ends or breaks before the
   * answer and without an event id (so the SDK can't resume it), the app gets an error response
   * instead of waiting forever.
   */
  private watchingFetch(): FetchFn {
    const base = this.options.deps.fetch;
    return async (input, init) => {
      const response = await base(input, init);
      const id = requestIdOf(init);
      if (id === undefined || !response.ok || !response.body || !/text\/event-stream/i.test(response.headers.get('content-type') ?? '')) return response;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let primed = false;
      let tail = '';
      const ended = () => {
        if (primed) return;
        setTimeout(() => {
          if (this.done || !this.pending.has(keyOf(id))) return;
          this.note('The server dropped the connection before answering a request.');
          this.answerWithError(id, 'The connection to the server dropped before it answered. Try again.');
        }, 200).unref?.();
      };
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { value, done } = await reader.read();
            if (done) {
              controller.close();
              ended();
              return;
            }
            if (!primed) {
              const text = tail + decoder.decode(value, { stream: true });
              if (/(^|\n)id:/.test(text)) primed = true;
              tail = text.slice(-4);
            }
            controller.enqueue(value);
          } catch (error) {
            controller.error(error);
            ended();
          }
        },
        cancel(reason) {
          return reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  // ── endings ─────────────────────────────────────────────────────────────────

  private authError(error: unknown): UserError {
    if (error instanceof UserError) return error;
    const label = this.options.name ?? this.options.url;
    return new UserError({
      code: 'needs-auth',
      message: 'This server needs sign-in.',
      nextSteps: [`Sign in: mcp-setup login ${label}`],
    });
  }

  private fatal(error: UserError, message?: JSONRPCMessage): void {
    if (this.done) return;
    const text = [error.message, ...error.nextSteps].join(' ');
    if (message && isJSONRPCRequest(message)) this.pending.set(keyOf(message.id), message.id);
    for (const id of [...this.pending.values()]) this.answerWithError(id, text);
    this.done = true;
    void this.closeUpstream(false).finally(() => this.fail(error));
  }

  /** The app closed our stdin: answers to requests already sent may still come (piped use); wait a little for them. */
  private async drainThenStop(): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!this.done && (this.pending.size > 0 || this.connecting) && Date.now() < deadline) await delay(25);
    await this.stop({ reason: 'input-closed' });
  }

  private async stop(result: BridgeResult): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.closeUpstream(true);
    this.finish(result);
  }

  private async closeUpstream(terminate: boolean): Promise<void> {
    const upstream = this.upstream;
    this.upstream = undefined;
    this.generation++;
    if (upstream && terminate && upstream.transport instanceof StreamableHTTPClientTransport && upstream.transport.sessionId) {
      // Tell the server we're gone (best effort, bounded: the app is waiting for us to exit).
      await Promise.race([upstream.transport.terminateSession().catch(() => {}), delay(1000)]);
    }
    if (upstream) await closeQuietly(upstream.transport);
    await this.stdio.close().catch(() => {});
  }

  private note(line: string): void {
    if (line === this.lastLogged) return;
    this.lastLogged = line;
    this.options.log(line);
  }

  private backoff(attempt: number): number {
    return Math.min(this.retry.initialDelayMs * 2 ** attempt, this.retry.maxDelayMs);
  }
}

function requestIdOf(init: RequestInit | undefined): RequestId | undefined {
  if (init?.method !== 'POST' || typeof init.body !== 'string') return undefined;
  try {
    const message = JSON.parse(init.body) as { id?: unknown; method?: unknown };
    return typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number') ? message.id : undefined;
  } catch {
    return undefined;
  }
}

function isAuthError(error: unknown): boolean {
  if (error instanceof UserError) return error.code === 'needs-auth';
  if (error instanceof StreamableHTTPError) return error.code === 401;
  return (error as { name?: string } | null)?.name === 'UnauthorizedError';
}

/** 404 for a request carrying our session id is the spec's "start a new session"; some servers say 400 "no valid session". */
function isSessionGone(error: unknown): boolean {
  if (!(error instanceof StreamableHTTPError)) return false;
  return error.code === 404 || (error.code === 400 && /session/i.test(error.message));
}

/** Errors where the request never reached the server, so sending it again is safe. */
function isRetryableNetworkError(error: unknown): boolean {
  const code = systemCode(error);
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function describe(error: unknown): string {
  const code = systemCode(error);
  const text = redact(firstLine(error));
  return code && !text.includes(code) ? `${text} (${code})` : text;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}

async function closeQuietly(transport: Transport): Promise<void> {
  transport.onmessage = undefined;
  transport.onerror = undefined;
  transport.onclose = undefined;
  await transport.close().catch(() => {});
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
