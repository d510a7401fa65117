import { parseArgs } from 'node:util';
import { CLIENT_IDS, type Scope } from '../services/clients/types.js';
import { UsageError } from '../services/errors.js';
import { parseHeaderLine } from '../services/headers.js';

/**
 * ONE option table: it drives parsing, `--help` text and the wizard's pre-answers. Adding a flag
 * here is all it takes for every front end to know it.
 */

export type CommandName = 'wizard' | 'add' | 'list' | 'remove' | 'update' | 'undo' | 'verify' | 'login' | 'logout' | 'doctor' | 'proxy' | 'demo';

interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  value?: string;
  description: string;
  commands: readonly CommandName[] | 'all';
}

export const OPTIONS = {
  client: { type: 'string', multiple: true, value: 'ID', description: 'App(s) to configure; repeat or comma-separate', commands: ['wizard', 'add', 'list', 'remove', 'update', 'doctor', 'verify'] },
  url: { type: 'string', value: 'URL', description: 'Server URL, e.g. https://api.example.com/mcp', commands: ['wizard', 'add', 'update'] },
  name: { type: 'string', value: 'NAME', description: 'Server name (letters, digits, - and _)', commands: ['wizard', 'add', 'proxy'] },
  scope: { type: 'string', value: 'SCOPE', description: 'user (default), project or local', commands: ['wizard', 'add'] },
  header: { type: 'string', multiple: true, value: '"K: V"', description: "HTTP header; repeatable. 'K: Bearer ${VAR}' writes a reference to $VAR, not the secret", commands: ['wizard', 'add', 'update', 'verify', 'proxy', 'doctor'] },
  via: { type: 'string', value: 'bridge', description: 'For apps that only run local servers (Claude Desktop): connect through the mcp-setup proxy bridge', commands: ['wizard', 'add'] },
  tools: { type: 'string', multiple: true, value: 'NAMES', description: 'Only these tools (comma-separated), in apps with a per-server tool filter', commands: ['wizard', 'add'] },
  rename: { type: 'string', value: 'NEW', description: 'New name for the server', commands: ['update'] },
  force: { type: 'boolean', description: 'Replace an existing server of the same name', commands: ['wizard', 'add'] },
  'dry-run': { type: 'boolean', description: 'Show the exact change to each file, write nothing', commands: ['add'] },
  'no-verify': { type: 'boolean', description: "Write the entry without connecting to the server first", commands: ['add'] },
  'no-app-check': { type: 'boolean', description: "Don't ask the apps' own CLIs (claude, codex) what they make of the new entry", commands: ['add'] },
  'no-health': { type: 'boolean', description: 'List without checking each server', commands: ['list'] },
  all: { type: 'boolean', description: 'Check every configured server in every app', commands: ['doctor'] },
  bundle: { type: 'boolean', description: 'Also print a support report with secrets removed', commands: ['doctor'] },
  'no-browser': { type: 'boolean', description: "Don't open a browser; show the URL (and accept a pasted redirect)", commands: ['wizard', 'login', 'demo'] },
  'callback-port': { type: 'string', value: 'PORT', description: 'Port for the sign-in callback on 127.0.0.1', commands: ['wizard', 'login'] },
  'callback-host': { type: 'string', value: 'HOST', description: '127.0.0.1 (default) or localhost, for servers that accept only one', commands: ['wizard', 'login'] },
  'client-id': { type: 'string', value: 'ID', description: 'A pre-registered OAuth client id', commands: ['wizard', 'login'] },
  'client-secret': { type: 'string', value: 'SECRET', description: 'Its client secret, if it has one', commands: ['wizard', 'login'] },
  'no-resource': { type: 'boolean', description: "Don't send the OAuth resource parameter (for servers that reject it)", commands: ['wizard', 'login'] },
  device: { type: 'boolean', description: 'Sign in with a code on another device (when the server offers it)', commands: ['login'] },
  timeout: { type: 'string', value: 'SECONDS', description: 'Give up on the server after this long (default 15)', commands: ['wizard', 'add', 'verify', 'list', 'doctor', 'login'] },
  yes: { type: 'boolean', short: 'y', description: "Don't ask; fail if an answer is missing", commands: 'all' },
  json: { type: 'boolean', description: 'Print one JSON document on stdout', commands: 'all' },
  help: { type: 'boolean', short: 'h', description: 'Show help', commands: 'all' },
  version: { type: 'boolean', short: 'v', description: 'Show the version', commands: 'all' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

export const COMMANDS: Record<CommandName, { usage: string; summary: string }> = {
  wizard: { usage: 'mcp-setup [--client ID] [--url URL] [--name N]', summary: 'Walk through connecting a server to your apps' },
  add: { usage: 'mcp-setup add --client ID --url URL [--name N] [--scope S] [--header "K: V"] [--dry-run] [--yes] [--json]', summary: 'Add a server without prompts' },
  list: { usage: 'mcp-setup list [--client ID] [--no-health] [--json]', summary: 'Show every configured server in every app' },
  remove: { usage: 'mcp-setup remove NAME [--client ID] [--yes]', summary: 'Remove a server from your apps' },
  update: { usage: 'mcp-setup update NAME [--client ID] [--url URL] [--rename NEW] [--header "K: V"]', summary: 'Change a server in place' },
  undo: { usage: 'mcp-setup undo', summary: 'Restore the files changed by the last change' },
  verify: { usage: 'mcp-setup verify URL|NAME [--header "K: V"] [--json]', summary: 'Connect and list the tools live' },
  login: { usage: 'mcp-setup login URL|NAME [--no-browser] [--device] [--callback-port N] [--client-id ID]', summary: 'Sign in and store tokens' },
  logout: { usage: 'mcp-setup logout URL|NAME', summary: 'Revoke and delete stored tokens' },
  doctor: { usage: 'mcp-setup doctor [NAME|URL] [--header "K: V"] [--all] [--bundle] [--json]', summary: "Find out why a server doesn't work" },
  proxy: { usage: 'mcp-setup proxy NAME|URL [--name N] [--header "K: V"]', summary: 'stdio bridge for apps without remote support (protocol on stdout only)' },
  demo: { usage: 'mcp-setup demo', summary: 'Try the whole flow against a local demo server' },
};

/** Commands that exist in this build (the others are listed in the contract but not shipped yet). */
export const AVAILABLE_COMMANDS: readonly CommandName[] = ['wizard', 'add', 'list', 'remove', 'update', 'undo', 'verify', 'login', 'logout', 'doctor', 'proxy', 'demo'];

export type ParsedOptions = {
  client?: string[];
  url?: string;
  name?: string;
  scope?: string;
  header?: string[];
  tools?: string[];
  rename?: string;
  via?: string;
  force?: boolean;
  'dry-run'?: boolean;
  'no-verify'?: boolean;
  'no-app-check'?: boolean;
  'no-health'?: boolean;
  all?: boolean;
  bundle?: boolean;
  'no-browser'?: boolean;
  'callback-port'?: string;
  'callback-host'?: string;
  'client-id'?: string;
  'client-secret'?: string;
  'no-resource'?: boolean;
  device?: boolean;
  timeout?: string;
  yes?: boolean;
  json?: boolean;
  help?: boolean;
  version?: boolean;
};

export interface ParsedArgs {
  command: CommandName;
  positionals: string[];
  options: ParsedOptions;
}

export function parseCommandLine(argv: string[]): ParsedArgs {
  const first = argv[0];
  const isCommand = first !== undefined && !first.startsWith('-') && first in COMMANDS && first !== 'wizard';
  const command: CommandName = isCommand ? (first as CommandName) : 'wizard';
  const rest = isCommand ? argv.slice(1) : argv;
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, spec] of Object.entries(OPTIONS) as [OptionName, OptionSpec][]) {
    config[name] = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: config, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(cleanParseError((error as Error).message), `Run "mcp-setup ${isCommand ? `${command} ` : ''}--help" for the options.`);
  }
  const options = parsed.values as ParsedOptions;
  for (const key of Object.keys(options) as OptionName[]) {
    const spec: OptionSpec = OPTIONS[key];
    if (spec.commands !== 'all' && !spec.commands.includes(command)) {
      throw new UsageError(`--${key} doesn't apply to ${command === 'wizard' ? 'the wizard' : `"${command}"`}.`, `Run "mcp-setup ${command === 'wizard' ? '' : `${command} `}--help" for its options.`);
    }
  }
  if (command === 'wizard' && parsed.positionals.length > 0) {
    throw new UsageError(`Unknown command "${parsed.positionals[0]}".`, `Commands: ${Object.keys(COMMANDS).filter((c) => c !== 'wizard').join(', ')}.`);
  }
  return { command, positionals: parsed.positionals, options };
}

