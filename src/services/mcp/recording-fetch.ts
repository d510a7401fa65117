import type { FetchFn } from '../deps.js';
import type { ResponseRecord } from './classify.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';

/** The most any one MCP/HTTP response may carry: an endless body would otherwise fill memory. */
export const MAX_RESPONSE_BYTES = 16_000_000;

export interface RecordingFetch {
  fetch: FetchFn;
  /** What the last response said (often more telling than the error the SDK throws). */
  last(): ResponseRecord | undefined;
  /** A response was cut off at MAX_RESPONSE_BYTES. */
  oversized(): boolean;
}

/** A fetch for the SDK's transports that remembers the last response and caps every body. */
export function recordingFetch(base: FetchFn): RecordingFetch {
  let last: ResponseRecord | undefined;
  let oversized = false;
  return {
    fetch: async (input, init) => {
      const response = capBody(await base(input, init), () => (oversized = true));
      last = {
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        wwwAuthenticate: response.headers.get('www-authenticate'),
        location: response.headers.get('location'),
      };
      return response;
    },
    last: () => last,
    oversized: () => oversized,
  };
}

function capBody(response: Response, onOversize: () => void): Response {
  if (!response.body) return response;
  let total = 0;
  const capped = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > MAX_RESPONSE_BYTES) {
          onOversize();
          controller.error(new Error(`Response larger than ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(capped, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * verify, list health and doctor list tools but never call them; the SDK otherwise compiles an
 * ajv validator for every tool's output schema on each tools/list (~90 ms over 20 servers).
 */
export const SKIP_OUTPUT_VALIDATION: jsonSchemaValidator = {
  getValidator: () => (input: unknown) => ({ valid: true, data: input as never, errorMessage: undefined }),
};
