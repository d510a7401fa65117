import { bridgeLaunch, type BridgeLaunch } from './clients/bridge-entry.js';
import { getAdapter, primaryLocation } from './clients/registry.js';
import type { ClientAdapter, ClientId, ConfigLocation, EnvHeader, RemoteServerSpec, Scope } from './clients/types.js';
import { editConfigFile, readSnapshot, type EditResult } from './config-file.js';
import type { Deps } from './deps.js';
import { UserError, UsageError } from './errors.js';
import { loadEditor, sameData } from './formats/index.js';
import { recordChange } from './journal.js';
import { hasEntries, splitHeaders } from './headers.js';
import { requireServerName, requireServerUrl } from './url.js';

/**
 * Plan + apply, shared by the wizard and `mcp-setup add`: the plan reads every target file
 * (refusing unparsable ones before anything is written) and shows exactly which entry lands in
 * which file; apply performs the safe edits and records them for `undo`.
 */

export interface AddRequest {
  clients: ClientId[];
  scope?: Scope;
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** Headers the app reads from environment variables (only for apps whose adapter has `envHeaders`). */
  envHeaders?: Record<string, EnvHeader>;
  transport?: RemoteServerSpec['transport'];
  /** Tools the app may use, written where the app has a per-server filter (`adapter.toolFilter`). */
  enabledTools?: string[];
  /**
   * 'bridge': apps whose file takes local servers only (`supportsRemote: false`, Claude Desktop)
   * get an entry running `mcp-setup proxy` (see clients/bridge-entry.ts) instead of a refusal.
   * Apps with native remote support keep their native entry.
   */
  via?: 'bridge';
}

export interface PlannedChange {
  adapter: ClientAdapter;
  scope: Scope;
  location: ConfigLocation;
  name: string;
  entry: Record<string, unknown>;
  /** The entry currently under this name, if any. */
  existing: unknown;
  /** True when the existing entry already equals the new one (nothing to write). */
  unchanged: boolean;
  fileExists: boolean;
  /** Set when the entry runs the stdio bridge: how it starts it. */
  bridge?: BridgeLaunch['via'];
}

export function validateAddRequest(req: AddRequest): RemoteServerSpec {
  const url = requireServerUrl(req.url);
  const name = requireServerName(req.name);
  if (req.clients.length === 0) throw new UsageError('Choose at least one app.');
  // 'K: Bearer ${VAR}' headers become references in each app's own syntax, never the secret.
  const { literal, fromEnv } = splitHeaders(req.headers);
  const envHeaders = { ...req.envHeaders, ...fromEnv };
  return {
    name,
    url,
    ...(hasEntries(literal) ? { headers: literal } : {}),
    ...(hasEntries(envHeaders) ? { envHeaders } : {}),
    ...(req.transport ? { transport: req.transport } : {}),
    ...(req.enabledTools ? { enabledTools: req.enabledTools } : {}),
  };
}

export function scopeFor(adapter: ClientAdapter, scope: Scope | undefined): Scope {
  const chosen = scope ?? adapter.defaultScope;
  if (!adapter.scopes.includes(chosen)) {
    throw new UsageError(`${adapter.displayName} has no "${chosen}" scope.`, `Use --scope ${adapter.scopes.join(' or ')}.`);
  }
  return chosen;
}

export async function planAdd(req: AddRequest, deps: Deps): Promise<PlannedChange[]> {
  const spec = validateAddRequest(req);
  const plan: PlannedChange[] = [];
  for (const id of req.clients) {
    const adapter = getAdapter(id);
    const scope = scopeFor(adapter, req.scope);
    const bridged = adapter.supportsRemote === false ? bridgedEntry(adapter, spec, req, deps) : undefined;
    const location = await primaryLocation(adapter, deps.system, scope);
    const snapshot = await readSnapshot(location.file);
    const servers = (await loadEditor(location.format)).readServers(snapshot.text, location);
    const existing = Object.hasOwn(servers, spec.name) ? servers[spec.name] : undefined;
    const entry = bridged?.entry ?? adapter.remoteEntry(spec);
    // Two apps can read one file (Claude Code and Copilot CLI both read .mcp.json): the second
    // sees the file as the first leaves it, and must be happy with the very same entry.
    const earlier = plan.find((c) => c.location.file === location.file && c.location.serversPath.join('\0') === location.serversPath.join('\0'));
    if (earlier && !sameData(earlier.entry, entry)) throw sharedFileConflict(earlier, adapter, location.file, spec.name);
    plan.push({
      adapter,
      scope,
      location,
      name: spec.name,
      entry,
      existing,
      // Key order doesn't matter: the editors skip an identical entry however its keys are ordered.
      unchanged: earlier ? true : sameData(existing, entry),
      fileExists: earlier ? true : snapshot.exists,
      ...(bridged ? { bridge: bridged.via } : {}),
    });
  }
  return plan;
}

