import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { FetchFn } from '../deps.js';
import { CancelledError, UserError } from '../errors.js';
import { classifyConnectError, type ResponseRecord } from './classify.js';
import { MAX_RESPONSE_BYTES, SKIP_OUTPUT_VALIDATION, recordingFetch } from './recording-fetch.js';
import { SSE_FALLBACK_STATUSES } from './sse-fallback.js';
import { VERSION } from '../../version.js';

export interface ToolSummary {
  name: string;
  description: string;
}

export interface VerifyResult {
  url: string;
  server: { name: string; version: string; title?: string };
  protocolVersion: string;
  transport: 'streamable-http' | 'sse';
  tools: ToolSummary[];
  timings: { connectMs: number; listMs: number; totalMs: number };
}

export interface VerifyOptions {
  url: string;
  headers?: Record<string, string>;
  fetch: FetchFn;
  now: () => number;
  signal?: AbortSignal;
  /** Per attempt; the whole verify is bounded by twice this (HTTP then SSE). */
  timeoutMs?: number;
  authProvider?: OAuthClientProvider;
  onProgress?: (stage: 'connecting' | 'sse-fallback' | 'listing') => void;
}

const CLIENT_INFO = { name: 'mcp-setup', version: VERSION };
const MAX_PAGES = 100;

/** The one-line gist of a tool description for lists. */
export function firstLine(text: string | undefined): string {
  const line = (text ?? '').trim().split(/\r?\n/)[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/**
 * Connect with the SDK over Streamable HTTP (falling back to legacy SSE only when the initialize
 * POST answers 400/404/405, as the spec's backwards-compatibility section says), list every tool
 * following `nextCursor`, and time both steps.
 */
export async function verifyServer(options: VerifyOptions): Promise<VerifyResult> {
  const started = options.now();
  const timeoutMs = options.timeoutMs ?? 15_000;
  const recorder = recordingFetch(options.fetch);
  const requestInit: RequestInit = options.headers ? { headers: options.headers } : {};
  const transportOptions = { fetch: recorder.fetch, requestInit, ...(options.authProvider ? { authProvider: options.authProvider } : {}) };

  const attempt = async (kind: 'streamable-http' | 'sse') => {
    const url = new URL(options.url);
    const transport: Transport = kind === 'sse' ? new SSEClientTransport(url, transportOptions) : new StreamableHTTPClientTransport(url, transportOptions);
    const client = new Client(CLIENT_INFO, { capabilities: {}, jsonSchemaValidator: SKIP_OUTPUT_VALIDATION });
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const onAbort = () => void client.close().catch(() => {});
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const t0 = options.now();
      await client.connect(transport, { signal, timeout: timeoutMs });
      const connectMs = options.now() - t0;
      options.onProgress?.('listing');
      const t1 = options.now();
      const tools: ToolSummary[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await client.listTools(cursor ? { cursor } : {}, { signal, timeout: timeoutMs });
        for (const tool of result.tools) tools.push({ name: tool.name, description: firstLine(tool.description) });
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      const listMs = options.now() - t1;
      const info = client.getServerVersion();
      const protocolVersion = (transport as { protocolVersion?: string }).protocolVersion ?? 'unknown';
      return {
        url: options.url,
        server: { name: info?.name ?? 'unknown', version: info?.version ?? 'unknown', ...(info?.title ? { title: info.title } : {}) },
        protocolVersion,
        transport: kind,
        tools,
        timings: { connectMs, listMs, totalMs: options.now() - started },
      } satisfies VerifyResult;
    } catch (error) {
      if (options.signal?.aborted) throw new CancelledError();
      throw { error, timedOut: timeout.aborted, last: recorder.last() };
    } finally {
      signal.removeEventListener('abort', onAbort);
      await client.close().catch(() => {});
    }
  };

  options.onProgress?.('connecting');
  try {
    return await attempt('streamable-http');
  } catch (failure) {
    if (failure instanceof CancelledError) throw failure;
    const first = failure as { error: unknown; timedOut: boolean; last: ResponseRecord | undefined };
    const status = first.error instanceof StreamableHTTPError ? first.error.code : undefined;
    if (status !== undefined && SSE_FALLBACK_STATUSES.includes(status)) {
      options.onProgress?.('sse-fallback');
      try {
        return await attempt('sse');
      } catch (sseFailure) {
        if (sseFailure instanceof CancelledError) throw sseFailure;
        // The SSE attempt's error is rarely the useful one: report what the MCP endpoint said.
      }
    }
    // The auth provider's own errors (needs-auth naming `mcp-setup login`, a refused refresh) already say why.
    if (first.error instanceof UserError) throw first.error;
    if (recorder.oversized()) {
      throw new UserError({
        code: 'not-mcp',
        message: `${options.url} sent more than ${MAX_RESPONSE_BYTES / 1e6} MB in one answer, so mcp-setup stopped reading.`,
        hint: 'An MCP server answers initialize and tools/list with small JSON messages; this looks like a wrong URL or a broken server.',
      });
    }
    throw classifyConnectError(first.error, options.url, first.last, first.timedOut);
  }
}
