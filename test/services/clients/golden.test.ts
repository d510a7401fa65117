import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getAdapter } from '../../../src/services/clients/registry.js';
import type { ClientId, ConfigLocation, RemoteServerSpec } from '../../../src/services/clients/types.js';
import type { SystemInfo } from '../../../src/services/deps.js';
import { editorFor, loadEditor } from '../../../src/services/formats/index.js';

/**
 * Golden files per client: a realistic file (comments, other servers, unknown keys) and the exact
 * bytes after add, in-place update (URL + rename) and remove. Regenerate with UPDATE_GOLDEN=1 and
 * review the diff like code.
 */
const DIR = path.join(import.meta.dirname, '..', '..', 'fixtures', 'clients');
const system: SystemInfo = { platform: 'linux', home: '/home/ada', cwd: '/home/ada/proj', env: {}, isWsl: false };
const SPEC: RemoteServerSpec = { name: 'acme', url: 'https://acme.dev/mcp', headers: { 'X-Api-Key': 'k1' }, enabledTools: ['search'] };

const CASES: [ClientId, string, string][] = [
  // client, fixture, an existing server to remove
  ['claude-code', 'claude-code.json', 'filesystem'],
  ['claude-desktop', 'claude-desktop.json', 'memory'],
  ['cursor', 'cursor.json', 'linear'],
  ['vscode', 'vscode.jsonc', 'github'],
  ['windsurf', 'windsurf.json', 'context7'],
  ['gemini-cli', 'gemini-cli.jsonc', 'docs'],
  ['codex', 'codex.toml', 'github'],
  ['zed', 'zed.jsonc', 'postgres'],
  ['cline', 'cline.json', 'github'],
  ['roo-code', 'roo-code.json', 'fetch'],
  ['goose', 'goose.yaml', 'memory'],
  ['opencode', 'opencode.jsonc', 'sentry'],
  ['copilot-cli', 'copilot-cli.json', 'playwright'],
  ['kiro', 'kiro.json', 'aws-docs'],
  ['lm-studio', 'lm-studio.json', 'hf'],
  ['continue', 'continue.yaml', 'SQLite'],
  ['antigravity', 'antigravity.json', 'firebase'],
];

function golden(file: string, actual: string): void {
  const full = path.join(DIR, 'expected', file);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(full)) writeFileSync(full, actual);
  expect(actual).toBe(readFileSync(full, 'utf8'));
}

const URL_FIELDS = ['url', 'serverUrl', 'httpUrl', 'uri'];

// Every format's editor, loaded up front (TOML and YAML load lazily in the product).
await Promise.all((['json', 'jsonc', 'toml', 'yaml'] as const).map((f) => loadEditor(f)));

describe.each(CASES)('%s', (id, fixture, existing) => {
  const adapter = getAdapter(id);
  const location: ConfigLocation = adapter.locate(system, 'user');
  const editor = editorFor(location.format);
  const before = readFileSync(path.join(DIR, fixture), 'utf8');
  const ext = path.extname(fixture);
  const entry = adapter.supportsRemote === false ? adapter.bridgeEntry!('npx', ['-y', 'mcp-setup', 'proxy', SPEC.url]) : adapter.remoteEntry(SPEC);

  it('reads the existing servers', () => {
    expect(Object.keys(editor.readServers(before, location))).toContain(existing);
  });

  it('add: exact bytes, and removing it again restores the file', () => {
    const added = editor.setServer(before, location, 'acme', entry);
    golden(`${id}.add${ext}`, added);
    expect(editor.readServers(added, location).acme).toEqual(entry);
    expect(editor.setServer(added, location, 'acme', undefined)).toBe(before);
    expect(editor.setServer(added, location, 'acme', entry)).toBe(added);
  });

  it('update in place: URL and name, nothing else', () => {
    const added = editor.setServer(before, location, 'acme', entry);
    const field = URL_FIELDS.find((k) => k in entry);
    let updated = field
      ? editor.setField(added, location, 'acme', [field], 'https://acme.dev/v2/mcp')
      : editor.setField(added, location, 'acme', ['args'], ['-y', 'mcp-setup', 'proxy', 'https://acme.dev/v2/mcp']);
    updated = editor.renameServer(updated, location, 'acme', 'acme2');
    for (const f of adapter.nameFields ?? []) updated = editor.setField(updated, location, 'acme2', [f], 'acme2');
    golden(`${id}.update${ext}`, updated);
    const servers = editor.readServers(updated, location);
    expect(servers.acme).toBeUndefined();
    expect(adapter.summarize(servers.acme2).url ?? adapter.summarize(servers.acme2).command).toContain('https://acme.dev/v2/mcp');
  });

  it('remove an existing server: exact bytes', () => {
    golden(`${id}.remove${ext}`, editor.setServer(before, location, existing, undefined));
  });
});