function sharedFileConflict(earlier: PlannedChange, adapter: ClientAdapter, file: string, name: string): UserError {
  return new UserError({
    code: 'usage',
    message: `${earlier.adapter.displayName} and ${adapter.displayName} both read ${file}, but need different entries for "${name}" there, so one entry can't serve both.`,
    hint: earlier.adapter.id === 'copilot-cli' || adapter.id === 'copilot-cli' ? "Copilot CLI's tool list (\"tools\") makes Claude Code skip the server." : undefined,
    nextSteps: ['Add it to one of them at a time, or give one of them another scope (e.g. --scope user).'],
    exitCode: 2,
  });
}

/** The stdio entry launching `mcp-setup proxy`; without `via: 'bridge'`, the app's own refusal (which offers both ways). */
function bridgedEntry(adapter: ClientAdapter, spec: RemoteServerSpec, req: AddRequest, deps: Deps): { entry: Record<string, unknown>; via: BridgeLaunch['via'] } {
  if (req.via !== 'bridge' || !adapter.bridgeEntry) {
    adapter.remoteEntry(spec); // throws the app's own explanation
    throw new UserError({ code: 'usage', message: `${adapter.displayName} only takes local servers.`, nextSteps: ['Add --via bridge.'] });
  }
  const launch = bridgeLaunch(spec, deps.system);
  const entry = { ...adapter.bridgeEntry(launch.command, launch.args), ...(launch.env ? { env: launch.env } : {}) };
  return { entry, via: launch.via };
}

/** The changes that would replace a different entry of the same name. */
export function conflictsIn(plan: PlannedChange[]): PlannedChange[] {
  return plan.filter((c) => c.existing !== undefined && !c.unchanged);
}

export interface AppliedChange {
  client: ClientId;
  clientName: string;
  scope: Scope;
  file: string;
  name: string;
  created: boolean;
  changed: boolean;
  backupPath: string | null;
  nextStep: string;
}

export interface PlannedText {
  change: PlannedChange;
  before: string;
  after: string;
}

/** The exact text each file would have after the plan, computed in memory (a dry run). */
export async function previewPlan(plan: PlannedChange[]): Promise<PlannedText[]> {
  const previews: PlannedText[] = [];
  // A file two apps read is shown as the first change leaves it to the second.
  const pending = new Map<string, string>();
  for (const change of plan) {
    const before = pending.get(change.location.file) ?? (await readSnapshot(change.location.file)).text;
    const editor = await loadEditor(change.location.format);
    const after = change.unchanged ? before : editor.setServer(before, change.location, change.name, change.entry);
    pending.set(change.location.file, after);
    previews.push({ change, before, after });
  }
  return previews;
}

/** What one safe edit did, as both front ends report it. */
export function appliedChange(adapter: ClientAdapter, scope: Scope, name: string, result: EditResult): AppliedChange {
  return {
    client: adapter.id,
    clientName: adapter.displayName,
    scope,
    file: result.path,
    name,
    created: result.created,
    changed: result.changed,
    backupPath: result.backupPath,
    // An adapter's next step may name the server: "{name}".
    nextStep: adapter.nextStep.replaceAll('{name}', name),
  };
}

/** One safe write per file, even when several apps read it; each app still gets its own report. */
export async function applyPlan(plan: PlannedChange[], deps: Deps): Promise<AppliedChange[]> {
  const byFile = new Map<string, PlannedChange[]>();
  for (const change of plan) byFile.set(change.location.file, [...(byFile.get(change.location.file) ?? []), change]);
  const results = new Map<PlannedChange, AppliedChange>();
  const edits: EditResult[] = [];
  for (const [file, changes] of byFile) {
    const editors = await Promise.all(changes.map((c) => loadEditor(c.location.format)));
    const createMode = changes.find((c) => c.location.createMode)?.location.createMode;
    const result = await editConfigFile(
      file,
      (text) => changes.reduce((acc, c, i) => editors[i]!.setServer(acc, c.location, c.name, c.entry), text),
      { stateDir: deps.stateDir, now: deps.now, ...(createMode ? { createMode } : {}) },
    );
    edits.push(result);
    for (const change of changes) results.set(change, appliedChange(change.adapter, change.scope, change.name, result));
  }
  await recordChange(deps, edits);
  return plan.map((change) => results.get(change)!);
}

export { undoLastChange, type UndoneFile } from './journal.js';
