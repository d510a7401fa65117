import { promises as fs } from 'node:fs';
import type { SystemInfo } from '../deps.js';
import { parseJsonc } from '../formats/jsonc.js';
import { baseDirs } from '../platform-paths.js';
import type { ClientId, Scope } from './types.js';
import { mcpRemoteTargetOf } from './bridge-entry.js';
import type { HeaderSpec } from '../headers.js';

/**
 * What a client will silently get wrong about an entry that is syntactically fine: the quirks in
 * ../shared/reference/clients.md §0 and §2, each a skipped server or a wrong transport.
 */
export interface EntryProblem {
  code: string;
  message: string;
  hint?: string;
  fix?: { id: 'fix-entry'; label: string; command?: string };
  severity?: 'warn' | 'fail';
}

/**
 * The command that rewrites the entry in the app's own spelling. Its headers come along: a
 * reference as it is (single-quoted, so the shell leaves `${VAR}` alone), a literal value as a
 * placeholder (a key is never printed).
 */
function readdCommand(client: ClientId, name: string, url: string | undefined, scope: Scope | undefined, headers: HeaderSpec | undefined, extra = ''): string | undefined {
  if (!url) return undefined;
  const headerArgs = [
    ...Object.keys(headers?.literal ?? {}).map((h) => ` --header '${h}: <value>'`),
    ...Object.entries(headers?.fromEnv ?? {}).map(([h, ref]) => ` --header '${h}: ${ref.prefix ?? ''}\${${ref.env}}'`),
  ].join('');
  return `mcp-setup add --client ${client}${scope ? ` --scope ${scope}` : ''} --name ${name} --url ${url}${extra}${headerArgs} --force`;
}

/**
 * `scope`: where the entry sits, so a suggested rewrite lands in the same file; `headers`: what
 * the entry sends (configuredHeaders), so that rewrite keeps them.
 */
export function entryProblems(client: ClientId, name: string, raw: unknown, scope?: Scope, headers?: HeaderSpec): EntryProblem[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [{ code: 'not-an-object', message: `"${name}" is not an object, so it is ignored.`, fix: { id: 'fix-entry', label: 'Rewrite the entry.' } }];
  }
  const e = raw as Record<string, unknown>;
  const url = [e.url, e.serverUrl, e.httpUrl, e.uri].find((v): v is string => typeof v === 'string');
  const type = typeof e.type === 'string' ? e.type : undefined;
  const problems: EntryProblem[] = [];
  const fix = (label: string) => {
    const command = readdCommand(client, name, url, scope, headers);
    return { id: 'fix-entry' as const, label, ...(command ? { command } : {}) };
  };
  // Switched off in the app (Cline/Roo "disabled", Codex/Goose/opencode "enabled"): it loads nothing.
  if (e.disabled === true || e.enabled === false) {
    const key = e.disabled === true ? '"disabled": true' : '"enabled": false';
    problems.push({ code: 'switched-off', severity: 'warn', message: `"${name}" is switched off in this app (${key}), so the app doesn't load it.`, fix: { id: 'fix-entry', label: `Switch it on in the app, or remove ${key} from the entry.` } });
  }
  if (!url) return client === 'claude-desktop' ? [...problems, ...desktopLaunchProblems(name, e, headers)] : problems;
  switch (client) {
    case 'claude-code':
      if (!type) problems.push({ code: 'missing-type', message: `"${name}" has a url but no type; Claude Code rejects it.`, fix: fix('Rewrite it with "type": "http".') });
      // GitHub Copilot CLI reads .mcp.json too, and its allow-list spelling breaks Claude Code's schema.
      if (Array.isArray(e.tools) && e.tools.some((t) => typeof t === 'string')) {
        problems.push({
          code: 'copilot-tools',
          message: `Claude Code skips "${name}": its "tools" is a list of names (GitHub Copilot CLI's allow-list), but Claude Code expects tool objects there.`,
          hint: 'Copilot CLI allows every tool when "tools" is left out, so both apps work without it.',
          fix: fix('Remove "tools" from the entry.'),
        });
      }
      break;
    case 'claude-desktop':
      problems.push({
        code: 'desktop-remote-entry',
        message: `"${name}" is a remote (url) entry; Claude Desktop's config file takes local (stdio) servers only and skips it.`,
        hint: 'Remote servers go through Settings → Connectors, or through a local bridge.',
        fix: { id: 'fix-entry', label: 'Use Connectors, or the bridge.', command: `mcp-setup add --client claude-desktop --name ${name} --url ${url} --via bridge --force` },
      });
      break;
    case 'vscode':
    case 'vscode-insiders':
      if (!type) problems.push({ code: 'missing-type', message: `"${name}" has no "type"; VS Code needs "type": "http" for a remote server.`, fix: fix('Add "type": "http".') });
      break;
    case 'cline':
      if (!type) problems.push({ code: 'sse-assumed', severity: 'warn', message: `"${name}" has no type, so Cline treats it as a legacy SSE server.`, fix: fix('Set "type": "streamableHttp".') });
      else if (type === 'http') problems.push({ code: 'wrong-type', message: `Cline doesn't know "type": "http"; it expects "streamableHttp".`, fix: fix('Set "type": "streamableHttp".') });
      break;
    case 'roo-code':
      if (!type) problems.push({ code: 'missing-type', message: `"${name}" has a url but no type; Roo Code rejects it.`, fix: fix('Set "type": "streamable-http".') });
      break;
    case 'windsurf':
    case 'antigravity':
      if (typeof e.serverUrl !== 'string') problems.push({ code: 'wrong-key', severity: 'warn', message: `"${name}" uses "url"; this app reliably reads "serverUrl".`, fix: fix('Rename "url" to "serverUrl".') });
      break;
    case 'gemini-cli':
      if (!type && typeof e.httpUrl !== 'string') problems.push({ code: 'sse-assumed', severity: 'warn', message: `"${name}" has a url but no type; Gemini CLI before 0.21 treats that as SSE.`, fix: fix('Add "type": "http".') });
      break;
    case 'codex':
      if ('bearer_token' in e) problems.push({ code: 'inline-token', message: `"${name}" has an inline bearer_token; Codex refuses to load the whole config.`, hint: 'Use bearer_token_env_var with an environment variable instead.', fix: fix('Replace bearer_token with bearer_token_env_var.') });
      if ('headers' in e) problems.push({ code: 'wrong-key', message: `"${name}" has a "headers" table; Codex ignores it (it reads http_headers).`, fix: fix('Rename headers to http_headers.') });
      break;
    case 'goose':
      if (type === 'sse') problems.push({ code: 'sse-unsupported', message: `"${name}" is type sse; Goose no longer supports SSE extensions.`, fix: fix('Use type: streamable_http.') });
      break;
  }
  if (type === 'sse' && /\/mcp\/?$/.test(url)) {
    problems.push({ code: 'sse-on-mcp-path', severity: 'warn', message: `"${name}" is marked as SSE but its URL ends in /mcp, where servers speak Streamable HTTP.`, fix: fix('Switch it to Streamable HTTP.') });
  }
  return problems;
}

