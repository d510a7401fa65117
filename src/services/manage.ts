import { bridgeTargetOf, mcpRemoteTargetOf } from './clients/bridge-entry.js';
import { entryProblems, type EntryProblem } from './clients/entry-checks.js';
import { configuredHeaders, headersHelperOf, withHeaderArgsHidden } from './clients/entry-headers.js';
import { getAdapter, ADAPTERS, locationsFor } from './clients/registry.js';
import type { ClientAdapter, ClientId, ConfigLocation, EnvHeader, Scope } from './clients/types.js';
import { editConfigFile, readSnapshot, type EditResult } from './config-file.js';
import type { Deps } from './deps.js';
import { UserError, UsageError } from './errors.js';
import { editorFor, loadEditor } from './formats/index.js';
import { recordChange } from './journal.js';
import { appliedChange, type AppliedChange } from './setup.js';
import { splitHeaders, type HeaderSpec } from './headers.js';
import { requireServerName, requireServerUrl, serverUrlKey } from './url.js';

/**
 * What is configured where, and in-place changes to it. Every edit goes through the client's
 * own format editor at field level (`setField`, `renameServer`), so an entry's other fields —
 * autoApprove, disabled, timeout, comments — are never round-tripped through a generic model.
 * Removals and updates land in the same undo journal as `applyPlan`.
 */

export interface ListedServer {
  name: string;
  client: ClientId;
  clientName: string;
  scope: Scope;
  file: string;
  /** Which of a client's several files ("profile Work", "Windows"). */
  label?: string;
  url?: string;
  command?: string;
  transport?: string;
  /** Other apps that have a server with the same URL. */
  alsoIn: ClientId[];
  /** Set for a stdio bridge entry (mcp-setup's own, or mcp-remote): `command` runs it to `url`. */
  via?: 'bridge' | 'mcp-remote';
  /**
   * The headers the app sends (literal values, and references to its environment). Values can be
   * API keys: send them in a check, never print them.
   */
  headers?: HeaderSpec;
  /** The entry's field naming a command the app runs for more headers (never run here). */
  headersHelper?: string;
  /** What the app will silently get wrong about this entry (see entry-checks.ts). */
  problems?: EntryProblem[];
}

/** A file that exists but can't be read; listed instead of failing the whole command. */
export interface FileProblem {
  client: ClientId;
  clientName: string;
  scope: Scope;
  file: string;
  code: string;
  message: string;
  hint?: string;
}

export interface ServerList {
  servers: ListedServer[];
  problems: FileProblem[];
}

export interface ManageOptions {
  /** Only these apps; default: every detected app. */
  clients?: ClientId[];
  /** Only these scopes; default: all of each app's scopes. */
  scopes?: Scope[];
}

interface Found {
  adapter: ClientAdapter;
  scope: Scope;
  location: ConfigLocation;
  servers: Record<string, unknown>;
}

async function targetAdapters(clients: ClientId[] | undefined): Promise<ClientAdapter[]> {
  if (clients && clients.length > 0) return clients.map((id) => getAdapter(id));
  // Every app, not just detected ones: a config file on disk is itself the evidence (Claude Code
  // run through npx leaves ~/.claude.json but no `claude` on PATH). Missing files are skipped.
  return [...ADAPTERS];
}

async function scan(deps: Deps, options: ManageOptions): Promise<{ found: Found[]; problems: FileProblem[] }> {
  const found: Found[] = [];
  const problems: FileProblem[] = [];
  for (const adapter of await targetAdapters(options.clients)) {
    for (const scope of adapter.scopes) {
      if (options.scopes && !options.scopes.includes(scope)) continue;
      for (const location of await locationsFor(adapter, deps.system, scope)) {
        try {
          const snapshot = await readSnapshot(location.file);
          if (!snapshot.exists) continue;
          // Loaded here, so the sync edit callbacks below find every editor they need.
          found.push({ adapter, scope, location, servers: (await loadEditor(location.format)).readServers(snapshot.text, location) });
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          problems.push({
            client: adapter.id,
            clientName: adapter.displayName,
            scope,
            file: location.file,
            code: error.code,
            message: error.message,
            ...(error.hint ? { hint: error.hint } : {}),
          });
        }
      }
    }
  }
  return { found, problems };
}


