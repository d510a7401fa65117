import { chmod, lstat, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientId } from '../../src/services/clients/types.js';
import { UserError } from '../../src/services/errors.js';
import { listServers, removeServer, updateServer } from '../../src/services/manage.js';
import { applyPlan, planAdd } from '../../src/services/setup.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';

// Campaign 3: broken, odd and hostile config files. Unparsable → clear error naming file and
// line, byte-identical file, no backup, no temp file. Odd but valid → surgical edit.
let t: TempHome;
beforeEach(async () => {
  t = await makeTempHome({ path: path.dirname(process.execPath) });
});
afterEach(() => t.cleanup());
const totals = { cases: 0, failures: 0 };
afterAll(() => console.log(`[faults] bad files: ${totals.cases} files tried, ${totals.failures} failures`));

const WHERE: Record<string, { client: ClientId; rel: string[] }> = {
  json: { client: 'cursor', rel: ['.cursor', 'mcp.json'] },
  jsonc: { client: 'vscode', rel: ['.config', 'Code', 'User', 'mcp.json'] },
  toml: { client: 'codex', rel: ['.codex', 'config.toml'] },
  yaml: { client: 'goose', rel: ['.config', 'goose', 'config.yaml'] },
};

const BROKEN: { label: string; format: keyof typeof WHERE; text: string; line: number | 'any' | null }[] = [
  { label: 'truncated JSON', format: 'json', text: '{\n  "mcpServers": {\n    "a": { "url": "https://a.example/mcp" }\n', line: 4 },
  { label: 'truncated mid-string', format: 'json', text: '{\n  "mcpServers": {\n    "a": { "url": "https://a.exa', line: 3 },
  { label: 'NUL bytes (disk corruption)', format: 'json', text: '\0\0\0\0\0\0', line: 1 },
  { label: 'single quotes', format: 'json', text: "{\n  'mcpServers': {}\n}\n", line: 2 },
  { label: 'unclosed block comment', format: 'jsonc', text: '{\n  /* never closed\n  "servers": {}\n}\n', line: 2 },
  { label: 'top-level array', format: 'json', text: '[{"mcpServers": {}}]\n', line: null },
  { label: 'top-level string', format: 'json', text: '"mcpServers"\n', line: null },
  { label: 'top-level number', format: 'jsonc', text: '// hi\n42\n', line: null },
  { label: 'TOML duplicate table', format: 'toml', text: 'model = "o3"\n[mcp_servers.a]\nurl = "x"\n[mcp_servers.a]\nurl = "y"\n', line: 4 },
  { label: 'TOML unclosed string', format: 'toml', text: 'model = "o3\n[mcp_servers]\n', line: 1 },
  { label: 'TOML bad key', format: 'toml', text: 'model = "o3"\n= 5\n', line: 2 },
  { label: 'YAML bad indentation', format: 'yaml', text: 'extensions:\n  a:\n    uri: x\n   bad: y\n', line: 'any' },
  { label: 'YAML tab indentation', format: 'yaml', text: 'extensions:\n\ta: 1\n', line: 'any' },
  { label: 'YAML unclosed flow map', format: 'yaml', text: 'GOOSE_PROVIDER: openai\nextensions: { a: 1\n', line: null },
  { label: 'YAML top-level list', format: 'yaml', text: '- a\n- b\n', line: null },
];

