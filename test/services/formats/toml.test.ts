import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { loadEditor } from '../../../src/services/formats/index.js';
import { UserError } from '../../../src/services/errors.js';

const toml = await loadEditor('toml');
const at = { file: '/home/me/.codex/config.toml', serversPath: ['mcp_servers'] };

const CODEX = `# Codex settings
model = "o3"  # the default model
approval_policy = "on-request"

[mcp_servers.docs]
command = "npx"   # keep me
args = ["-y", "@acme/docs-mcp"]
startup_timeout_sec = 20

# GitHub, via the remote server
[mcp_servers.github]
url = "https://api.githubcopilot.com/mcp"
bearer_token_env_var = "GITHUB_TOKEN"
enabled_tools = [
  "search_code", # the useful one
  "get_issue",
]

[mcp_servers.github.tools.search_code]
approval_mode = "approve"

[profiles.fast]
model = "gpt-5-mini"
`;

describe('toml editor: golden edits of a Codex config', () => {
  it('reads servers', () => {
    expect(Object.keys(toml.readServers(CODEX, at))).toEqual(['docs', 'github']);
  });

  it('adds a server after the last server table, nothing else changes', () => {
    const out = toml.setServer(CODEX, at, 'acme', { url: 'https://acme.dev/mcp', http_headers: { 'X-Key': 'v' } });
    expect(out).toBe(
      CODEX.replace(
        '[profiles.fast]',
        '\n[mcp_servers.acme]\nurl = "https://acme.dev/mcp"\nhttp_headers = { X-Key = "v" }\n\n[profiles.fast]',
      ).replace('approval_mode = "approve"\n\n\n', 'approval_mode = "approve"\n\n'),
    );
    expect(toml.setServer(out, at, 'acme', undefined)).toBe(CODEX);
  });

  it('replaces an entry (table and subtables) in place', () => {
    const out = toml.setServer(CODEX, at, 'github', { url: 'https://gh.example/mcp' });
    expect(out).toBe(
      CODEX.replace(
        /\[mcp_servers\.github\][\s\S]*approval_mode = "approve"\n/,
        '[mcp_servers.github]\nurl = "https://gh.example/mcp"\n',
      ),
    );
  });

  it('removes an entry with its subtables and its attached comment', () => {
    const out = toml.setServer(CODEX, at, 'github', undefined);
    expect(out).toBe(CODEX.replace(/\n# GitHub[\s\S]*approval_mode = "approve"\n/, ''));
  });

  it('updates one field in place, keeping comments and other keys', () => {
    const out = toml.setField(CODEX, at, 'github', ['url'], 'https://new.example/mcp');
    expect(out).toBe(CODEX.replace('https://api.githubcopilot.com/mcp', 'https://new.example/mcp'));
    const added = toml.setField(CODEX, at, 'docs', ['enabled'], false);
    expect(added).toBe(CODEX.replace('startup_timeout_sec = 20\n', 'startup_timeout_sec = 20\nenabled = false\n'));
    const removed = toml.setField(CODEX, at, 'github', ['bearer_token_env_var'], undefined);
    expect(removed).toBe(CODEX.replace('bearer_token_env_var = "GITHUB_TOKEN"\n', ''));
  });

  it('renames an entry and its subtables', () => {
    const out = toml.renameServer(CODEX, at, 'github', 'gh');
    expect(out).toBe(CODEX.replace('[mcp_servers.github]', '[mcp_servers.gh]').replace('[mcp_servers.github.tools', '[mcp_servers.gh.tools'));
  });

  it('creates a file from nothing', () => {
    expect(toml.setServer('', at, 'x', { url: 'https://x.dev/mcp' })).toBe('[mcp_servers.x]\nurl = "https://x.dev/mcp"\n');
  });

  it('keeps CRLF and a BOM', () => {
    const crlf = '\uFEFF' + CODEX.replace(/\n/g, '\r\n');
    const out = toml.setServer(crlf, at, 'acme', { url: 'https://acme.dev/mcp' });
    expect(out.startsWith('\uFEFF')).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(toml.setServer(out, at, 'acme', undefined)).toBe(crlf);
  });

  it('edits dotted and inline layouts', () => {
    const inline = '[mcp_servers]\nx = { url = "https://a/mcp" }\ny.url = "https://b/mcp"\n';
    expect(toml.setField(inline, at, 'x', ['url'], 'https://c/mcp')).toBe(inline.replace('https://a/mcp', 'https://c/mcp'));
    expect(toml.setField(inline, at, 'x', ['enabled'], false)).toBe(inline.replace('"https://a/mcp" }', '"https://a/mcp", enabled = false }'));
    expect(toml.setField(inline, at, 'y', ['enabled'], false)).toBe(inline + 'y.enabled = false\n');
    expect(toml.setServer(inline, at, 'y', undefined)).toBe('[mcp_servers]\nx = { url = "https://a/mcp" }\n');
    expect(toml.renameServer(inline, at, 'y', 'z')).toBe(inline.replace('y.url', 'z.url'));
    const root = 'mcp_servers = { x = { url = "https://a/mcp" } }\n';
    expect(() => toml.setServer(root, at, 'n', { url: 'https://n/mcp' })).toThrow(/inline table/);
  });

  it('refuses an unparsable file, naming the line', () => {
    const bad = 'model = "o3"\n[mcp_servers.x\nurl = 1\n';
    try {
      toml.setServer(bad, at, 'y', { url: 'https://y/mcp' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).code).toBe('unparsable-config');
      expect((error as UserError).message).toMatch(/config\.toml is not valid TOML \(line 2/);
    }
  });

  it('escapes Windows paths and odd keys safely', () => {
    const out = toml.setServer('', at, 'w', { url: 'https://w/mcp', http_headers: { 'a b': 'C:\\x\\y "q"\x7f' } });
    expect(parse(out)).toEqual({ mcp_servers: { w: { url: 'https://w/mcp', http_headers: { 'a b': 'C:\\x\\y "q"\x7f' } } } });
  });
});

// --- property: random documents × random operations -------------------------------------------

const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean());
const table = fc.dictionary(key, scalar, { minKeys: 1, maxKeys: 4 });
const comment = fc.constantFrom('', '  # note', ' # "quoted" [x]');

function renderDoc(top: Record<string, unknown>, servers: [string, Record<string, unknown>][], tail: Record<string, unknown>, c: string): string {
  const line = ([k, v]: [string, unknown]) => `${k} = ${JSON.stringify(v)}${c}\n`;
  let out = `# generated${c}\n` + Object.entries(top).map(line).join('');
  for (const [name, body] of servers) out += `\n[mcp_servers.${name}]\n` + Object.entries(body).map(line).join('');
  out += '\n[other]\n' + Object.entries(tail).map(line).join('');
  return out;
}

describe('toml editor: properties', () => {
  it('outside the entry nothing changes, and the result parses to what Codex expects', () => {
    fc.assert(
      fc.property(
        table,
        fc.uniqueArray(fc.tuple(key, table), { selector: ([k]) => k, maxLength: 4 }),
        table,
        comment,
        key,
        fc.option(fc.record({ url: fc.webUrl(), enabled_tools: fc.array(key, { maxLength: 3 }) }), { nil: undefined }),
        (top, servers, tail, c, name, entry) => {
          const doc = renderDoc(top, servers, tail, c);
          const before = parse(doc) as Record<string, Record<string, unknown>>;
          const out = toml.setServer(doc, at, name, entry);
          const after = parse(out) as Record<string, Record<string, unknown>>;
          const expected = { ...(before.mcp_servers ?? {}) };
          if (entry === undefined) delete expected[name];
          else expected[name] = entry;
          expect({ ...(after.mcp_servers ?? {}) }).toEqual(expected);
          const { mcp_servers: _a, ...restAfter } = after;
          const { mcp_servers: _b, ...restBefore } = before;
          expect(restAfter).toEqual(restBefore);
          // Byte-level: every other server's text is still in the file, verbatim.
          for (const [other, body] of servers) {
            if (other === name) continue;
            const text = `[mcp_servers.${other}]\n` + Object.entries(body).map(([k, v]) => `${k} = ${JSON.stringify(v)}${c}\n`).join('');
            expect(out).toContain(text);
          }
          expect(out.startsWith(`# generated${c}\n`)).toBe(true);
          expect(out).toContain('\n[other]\n' + Object.entries(tail).map(([k, v]) => `${k} = ${JSON.stringify(v)}${c}\n`).join(''));
          // Adding then removing a new server gives the original bytes back.
          if (!servers.some(([k]) => k === name) && entry) expect(toml.setServer(out, at, name, undefined)).toBe(doc);
        },
      ),
      { numRuns: 150 },
    );
  });
});
