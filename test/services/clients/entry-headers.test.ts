import { describe, expect, it } from 'vitest';
import { bridgeLaunch, mcpRemoteTargetOf } from '../../../src/services/clients/bridge-entry.js';
import { entryProblems } from '../../../src/services/clients/entry-checks.js';
import { configuredHeaders, headerLines, headerNames, resolveConfiguredHeaders, withHeaderArgsHidden } from '../../../src/services/clients/entry-headers.js';
import { ADAPTERS, getAdapter } from '../../../src/services/clients/registry.js';
import type { RemoteServerSpec } from '../../../src/services/clients/types.js';
import type { SystemInfo } from '../../../src/services/deps.js';
import { UserError } from '../../../src/services/errors.js';
import { hideHeaderValues, splitHeaders } from '../../../src/services/headers.js';

// Reading an entry's headers back must be the exact inverse of writing it, for every app: that
// is what lets `list` and `doctor` send what the app sends.
const LITERAL = { 'X-Api-Key': 'k-123' };
const FROM_ENV = { Authorization: { env: 'ACME_TOKEN', prefix: 'Bearer ' } };
const WHOLE_FROM_ENV = { 'X-Team': { env: 'ACME_TEAM' } };

describe('configuredHeaders reads back what each app was written', () => {
  for (const adapter of ADAPTERS.filter((a) => a.supportsRemote !== false)) {
    it(`${adapter.id}: literal headers`, () => {
      const entry = adapter.remoteEntry({ name: 'acme', url: 'https://acme.dev/mcp', headers: LITERAL });
      expect(configuredHeaders(adapter, entry)).toEqual({ literal: LITERAL, fromEnv: {} });
    });

    it(`${adapter.id}: headers from environment variables, where the app can expand them`, () => {
      const spec: RemoteServerSpec = { name: 'acme', url: 'https://acme.dev/mcp', headers: LITERAL, envHeaders: { ...FROM_ENV, ...WHOLE_FROM_ENV } };
      let entry: Record<string, unknown>;
      try {
        entry = adapter.remoteEntry(spec);
      } catch (error) {
        // Apps that can't expand variables refuse at write time; nothing to read back.
        expect(error).toBeInstanceOf(UserError);
        expect(adapter.envHeaders).toBeUndefined();
        return;
      }
      expect(configuredHeaders(adapter, entry)).toEqual({ literal: LITERAL, fromEnv: { ...FROM_ENV, ...WHOLE_FROM_ENV } });
    });
  }

  it('an entry without headers has none', () => {
    for (const adapter of ADAPTERS.filter((a) => a.supportsRemote !== false)) {
      expect(configuredHeaders(adapter, adapter.remoteEntry({ name: 'acme', url: 'https://acme.dev/mcp' }))).toBeUndefined();
    }
  });

  it('an app that does not expand placeholders sends them literally, and so do we', () => {
    const noExpansion = { headerFields: [['headers']] };
    expect(configuredHeaders(noExpansion, { url: 'https://x.dev', headers: { Authorization: 'Bearer ${TOKEN}' } })).toEqual({ literal: { Authorization: 'Bearer ${TOKEN}' }, fromEnv: {} });
    // Cursor spells it ${env:TOKEN}; a bare ${TOKEN} there is sent as typed.
    expect(configuredHeaders(getAdapter('cursor'), { url: 'https://x.dev', headers: { Authorization: 'Bearer ${TOKEN}' } })).toEqual({ literal: { Authorization: 'Bearer ${TOKEN}' }, fromEnv: {} });
  });

  it('the stdio bridge entry: literal values come from its own env, references from the environment', () => {
    const system: SystemInfo = { platform: 'linux', home: '/home/ada', cwd: '/home/ada', env: {}, isWsl: false, launcher: { node: '/usr/bin/node', script: '/opt/mcp-setup/bin/mcp-setup.js' } };
    const launch = bridgeLaunch({ name: 'acme', url: 'https://acme.dev/mcp', headers: LITERAL, envHeaders: FROM_ENV }, system);
    const desktop = getAdapter('claude-desktop');
    const entry: Record<string, unknown> = { ...desktop.bridgeEntry!(launch.command, launch.args), ...(launch.env ? { env: launch.env } : {}) };
    // The secret is not in the arguments (every process listing shows them)…
    expect(JSON.stringify(entry.args)).not.toContain('k-123');
    // …but reading the entry back gives what the bridge will send.
    expect(configuredHeaders(desktop, entry)).toEqual({ literal: LITERAL, fromEnv: FROM_ENV });
  });
});

