import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { headerMap, parseCommandLine } from '../../src/cli/args.js';
import { UserError } from '../../src/services/errors.js';
import { validateAddRequest } from '../../src/services/setup.js';
import { normalizeServerUrl } from '../../src/services/url.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';

// Campaign 4: hostile URLs, names, headers and flags through the real binary and the services.
const CLI_RUNS = Number(process.env.FAULT_INPUT_CLI_RUNS ?? 30);
const SERVICE_RUNS = Number(process.env.FAULT_INPUT_SERVICE_RUNS ?? 2000);
let t: TempHome;
let canary: string;
beforeEach(async () => {
  t = await makeTempHome({ path: path.dirname(process.execPath) });
  canary = path.join(t.root, 'PWNED');
});
afterEach(() => t.cleanup());
const totals = { cli: 0, service: 0, failures: 0 };
afterAll(() => console.log(`[faults] bad input: ${totals.cli} CLI runs + ${totals.service} service calls, ${totals.failures} failures`));

const hostile = (c: () => string) =>
  fc.oneof(
    fc.constantFrom(
      `javascript:alert(1)`,
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'vscode://evil/x',
      `https://x.example/$(touch ${c()})`,
      `https://x.example/\`touch ${c()}\``,
      `https://x.example/;touch ${c()}`,
      `https://x.example/|touch ${c()}`,
      `$(touch ${c()})`,
      'https://user:pass@x.example/mcp',
      'https://x.example/\u0000mcp',
      'https://x.example/\r\nX-Evil: 1',
      'https://\u202Eevil.example/mcp',
      'https://xn--80ak6aa92e.com/mcp',
      'https://例え.jp/mcp',
      '--url',
      '-',
      '',
      ' ',
      `https://x.example/${'a'.repeat(10_000)}`,
      'https://[::1]:99999/mcp',
      'http://localhost:0/mcp',
    ),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
  );
const names = (c: () => string) =>
  fc.oneof(
    fc.constantFrom(`$(touch ${c()})`, `a;touch ${c()}`, '../../etc/passwd', '__proto__', 'constructor', 'a'.repeat(33), 'ok-name', '名前', 'a\u0000b', '-rf', '"quoted"'),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
  );
const headers = (c: () => string) =>
  fc.oneof(
    fc.constantFrom(`X-A: $(touch ${c()})`, 'X-A: a\r\nX-B: b', 'Bad Name: v', ': empty', 'X-A:', 'X-A: \u0000', `Authorization: Bearer ${'t'.repeat(5000)}`, 'X-Ok: fine'),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );

describe('fuzzed input', () => {
  it('services: URL, name and header checks never throw anything but UserError', () => {
    fc.assert(
      fc.property(hostile(() => canary), names(() => canary), fc.array(headers(() => canary), { maxLength: 3 }), (url, name, header) => {
        totals.service++;
        try {
          const u = normalizeServerUrl(url);
          if (u.ok) expect(new URL(u.url).protocol).toMatch(/^https?:$/);
          try {
            headerMap({ header });
          } catch (e) {
            expect(e).toBeInstanceOf(UserError);
          }
          try {
            const spec = validateAddRequest({ clients: ['cursor'], name, url });
            expect(spec.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/);
          } catch (e) {
            expect(e).toBeInstanceOf(UserError);
          }
          try {
            parseCommandLine(['add', '--url', url, '--name', name, ...header.flatMap((h) => ['--header', h])]);
          } catch (e) {
            expect(e).toBeInstanceOf(UserError);
          }
        } catch (error) {
          totals.failures++;
          throw error;
        }
      }),
      { numRuns: SERVICE_RUNS, seed: Number(process.env.FAULT_SEED ?? 20261121) },
    );
  });

  it('the built binary: exit 0/1/2 only, no crash output, nothing executed, nothing written on failure', async () => {
    const file = path.join(t.home, '.cursor', 'mcp.json');
    const extraFlags = fc.constantFrom<string[]>([], ['--scope', 'nope'], ['--scope', 'project'], ['--timeout', '-1'], ['--client', 'nonexistent'], ['--bogus'], ['--json'], ['--client', 'cursor,cursor']);
    await fc.assert(
      fc.asyncProperty(hostile(() => canary), fc.option(names(() => canary), { nil: undefined }), fc.array(headers(() => canary), { maxLength: 2 }), extraFlags, async (url, name, header, extra) => {
        totals.cli++;
        // argv can't carry NUL (execve); everything else goes through as typed.
        const args = ['add', '--client', 'cursor', '--url', url, ...(name !== undefined ? ['--name', name] : []), ...header.flatMap((h) => ['--header', h]), '--no-verify', '--yes', ...extra].map((a) => a.replaceAll('\0', ''));
        const r = await runCli(args, { env: t.env, cwd: t.cwd });
        const problems: string[] = [];
        if (![0, 1, 2].includes(r.code ?? -1)) problems.push(`exit ${r.code}`);
        if (/Unexpected error|BugError|\bat \S+:\d+:\d+\)?$/m.test(r.stderr + r.stdout)) problems.push('crash output');
        if (existsSync(canary)) problems.push('a shell command ran');
        if (r.code !== 0) {
          if (existsSync(file) || existsSync(path.join(t.cwd, '.cursor'))) problems.push('wrote a file on failure');
          if (!r.stderr.trim() && !r.stdout.trim()) problems.push('failed silently');
        } else {
          const target = existsSync(file) ? file : path.join(t.cwd, '.cursor', 'mcp.json');
          const servers = (JSON.parse(await readFile(target, 'utf8')) as { mcpServers: Record<string, { url: string }> }).mcpServers;
          for (const [n, entry] of Object.entries(servers)) {
            if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(n)) problems.push(`wrote name ${JSON.stringify(n)}`);
            if (!/^https?:\/\//.test(entry.url)) problems.push(`wrote url ${JSON.stringify(entry.url)}`);
          }
        }
        await rm(path.join(t.home, '.cursor'), { recursive: true, force: true });
        await rm(path.join(t.cwd, '.cursor'), { recursive: true, force: true });
        await rm(t.stateDir, { recursive: true, force: true });
        if (problems.length) {
          totals.failures++;
          throw new Error(`${problems.join(', ')} for ${JSON.stringify(args)}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
        }
      }),
      { numRuns: CLI_RUNS, seed: Number(process.env.FAULT_SEED ?? 20261121) },
    );
  }, 120_000);

  it('usage problems exit 2 and say which flag', async () => {
    for (const [args, needle] of [
      [['add', '--client', 'cursor', '--url', 'javascript:alert(1)', '--no-verify', '--yes'], '"javascript:" URLs are not MCP servers'],
      [['add', '--client', 'cursor', '--url', 'file:///etc/passwd', '--no-verify', '--yes'], '"file:" URLs are not MCP servers'],
      [['add', '--client', 'cursor', '--url', 'https://x.example/mcp', '--name', '$(id)', '--no-verify', '--yes'], 'Use letters, digits'],
      [['add', '--client', 'cursor', '--url', 'https://x.example/mcp', '--header', 'X-A: a\r\nX-B: b', '--no-verify', '--yes'], 'line break'],
      [['add', '--client', 'cursor', '--url', 'https://x.example/mcp', '--frobnicate'], 'Unknown option --frobnicate'],
      [['verify', 'file:///etc/passwd'], 'URLs are not MCP servers'],
    ] as const) {
      totals.cli++;
      const r = await runCli([...args], { env: t.env, cwd: t.cwd });
      expect.soft(r.code, args.join(' ')).toBe(2);
      expect.soft(r.stderr).toContain(needle);
    }
    expect(existsSync(path.join(t.home, '.cursor'))).toBe(false);
  }, 60_000);
});