function cleanParseError(message: string): string {
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Unknown option ${unknown[1]}.`;
  const missing = /Option '([^']+)' argument missing/.exec(message);
  if (missing) return `${missing[1]?.replace(/^-\w, /, '')} needs a value.`;
  return message.split('\n')[0] ?? message;
}

/** A repeatable, comma-separable option: --client a,b --client c → [a, b, c] */
function listOption(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export function clientList(options: ParsedOptions): string[] {
  return listOption(options.client);
}

export function toolNames(options: ParsedOptions): string[] {
  return listOption(options.tools);
}

/** --via bridge (the only value). */
export function viaOption(options: ParsedOptions): 'bridge' | undefined {
  if (options.via === undefined || options.via === 'bridge') return options.via;
  throw new UsageError(`--via takes "bridge", not "${options.via}".`);
}

/** --header "Name: value" → {Name: value}, rejecting what would break an HTTP request. */
export function headerMap(options: ParsedOptions): Record<string, string> | undefined {
  if (!options.header?.length) return undefined;
  const headers: Record<string, string> = {};
  for (const raw of options.header) {
    const line = parseHeaderLine(raw);
    if (!line.ok) throw new UsageError(`--header: ${line.message}`);
    headers[line.name] = line.value;
  }
  return headers;
}

export function parseScope(value: string): Scope {
  if (value === 'user' || value === 'project' || value === 'local') return value;
  throw new UsageError(`Unknown scope "${value}".`, 'Use --scope user, project or local.');
}

/** --callback-port / --callback-host for sign-in (login and the wizard). */
export function callbackOptions(options: ParsedOptions): { callbackPort?: number; callbackHost?: '127.0.0.1' | 'localhost' } {
  const out: { callbackPort?: number; callbackHost?: '127.0.0.1' | 'localhost' } = {};
  if (options['callback-port'] !== undefined) {
    const port = Number(options['callback-port']);
    if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new UsageError('--callback-port takes a port number from 1024 to 65535.');
    out.callbackPort = port;
  }
  if (options['callback-host'] !== undefined) {
    const host = options['callback-host'];
    if (host !== '127.0.0.1' && host !== 'localhost') throw new UsageError('--callback-host is 127.0.0.1 or localhost.');
    out.callbackHost = host;
  }
  return out;
}

export function timeoutMs(options: ParsedOptions): number {
  if (options.timeout === undefined) return 15_000;
  const seconds = Number(options.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) throw new UsageError('--timeout takes a number of seconds between 1 and 600.');
  return Math.round(seconds * 1000);
}

export function helpText(command: CommandName, version: string): string {
  const lines: string[] = [];
  if (command === 'wizard') {
    lines.push(`mcp-setup ${version}: connect a remote MCP server to the AI apps you use.`, '', 'Usage:');
    for (const [name, c] of Object.entries(COMMANDS)) {
      if (!AVAILABLE_COMMANDS.includes(name as CommandName)) continue;
      lines.push(`  ${c.usage}`, `      ${c.summary}`);
    }
  } else {
    lines.push(`${COMMANDS[command].summary}.`, '', `Usage: ${COMMANDS[command].usage}`);
  }
  lines.push('', 'Options:');
  for (const [name, spec] of Object.entries(OPTIONS) as [OptionName, OptionSpec][]) {
    if (spec.commands !== 'all' && !spec.commands.includes(command)) continue;
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(30)} ${spec.description}`);
  }
  if (OPTIONS.client.commands.includes(command as never)) {
    lines.push('', `Apps (--client): ${CLIENT_IDS.join(', ')}`);
  }
  lines.push(
    '',
    'Exit codes: 0 ok · 1 failed · 2 usage (missing or invalid flag) · 3 sign-in required or failed',
    '            4 server unreachable or not an MCP server · 130 cancelled',
    '',
    'Environment: NO_COLOR, CI, BROWSER, HTTPS_PROXY/HTTP_PROXY/NO_PROXY, NODE_EXTRA_CA_CERTS,',
    '             MCP_SETUP_CONFIG_DIR, MCP_SETUP_TOKEN_STORE=file, and each app\'s own (CLAUDE_CONFIG_DIR, CODEX_HOME, …).',
  );
  return lines.join('\n') + '\n';
}
