import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadEditor } from '../../../src/services/formats/index.js';
import { UserError } from '../../../src/services/errors.js';

const yaml = await loadEditor('yaml');
const goose = { file: '/home/me/.config/goose/config.yaml', serversPath: ['extensions'] };
const cont = { file: '/home/me/.continue/config.yaml', serversPath: ['mcpServers'], listKey: 'name' };

const GOOSE = `# Goose configuration
GOOSE_PROVIDER: openai
GOOSE_MODEL: gpt-4o   # fast enough
extensions:
  developer:
    bundled: true
    display_name: Developer
    enabled: true
    name: developer
    timeout: 300
    type: builtin
  # the docs server
  docs:
    enabled: false
    type: streamable_http
    name: docs
    description: ''
    uri: https://docs.example/mcp
    headers: {}
    available_tools: []
GOOSE_MODE: smart_approve
`;

const ENTRY = {
  enabled: true,
  type: 'streamable_http',
  name: 'acme',
  description: '',
  uri: 'https://acme.dev/mcp',
  headers: { Authorization: 'Bearer abc' },
  envs: {},
  env_keys: [],
  timeout: 300,
  bundled: null,
  available_tools: ['search'],
};

const ACME_TEXT = `  acme:
    enabled: true
    type: streamable_http
    name: acme
    description: ""
    uri: https://acme.dev/mcp
    headers:
      Authorization: Bearer abc
    envs: {}
    env_keys: []
    timeout: 300
    bundled: null
    available_tools:
      - search
`;

describe('yaml editor: Goose golden edits', () => {
  it('adds after the last extension, nothing else changes; remove restores the bytes', () => {
    const out = yaml.setServer(GOOSE, goose, 'acme', ENTRY);
    expect(out).toBe(GOOSE.replace('GOOSE_MODE:', ACME_TEXT + 'GOOSE_MODE:'));
    expect(yaml.setServer(out, goose, 'acme', undefined)).toBe(GOOSE);
  });

  it('replaces one extension, keeping the comment above it', () => {
    const out = yaml.setServer(GOOSE, goose, 'docs', { ...ENTRY, name: 'docs' });
    expect(out).toBe(GOOSE.replace(/  docs:\n[\s\S]*available_tools: \[\]\n/, ACME_TEXT.replace(/acme:/, 'docs:').replace('name: acme', 'name: docs')));
  });

  it('updates a field in place and renames', () => {
    expect(yaml.setField(GOOSE, goose, 'docs', ['uri'], 'https://new.example/mcp')).toBe(GOOSE.replace('https://docs.example/mcp', 'https://new.example/mcp'));
    expect(yaml.setField(GOOSE, goose, 'docs', ['headers'], { 'X-Key': 'k' })).toBe(GOOSE.replace('    headers: {}\n', '    headers:\n      X-Key: k\n'));
    expect(yaml.setField(GOOSE, goose, 'docs', ['available_tools'], undefined)).toBe(GOOSE.replace('    available_tools: []\n', ''));
    expect(yaml.renameServer(GOOSE, goose, 'docs', 'docs2')).toBe(GOOSE.replace('  docs:\n', '  docs2:\n'));
  });

  it('leaves `extensions: {}` when the last one goes, and creates the key when missing', () => {
    const one = 'GOOSE_PROVIDER: openai\nextensions:\n  x:\n    uri: https://x/mcp\n';
    expect(yaml.setServer(one, goose, 'x', undefined)).toBe('GOOSE_PROVIDER: openai\nextensions: {}\n');
    expect(yaml.setServer('GOOSE_PROVIDER: openai\n', goose, 'x', { uri: 'https://x/mcp' })).toBe(one);
    expect(yaml.setServer('GOOSE_PROVIDER: openai\nextensions: {}\n', goose, 'x', { uri: 'https://x/mcp' })).toBe(one);
    expect(yaml.setServer('', goose, 'x', { uri: 'https://x/mcp' })).toBe('extensions:\n  x:\n    uri: https://x/mcp\n');
  });

  it('keeps CRLF, a BOM and 4-space indentation', () => {
    const four = '\uFEFFa: 1\r\nextensions:\r\n    y:\r\n        uri: https://y/mcp\r\n';
    const out = yaml.setServer(four, goose, 'x', { uri: 'https://x/mcp' });
    expect(out).toBe(four + '    x:\r\n        uri: https://x/mcp\r\n');
  });

  it('refuses an unparsable file, naming the line', () => {
    try {
      yaml.setServer('a: 1\nextensions:\n  x: [1\n  y: 2\n', goose, 'z', { uri: 'u' });
      expect.unreachable();
    } catch (error) {
      expect((error as UserError).code).toBe('unparsable-config');
      expect((error as UserError).message).toMatch(/config\.yaml is not valid YAML \(line \d/);
    }
  });
});

const CONTINUE = `name: My Assistant
version: 1.0.0
schema: v1
models:
  - name: GPT
    provider: openai
mcpServers:
  # search first
  - name: search
    type: streamable-http
    url: https://search.example/mcp
  - name: local
    command: npx
    args:
      - -y
      - local-mcp
rules: []
`;

describe('yaml editor: Continue list golden edits', () => {
  it('reads the list keyed by name', () => {
    expect(yaml.readServers(CONTINUE, cont)).toEqual({
      search: { type: 'streamable-http', url: 'https://search.example/mcp' },
      local: { command: 'npx', args: ['-y', 'local-mcp'] },
    });
  });

  it('appends, replaces and removes list items', () => {
    const entry = { type: 'streamable-http', url: 'https://acme.dev/mcp', requestOptions: { headers: { Authorization: 'Bearer k' } } };
    const added = yaml.setServer(CONTINUE, cont, 'acme', entry);
    expect(added).toBe(
      CONTINUE.replace(
        'rules: []',
        '  - name: acme\n    type: streamable-http\n    url: https://acme.dev/mcp\n    requestOptions:\n      headers:\n        Authorization: Bearer k\nrules: []',
      ),
    );
    expect(yaml.setServer(added, cont, 'acme', undefined)).toBe(CONTINUE);
    const replaced = yaml.setServer(CONTINUE, cont, 'search', { type: 'streamable-http', url: 'https://s2/mcp' });
    expect(replaced).toBe(CONTINUE.replace('https://search.example/mcp', 'https://s2/mcp'));
    expect(yaml.setServer(CONTINUE, cont, 'local', undefined)).toBe(CONTINUE.replace(/  - name: local\n[\s\S]*local-mcp\n/, ''));
  });

  it('updates a field and renames in place', () => {
    expect(yaml.setField(CONTINUE, cont, 'search', ['url'], 'https://s3/mcp')).toBe(CONTINUE.replace('https://search.example/mcp', 'https://s3/mcp'));
    expect(yaml.renameServer(CONTINUE, cont, 'search', 'find')).toBe(CONTINUE.replace('- name: search', '- name: find'));
    expect(yaml.setField(CONTINUE, cont, 'search', ['requestOptions', 'headers'], { A: 'b' })).toBe(
      CONTINUE.replace('url: https://search.example/mcp\n', 'url: https://search.example/mcp\n    requestOptions:\n      headers:\n        A: b\n'),
    );
  });

  it('creates the list, and handles a non-indented sequence style', () => {
    expect(yaml.setServer('name: a\n', cont, 'x', { url: 'https://x/mcp' })).toBe('name: a\nmcpServers:\n  - name: x\n    url: https://x/mcp\n');
    const flat = 'mcpServers:\n- name: a\n  url: https://a/mcp\n';
    expect(yaml.setServer(flat, cont, 'b', { url: 'https://b/mcp' })).toBe(flat + '- name: b\n  url: https://b/mcp\n');
    expect(yaml.setServer('mcpServers: []\n', cont, 'x', { url: 'https://x/mcp' })).toBe('mcpServers:\n  - name: x\n    url: https://x/mcp\n');
  });
});

// --- property ------------------------------------------------------------------------------------

const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer({ min: -99, max: 999 }), fc.boolean());
const body = fc.dictionary(key, scalar, { minKeys: 1, maxKeys: 4 });