describe('mcp-remote entries (install-mcp and most guides write them for Claude Desktop)', () => {
  const entry = {
    command: 'npx',
    args: ['-y', 'mcp-remote@0.1.29', 'https://acme.dev/mcp', '--header', 'Authorization:${AUTH_HEADER}', '--header', 'X-Team: ${TEAM}'],
    env: { AUTH_HEADER: 'Bearer k-1' },
  };

  it('are read back as the remote server they bridge to, with the headers mcp-remote sends', () => {
    expect(mcpRemoteTargetOf(entry)).toEqual({ url: 'https://acme.dev/mcp' });
    for (const other of [
      { command: 'mcp-remote', args: ['https://acme.dev/mcp'] },
      { command: '/usr/bin/node', args: ['/opt/x/node_modules/mcp-remote/dist/proxy.js', 'https://acme.dev/mcp'] },
      { command: 'cmd', args: ['/c', 'npx', '-y', 'mcp-remote@latest', 'https://acme.dev/mcp', '9696'] },
    ]) {
      expect(mcpRemoteTargetOf(other)).toEqual({ url: 'https://acme.dev/mcp' });
    }
    expect(mcpRemoteTargetOf({ command: 'npx', args: ['-y', 'not-mcp-remote-at-all', 'https://acme.dev/mcp'] })).toBeUndefined();
    expect(mcpRemoteTargetOf({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] })).toBeUndefined();
    expect(configuredHeaders(getAdapter('claude-desktop'), entry)).toEqual({ literal: { Authorization: 'Bearer k-1' }, fromEnv: { 'X-Team': { env: 'TEAM' } } });
  });

  it('a command line shown to the user hides header values in the args, not references', () => {
    const shown = withHeaderArgsHidden({ command: 'npx', args: ['-y', 'mcp-remote', 'https://acme.dev/mcp', '--header', 'Authorization: Bearer sk-live-123', '--header', 'X-Team:${TEAM}', '--header', 'X-Auth: Bearer ${TOKEN}'] });
    expect(JSON.stringify(shown)).not.toContain('sk-live-123');
    expect((shown as { args: string[] }).args.slice(3)).toEqual(['--header', 'Authorization: (hidden)', '--header', 'X-Team:${TEAM}', '--header', 'X-Auth: Bearer ${TOKEN}']);
  });

  it("a bare npx in Claude Desktop is flagged (no shell PATH there); the fix keeps the headers, never a key's value", () => {
    const [problem] = entryProblems('claude-desktop', 'acme', entry, undefined, configuredHeaders(getAdapter('claude-desktop'), entry));
    expect(problem).toMatchObject({ code: 'bare-command', severity: 'warn' });
    expect(problem!.message).toContain('spawn npx ENOENT');
    expect(problem!.fix!.command).toBe("mcp-setup add --client claude-desktop --name acme --url https://acme.dev/mcp --via bridge --header 'Authorization: <value>' --header 'X-Team: ${TEAM}' --force");
    expect(JSON.stringify(problem)).not.toContain('k-1');
    const plain = entryProblems('claude-desktop', 'acme', { command: 'npx', args: ['-y', 'mcp-remote', 'https://acme.dev/mcp'] })[0]!;
    expect(plain.fix!.command).toBe('mcp-setup add --client claude-desktop --name acme --url https://acme.dev/mcp --via bridge --force');
    expect(entryProblems('claude-desktop', 'acme', { command: '/usr/local/bin/npx', args: ['-y', 'mcp-remote', 'https://acme.dev/mcp'] })).toEqual([]);
  });
});

describe('resolveConfiguredHeaders', () => {
  const spec = { literal: LITERAL, fromEnv: FROM_ENV };

  it('expands references from the environment', () => {
    expect(resolveConfiguredHeaders(spec, { ACME_TOKEN: 's3cret' })).toEqual({ headers: { ...LITERAL, Authorization: 'Bearer s3cret' }, missing: [] });
  });

  it('names a variable that is not set and leaves its header out', () => {
    expect(resolveConfiguredHeaders(spec, {})).toEqual({ headers: LITERAL, missing: ['ACME_TOKEN'] });
    expect(resolveConfiguredHeaders({ literal: {}, fromEnv: FROM_ENV }, { ACME_TOKEN: '' })).toEqual({ missing: ['ACME_TOKEN'] });
  });

  it('headerLines gives the form --header takes, and splitHeaders reads it back', () => {
    expect(headerLines(spec)).toEqual({ 'X-Api-Key': 'k-123', Authorization: 'Bearer ${ACME_TOKEN}' });
    expect(splitHeaders(headerLines(spec))).toEqual(spec);
    expect(headerLines(undefined)).toBeUndefined();
  });

  it('hideHeaderValues hides literal values wherever they stand, and leaves references visible', () => {
    const entry = JSON.stringify({ args: ['proxy', '--header', 'X-Api-Key:${MCP_SETUP_HEADER_X_API_KEY}'], env: { MCP_SETUP_HEADER_X_API_KEY: 'k-123' }, h: 'Bearer ${ACME_TOKEN}' });
    const shown = hideHeaderValues(entry, { 'X-Api-Key': 'k-123', Authorization: 'Bearer ${ACME_TOKEN}' });
    expect(shown).not.toContain('k-123');
    expect(shown).toContain('"MCP_SETUP_HEADER_X_API_KEY":"(hidden)"');
    expect(shown).toContain('Bearer ${ACME_TOKEN}');
  });

  it('headerNames gives names only', () => {
    expect(headerNames(spec)).toEqual(['X-Api-Key', 'Authorization']);
    expect(headerNames(undefined)).toEqual([]);
  });
});
