import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyServer } from '../../../src/services/mcp/verify.js';
import { UserError } from '../../../src/services/errors.js';
import { startEverything, type RunningServer } from '../../helpers/everything.js';
import { startFaultServer, type FaultServer } from '../../helpers/fault-server.js';

const base = { fetch: globalThis.fetch, now: () => performance.now() };

describe('verifyServer against the real server-everything', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startEverything();
  });
  afterAll(() => server.stop());

  it('connects over Streamable HTTP and lists every tool', async () => {
    const stages: string[] = [];
    const result = await verifyServer({ ...base, url: server.url, onProgress: (s) => stages.push(s) });
    expect(result.transport).toBe('streamable-http');
    expect(result.server.name).toBe('mcp-servers/everything');
    expect(result.protocolVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const names = result.tools.map((t) => t.name);
    expect(names).toContain('echo');
    expect(names.length).toBeGreaterThan(5);
    expect(result.tools.find((t) => t.name === 'echo')?.description).not.toContain('\n');
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.connectMs);
    expect(stages).toEqual(['connecting', 'listing']);
  });
});

describe('a legacy HTTP+SSE server (2024-11-05)', () => {
  let legacy: RunningServer;
  beforeAll(async () => {
    legacy = await startEverything({ transport: 'sse' });
  });
  afterAll(() => legacy.stop());

  it('falls back to SSE only after the Streamable HTTP POST answers 405, and lists the tools', async () => {
    const stages: string[] = [];
    const result = await verifyServer({ ...base, url: legacy.url, onProgress: (s) => stages.push(s) });
    expect(result.transport).toBe('sse');
    expect(result.tools.map((t) => t.name)).toContain('echo');
    expect(stages).toEqual(['connecting', 'sse-fallback', 'listing']);
  });
});

describe('verifyServer classifies failures', () => {
  let faults: FaultServer;
  beforeAll(async () => {
    faults = await startFaultServer();
  });
  afterAll(() => faults.stop());

  const failure = async (path: string, timeoutMs = 5000): Promise<UserError> => {
    try {
      await verifyServer({ ...base, url: faults.url(path), timeoutMs });
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      return error as UserError;
    }
    throw new Error('verify should have failed');
  };

  it('401 → needs sign-in, exit 3', async () => {
    const error = await failure('/unauthorized');
    expect(error.code).toBe('needs-auth');
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe('This server needs sign-in.');
    expect(error.hint).toContain('OAuth');
  });

  it('404 → wrong path, after trying SSE', async () => {
    const error = await failure('/missing');
    expect(error.code).toBe('not-mcp');
    expect(error.exitCode).toBe(4);
    expect(error.hint).toContain('/mcp');
    expect(faults.hits('/missing').map((h) => h.method)).toEqual(['POST', 'GET']);
  });

  it('an HTML page → not an MCP server', async () => {
    const error = await failure('/html');
    expect(error.code).toBe('not-mcp');
    expect(error.message).toContain('web page');
  });

  it('a hanging server → timeout, bounded', async () => {
    const t0 = Date.now();
    const error = await failure('/hang', 500);
    expect(error.code).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('500 → server error', async () => {
    const error = await failure('/boom');
    expect(error.code).toBe('server-error');
  });

  it('a closed port → unreachable', async () => {
    try {
      await verifyServer({ ...base, url: `http://127.0.0.1:${await faults.closedPort()}/mcp`, timeoutMs: 3000 });
      throw new Error('should fail');
    } catch (error) {
      expect((error as UserError).code).toBe('unreachable');
      expect((error as UserError).message).toContain('Nothing is listening');
    }
  });
});