const BARE_RUNNERS = /^(npx|node|npm|pnpm|bunx|bun|uvx|uv|python3?|deno)$/i;

/**
 * Claude Desktop starts local servers without your shell's PATH (a GUI app: no nvm, volta or
 * Homebrew shims), so a bare `npx` fails with "spawn npx ENOENT" on many machines; on Windows a
 * bare `npx` (a .cmd shim) can't be spawned at all without `cmd /c` (clients.md, Claude Desktop).
 */
function desktopLaunchProblems(name: string, e: Record<string, unknown>, headers: HeaderSpec | undefined): EntryProblem[] {
  const command = typeof e.command === 'string' ? e.command : '';
  if (!BARE_RUNNERS.test(command)) return [];
  const remote = mcpRemoteTargetOf(e);
  const readd = remote ? readdCommand('claude-desktop', name, remote.url, undefined, headers, ' --via bridge') : undefined;
  return [
    {
      code: 'bare-command',
      severity: 'warn',
      message: `"${name}" starts a bare "${command}"; Claude Desktop starts it without your shell's PATH, so it fails ("spawn ${command} ENOENT") when Node or Python comes from nvm, volta, pyenv or Homebrew.`,
      hint: `Use the absolute path (\`which ${command}\` in a terminal)${remote ? ", or mcp-setup's bridge, which records the absolute path of node" : ''}.`,
      fix: readd
        ? { id: 'fix-entry', label: 'Replace it with the mcp-setup bridge (absolute node path, pinned version).', command: readd }
        : { id: 'fix-entry', label: `Put the absolute path of ${command} in "command".` },
    },
  ];
}

/** A server that sits where its app never looks (the classic wrong-file mistakes). */
export interface MisplacedServer {
  client: ClientId;
  clientName: string;
  file: string;
  name: string;
  url?: string;
  problem: EntryProblem;
}

async function readServersAt(file: string, key: string): Promise<Record<string, unknown>> {
  try {
    const text = await fs.readFile(file, 'utf8');
    const value = parseJsonc(text, file).value[key];
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function findMisplacedServers(system: SystemInfo): Promise<MisplacedServer[]> {
  const dirs = baseDirs(system);
  const claudeDir = system.env.CLAUDE_CONFIG_DIR || dirs.join(system.home, '.claude');
  const places: Array<{ client: ClientId; clientName: string; file: string; key: string; message: string }> = [
    { client: 'claude-code', clientName: 'Claude Code', file: dirs.join(claudeDir, 'settings.json'), key: 'mcpServers', message: 'Claude Code does not read servers from settings.json; they belong in ~/.claude.json or .mcp.json.' },
    { client: 'claude-code', clientName: 'Claude Code', file: dirs.join(system.cwd, '.claude', 'settings.json'), key: 'mcpServers', message: 'Claude Code does not read servers from .claude/settings.json; they belong in .mcp.json.' },
    { client: 'vscode', clientName: 'VS Code', file: dirs.join(dirs.appData, 'Code', 'User', 'mcp.json'), key: 'mcpServers', message: 'VS Code reads "servers" in mcp.json; "mcpServers" is ignored.' },
    { client: 'vscode', clientName: 'VS Code', file: dirs.join(system.cwd, '.vscode', 'mcp.json'), key: 'mcpServers', message: 'VS Code reads "servers" in mcp.json; "mcpServers" is ignored.' },
  ];
  const found: MisplacedServer[] = [];
  for (const place of places) {
    for (const [name, raw] of Object.entries(await readServersAt(place.file, place.key))) {
      const e = (raw ?? {}) as Record<string, unknown>;
      const url = typeof e.url === 'string' ? e.url : undefined;
      found.push({
        client: place.client,
        clientName: place.clientName,
        file: place.file,
        name,
        ...(url ? { url } : {}),
        problem: {
          code: 'wrong-file',
          message: `"${name}" in ${place.file}: ${place.message}`,
          fix: { id: 'fix-entry', label: 'Add it where the app reads it.', ...(url ? { command: `mcp-setup add --client ${place.client} --name ${name} --url ${url}` } : {}) },
        },
      });
    }
  }
  return found;
}