describe('yaml editor: properties', () => {
  it('outside the entry nothing changes and the result parses to what Goose expects', () => {
    fc.assert(
      fc.property(
        body,
        fc.uniqueArray(fc.tuple(key, body), { selector: ([k]) => k, minLength: 1, maxLength: 4 }),
        fc.constantFrom('', ' # c'),
        key,
        fc.option(fc.record({ uri: fc.webUrl(), name: key, available_tools: fc.array(key, { maxLength: 2 }) }), { nil: undefined }),
        (top, servers, c, name, entry) => {
          const line = (indent: string) => ([k, v]: [string, unknown]) => `${indent}${k}: ${JSON.stringify(v)}${c}\n`;
          const serverText = ([n, b]: [string, Record<string, unknown>]) => `  ${n}:${c}\n` + Object.entries(b).map(line('    ')).join('');
          const head = `# top${c}\n` + Object.entries(top).filter(([k]) => k !== 'extensions').map(line('')).join('') + 'extensions:\n';
          const doc = head + servers.map(serverText).join('') + 'tail: 1\n';
          const before = parse(doc) as Record<string, Record<string, unknown>>;
          const out = yaml.setServer(doc, goose, name, entry);
          const after = parse(out) as Record<string, Record<string, unknown>>;
          const expected: Record<string, unknown> = { ...before.extensions };
          if (entry === undefined) delete expected[name];
          else expected[name] = entry;
          expect(after.extensions).toEqual(expected);
          expect(out.startsWith(head)).toBe(true);
          expect(out.endsWith('tail: 1\n')).toBe(true);
          for (const s of servers) if (s[0] !== name) expect(out).toContain(serverText(s));
          if (entry && !servers.some(([n]) => n === name)) expect(yaml.setServer(out, goose, name, undefined)).toBe(doc);
        },
      ),
      { numRuns: 150 },
    );
  });
});