async function place(format: keyof typeof WHERE, text: string): Promise<string> {
  const file = path.join(t.home, ...WHERE[format]!.rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function add(format: keyof typeof WHERE, name = 'fresh', url = 'https://fresh.example/mcp') {
  return applyPlan(await planAdd({ clients: [WHERE[format]!.client], name, url }, t.deps), t.deps);
}

async function failure(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

async function untouched(file: string, text: string): Promise<void> {
  expect(await readFile(file, 'utf8')).toBe(text);
  expect((await readdir(path.dirname(file))).filter((e) => e.endsWith('.tmp'))).toEqual([]);
  await expect(stat(path.join(t.stateDir, 'backups'))).rejects.toThrow();
}

describe('unparsable files are never overwritten and the error names file and line', () => {
  for (const c of BROKEN) {
    it(`${c.format}: ${c.label}`, async () => {
      totals.cases++;
      const file = await place(c.format, c.text);
      for (const attempt of [() => add(c.format), () => updateServer(t.deps, 'a', { clients: [WHERE[c.format]!.client], url: 'https://b.example/mcp' }), () => removeServer(t.deps, 'a', { clients: [WHERE[c.format]!.client] })]) {
        const e = await failure(attempt());
        try {
          // add names the file and line; update/remove say the server wasn't found and name the unreadable file.
          expect(`${e.message} ${e.hint ?? ''}`).toContain(file);
          if (e.code === 'unparsable-config' && c.line !== null) expect(e.message).toMatch(c.line === 'any' ? /line \d+/ : new RegExp(`line ${c.line}\\b`));
          expect(['unparsable-config', 'not-found']).toContain(e.code);
        } catch (error) {
          totals.failures++;
          throw error;
        }
      }
      await untouched(file, c.text);
      // list reports the problem instead of failing.
      const listed = await listServers(t.deps, { clients: [WHERE[c.format]!.client] });
      expect(listed.problems.map((p) => p.file)).toEqual([file]);
    });
  }

  it('the CLI: exit 1, the message names the file and line, nothing written', async () => {
    totals.cases++;
    const text = '{\n  "mcpServers": {\n    "a": {,\n  }\n}\n';
    const file = await place('json', text);
    const r = await runCli(['add', '--client', 'cursor', '--url', 'https://x.example/mcp', '--no-verify', '--yes'], { env: t.env, cwd: t.cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file} is not valid JSON (line 3`);
    expect(r.stderr).not.toMatch(/Unexpected error|at .*\.js:\d+/);
    await untouched(file, text);
  });
});

describe('odd but valid files get a surgical edit', () => {
  it('JSONC with every comment form, trailing commas, BOM and CRLF keeps every other byte', async () => {
    totals.cases++;
    const body = [
      '\uFEFF// line comment',
      '/* block */ {',
      '  /** doc block',
      '   * spanning lines */',
      '  "servers": { // after brace',
      '    "old": { "url": "https://old.example/mcp" /* inline */ }, // trailing comma next',
      '  },',
      '  "other": [1, 2, 3,], # not a comment in JSONC',
      '}',
      '// eof',
      '',
    ].join('\r\n');
    // '#' is not JSONC: that file must be refused. Without it the edit must go through.
    const bad = await place('jsonc', body);
    expect((await failure(add('jsonc'))).message).toContain(`${bad} is not valid JSON (line 8`);
    const good = body.replace(' # not a comment in JSONC', '');
    const file = await place('jsonc', good);
    await add('jsonc');
    const after = await readFile(file, 'utf8');
    expect(after.startsWith('\uFEFF// line comment\r\n/* block */ {')).toBe(true);
    expect(after).not.toMatch(/[^\r]\n/);
    for (const piece of ['/** doc block\r\n   * spanning lines */', '// after brace', '/* inline */', '// trailing comma next', '"other": [1, 2, 3,],', '// eof']) expect(after).toContain(piece);
    expect(after).toContain('"fresh"');
  });

  it("duplicate keys on the servers' path are refused (an edit of the first would go unseen: apps read the last)", async () => {
    totals.cases++;
    const text = '{\n  "mcpServers": { "a": { "url": "https://a.example/mcp" } },\n  "mcpServers": { "b": { "url": "https://b.example/mcp" } }\n}\n';
    const file = await place('json', text);
    const outcome = await add('json').then(
      () => 'written' as const,
      (e: unknown) => e as UserError,
    );
    expect(outcome).not.toBe('written');
    if (outcome === 'written') {
      const parsed = JSON.parse(await readFile(file, 'utf8')) as { mcpServers: Record<string, unknown> };
      // What Cursor (JSON.parse) will see must include the new server and keep "b".
      expect(Object.keys(parsed.mcpServers).sort()).toEqual(['b', 'fresh']);
    } else {
      expect(outcome.message).toContain(`${file} has the key "mcpServers" twice (line 3`);
      await untouched(file, text);
    }
  });

  it('a 5 MB file: edited in bounded time, every other byte kept', async () => {
    totals.cases++;
    const big = { mcpServers: { keep: { url: 'https://keep.example/mcp' } }, history: Array.from({ length: 60_000 }, (_, i) => ({ i, text: `entry ${i} ${'x'.repeat(40)}` })) };
    const text = JSON.stringify(big, null, 2) + '\n';
    expect(text.length).toBeGreaterThan(5_000_000);
    const file = await place('json', text);
    const t0 = performance.now();
    await add('json');
    const ms = performance.now() - t0;
    const after = await readFile(file, 'utf8');
    expect(JSON.parse(after).history).toHaveLength(60_000);
    expect(after.length - text.length).toBeLessThan(200);
    expect(ms).toBeLessThan(8000); // ~1 s idle; generous for a loaded 2-core CI box
  });

  it('an empty file and a whitespace-only file read as empty settings', async () => {
    totals.cases++;
    for (const text of ['', '  \n\n']) {
      const file = await place('json', text);
      await add('json');
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ mcpServers: { fresh: { url: 'https://fresh.example/mcp' } } });
    }
  });
});

describe('links, folders and read-only places', () => {
  it('a symlinked config: the target is edited, the link kept, and the reported path is the target', async () => {
    totals.cases++;
    const real = path.join(t.root, 'dotfiles', 'cursor-mcp.json');
    await mkdir(path.dirname(real), { recursive: true });
    await writeFile(real, '{ "mcpServers": {} }\n');
    const link = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(real, link);
    const [applied] = await add('json');
    expect(applied!.file).toBe(real);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(JSON.parse(await readFile(real, 'utf8')).mcpServers.fresh).toBeDefined();
    // The CLI says where it wrote: the real file, not the link.
    const r = await runCli(['add', '--client', 'cursor', '--url', 'https://cli.example/mcp', '--name', 'cli', '--no-verify', '--yes'], { env: t.env, cwd: t.cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(real);
  });

  it('a dangling symlink: no write outside HOME through it', async () => {
    totals.cases++;
    const outside = path.join(t.root, 'elsewhere', 'target.json');
    const link = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(outside, link);
    await add('json').catch(() => undefined);
    await expect(stat(outside)).rejects.toThrow();
  });

  it('a folder where the config file should be: clear error, nothing changed', async () => {
    totals.cases++;
    const file = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(file, { recursive: true });
    const e = await failure(add('json'));
    expect(e.message).toContain(`${file} is not a regular file`);
    expect(await readdir(file)).toEqual([]);
  });

  it('a file where the config folder should be (the EROFS/ENOTDIR case a root user can hit)', async () => {
    totals.cases++;
    await writeFile(path.join(t.home, '.cursor'), 'not a folder');
    const e = await failure(add('json'));
    expect(e.message).toContain('part of its folder path is a file');
    expect(await readFile(path.join(t.home, '.cursor'), 'utf8')).toBe('not a folder');
  });

  it('a read-only file and folder (skipped as root: permissions do not bind root)', async (ctx) => {
    if (process.getuid?.() === 0) ctx.skip();
    totals.cases++;
    const text = '{ "mcpServers": {} }\n';
    const file = await place('json', text);
    await chmod(path.dirname(file), 0o500);
    try {
      const e = await failure(add('json'));
      expect(e.message).toContain(file);
      expect(await readFile(file, 'utf8')).toBe(text);
    } finally {
      await chmod(path.dirname(file), 0o700);
    }
  });
});