/** Every server in every detected app and scope, with the other apps that share its URL. */
export async function listServers(deps: Deps, options: ManageOptions = {}): Promise<ServerList> {
  const { found, problems } = await scan(deps, options);
  const servers: ListedServer[] = [];
  for (const f of found) {
    for (const [name, raw] of Object.entries(f.servers)) {
      // An mcp-setup bridge entry (stdio apps like Claude Desktop) is the remote server it bridges to.
      const bridged = bridgeTargetOf(raw);
      const remote = bridged ? undefined : mcpRemoteTargetOf(raw);
      const summary = {
        ...f.adapter.summarize(withHeaderArgsHidden(raw)),
        ...(bridged ? { url: bridged.url, via: 'bridge' as const } : remote ? { url: remote.url, via: 'mcp-remote' as const } : {}),
      };
      const headers = summary.url ? configuredHeaders(f.adapter, raw) : undefined;
      const headersHelper = summary.url ? headersHelperOf(raw) : undefined;
      const problems = entryProblems(f.adapter.id, name, raw, f.scope, headers);
      servers.push({
        name,
        client: f.adapter.id,
        clientName: f.adapter.displayName,
        scope: f.scope,
        file: f.location.file,
        ...(f.location.label ? { label: f.location.label } : {}),
        ...summary,
        ...(headers ? { headers } : {}),
        ...(headersHelper ? { headersHelper } : {}),
        alsoIn: [],
        ...(problems.length ? { problems } : {}),
      });
    }
  }
  const byUrl = new Map<string, Set<ClientId>>();
  for (const s of servers) if (s.url) byUrl.set(serverUrlKey(s.url), (byUrl.get(serverUrlKey(s.url)) ?? new Set()).add(s.client));
  for (const s of servers) if (s.url) s.alsoIn = [...(byUrl.get(serverUrlKey(s.url)) ?? [])].filter((c) => c !== s.client);
  return { servers, problems };
}

async function occurrences(deps: Deps, name: string, options: ManageOptions): Promise<Found[]> {
  const { found, problems } = await scan(deps, options);
  const hits = found.filter((f) => Object.hasOwn(f.servers, name));
  if (hits.length === 0) {
    throw new UserError({
      code: 'not-found',
      message: `No server called "${name}" in ${options.clients?.length ? options.clients.map((c) => getAdapter(c).displayName).join(', ') : 'any app on this machine'}.`,
      hint: problems.length > 0 ? `Some files couldn't be read: ${problems.map((p) => p.file).join(', ')}.` : 'Run `mcp-setup list` to see the configured servers.',
    });
  }
  return hits;
}

type FileEdit = { found: Found; apply: (text: string) => string };

/** One safe write per file (two apps can share one, e.g. .mcp.json), all recorded as one change. */
async function writeEdits(deps: Deps, name: string, edits: FileEdit[]): Promise<AppliedChange[]> {
  const byFile = new Map<string, FileEdit[]>();
  for (const e of edits) byFile.set(e.found.location.file, [...(byFile.get(e.found.location.file) ?? []), e]);
  const results: EditResult[] = [];
  const changes: AppliedChange[] = [];
  for (const [file, group] of byFile) {
    // Two apps can list the very same servers (Claude Code and Copilot CLI both read .mcp.json): edit those once.
    const seen = new Set<string>();
    const distinct = group.filter((e) => {
      const key = e.found.location.serversPath.join('\0');
      return seen.has(key) ? false : (seen.add(key), true);
    });
    const result = await editConfigFile(file, (text) => distinct.reduce((acc, e) => e.apply(acc), text), {
      stateDir: deps.stateDir,
      now: deps.now,
    });
    results.push(result);
    for (const { found } of group) changes.push(appliedChange(found.adapter, found.scope, name, result));
  }
  await recordChange(deps, results);
  return changes;
}

/** Remove `name` from every (selected) app and scope that has it. */
export async function removeServer(deps: Deps, name: string, options: ManageOptions = {}): Promise<AppliedChange[]> {
  const hits = await occurrences(deps, name, options);
  return writeEdits(
    deps,
    name,
    hits.map((found) => ({ found, apply: (text) => editorFor(found.location.format).setServer(text, found.location, name, undefined) })),
  );
}

export interface UpdateRequest extends ManageOptions {
  url?: string;
  rename?: string;
  /** Replaces the entry's headers (an empty object removes them). */
  headers?: Record<string, string>;
  envHeaders?: Record<string, EnvHeader>;
}

const URL_FIELDS = ['url', 'serverUrl', 'httpUrl', 'uri'];

function currentEntry(text: string, location: ConfigLocation, name: string): Record<string, unknown> {
  const raw = editorFor(location.format).readServers(text, location)[name];
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

function valueAt(obj: unknown, path: string[]): unknown {
  let cursor = obj;
  for (const key of path) cursor = typeof cursor === 'object' && cursor !== null ? (cursor as Record<string, unknown>)[key] : undefined;
  return cursor;
}

function updateOne(text: string, found: Found, name: string, req: UpdateRequest, url: string | undefined): string {
  const { adapter, location } = found;
  const editor = editorFor(location.format);
  let out = text;
  const entry = currentEntry(out, location, name);
  const urlField = URL_FIELDS.find((k) => typeof entry[k] === 'string');
  const oldUrl = urlField ? (entry[urlField] as string) : undefined;
  if (url !== undefined) {
    if (urlField) {
      out = editor.setField(out, location, name, [urlField], url);
    } else {
      // A bridge entry (`npx mcp-remote URL`, `mcp-setup proxy URL`) carries the URL in its args.
      const args = Array.isArray(entry.args) ? (entry.args as unknown[]) : [];
      const at = args.findIndex((a) => typeof a === 'string' && /^https?:\/\//.test(a));
      if (at === -1) throw notRemote(adapter, name, location.file);
      out = editor.setField(out, location, name, ['args'], args.map((a, i) => (i === at ? url : a)));
    }
  }
  if (req.headers !== undefined || req.envHeaders !== undefined) {
    if (!urlField || adapter.supportsRemote === false) throw notRemote(adapter, name, location.file);
    const fresh = adapter.remoteEntry({
      name,
      url: url ?? (oldUrl as string),
      ...(req.headers ? { headers: req.headers } : {}),
      ...(req.envHeaders ? { envHeaders: req.envHeaders } : {}),
    });
    for (const field of adapter.headerFields ?? [['headers']]) out = editor.setField(out, location, name, field, valueAt(fresh, field));
  }
  if (req.rename !== undefined && req.rename !== name) {
    if (Object.hasOwn(editor.readServers(out, location), req.rename)) {
      throw new UserError({
        code: 'name-in-use',
        message: `${adapter.displayName} already has a server called "${req.rename}" in ${location.file}.`,
        hint: 'Pick another name, or remove that server first.',
      });
    }
    out = editor.renameServer(out, location, name, req.rename);
    for (const field of adapter.nameFields ?? []) out = editor.setField(out, location, req.rename, [field], req.rename);
  }
  return out;
}

function notRemote(adapter: ClientAdapter, name: string, file: string): UserError {
  return new UserError({
    code: 'usage',
    message: `"${name}" in ${adapter.displayName} (${file}) runs a local command, so it has no URL or headers to change.`,
    hint: 'Remove it and add the remote server instead.',
  });
}

/** Change `name` in place in every (selected) app and scope that has it. */
export async function updateServer(deps: Deps, name: string, req: UpdateRequest): Promise<AppliedChange[]> {
  if (req.url === undefined && req.rename === undefined && req.headers === undefined && req.envHeaders === undefined) {
    throw new UsageError('Nothing to change.', 'Pass --url, --rename or --header.');
  }
  const url = req.url === undefined ? undefined : requireServerUrl(req.url);
  if (req.rename !== undefined) requireServerName(req.rename);
  if (req.headers !== undefined) {
    // As in planAdd: 'K: Bearer ${VAR}' headers are written as references.
    const { literal, fromEnv } = splitHeaders(req.headers);
    req = { ...req, headers: literal, envHeaders: { ...req.envHeaders, ...fromEnv } };
  }
  const hits = await occurrences(deps, name, req);
  // Check every file before writing any, so a conflict in the third app leaves the first two alone.
  const checkedFiles = new Set<string>();
  for (const found of hits) {
    const key = `${found.location.file}\0${found.location.serversPath.join('\0')}`;
    if (checkedFiles.has(key)) continue;
    checkedFiles.add(key);
    updateOne((await readSnapshot(found.location.file)).text, found, name, req, url);
  }
  return writeEdits(deps, name, hits.map((found) => ({ found, apply: (text) => updateOne(text, found, name, req, url) })));
}
