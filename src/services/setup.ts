import { promises as fs } from 'node:fs';
import path from 'node:path';
import { getAdapter } from './clients/registry.js';
import type { ClientAdapter, ClientId, ConfigLocation, RemoteServerSpec, Scope } from './clients/types.js';
import { editConfigFile, readSnapshot, sha256, writeAtomically } from './config-file.js';
import type { Deps } from './deps.js';
import { UserError, UsageError } from './errors.js';
import { editorFor } from './formats/index.js';
import { normalizeServerUrl, validateServerName } from './url.js';

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
  transport?: RemoteServerSpec['transport'];
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
}

export function validateAddRequest(req: AddRequest): RemoteServerSpec {
  const url = normalizeServerUrl(req.url);
  if (!url.ok) throw new UserError({ code: 'invalid-url', message: url.message, ...(url.hint ? { hint: url.hint } : {}) });
  const name = validateServerName(req.name);
  if (!name.ok) throw new UserError({ code: 'invalid-name', message: `"${req.name}": ${name.message}` });
  if (req.clients.length === 0) throw new UsageError('Choose at least one app.');
  return { name: req.name, url: url.url, ...(req.headers ? { headers: req.headers } : {}), ...(req.transport ? { transport: req.transport } : {}) };
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
    const location = adapter.locate(deps.system, scope);
    const snapshot = await readSnapshot(location.file);
    const servers = editorFor(location.format).readServers(snapshot.text, location.file, location.serversPath);
    const existing = Object.hasOwn(servers, spec.name) ? servers[spec.name] : undefined;
    const entry = adapter.remoteEntry(spec);
    plan.push({
      adapter,
      scope,
      location,
      name: spec.name,
      entry,
      existing,
      unchanged: existing !== undefined && JSON.stringify(existing) === JSON.stringify(entry),
      fileExists: snapshot.exists,
    });
  }
  return plan;
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

export async function applyPlan(plan: PlannedChange[], deps: Deps): Promise<AppliedChange[]> {
  const results: AppliedChange[] = [];
  const journal: JournalEntry[] = [];
  for (const change of plan) {
    const editor = editorFor(change.location.format);
    const result = await editConfigFile(
      change.location.file,
      (text) => editor.setServer(text, change.location.file, change.location.serversPath, change.name, change.entry),
      { stateDir: deps.stateDir, now: deps.now, ...(change.location.createMode ? { createMode: change.location.createMode } : {}) },
    );
    if (result.changed) journal.push({ file: result.path, backupPath: result.backupPath, afterHash: sha256(result.after) });
    results.push({
      client: change.adapter.id,
      clientName: change.adapter.displayName,
      scope: change.scope,
      file: result.path,
      name: change.name,
      created: result.created,
      changed: result.changed,
      backupPath: result.backupPath,
      nextStep: change.adapter.nextStep,
    });
  }
  if (journal.length > 0) await recordChange(deps, journal);
  return results;
}

interface JournalEntry {
  file: string;
  /** null: the file did not exist before, so undo deletes it. */
  backupPath: string | null;
  afterHash: string;
}

function journalPath(deps: Deps): string {
  return path.join(deps.stateDir, 'last-change.json');
}

async function recordChange(deps: Deps, entries: JournalEntry[]): Promise<void> {
  await fs.mkdir(deps.stateDir, { recursive: true, mode: 0o700 });
  await writeAtomically(journalPath(deps), JSON.stringify({ at: new Date(deps.now()).toISOString(), entries }, null, 2) + '\n', 0o600);
}

export interface UndoneFile {
  file: string;
  action: 'restored' | 'deleted';
}

/** Restore the files of the last change, refusing any that changed since we wrote them. */
export async function undoLastChange(deps: Deps): Promise<UndoneFile[]> {
  let journal: { entries: JournalEntry[] };
  try {
    journal = JSON.parse(await fs.readFile(journalPath(deps), 'utf8')) as { entries: JournalEntry[] };
  } catch {
    throw new UserError({ code: 'nothing-to-undo', message: 'There is no change to undo.', hint: 'mcp-setup keeps only its last change.' });
  }
  for (const entry of journal.entries) {
    const now = await readSnapshot(entry.file);
    if (!now.exists || sha256(now.text) !== entry.afterHash) {
      throw new UserError({
        code: 'config-changed',
        message: `${entry.file} changed after mcp-setup wrote it, so undo would lose those changes.`,
        hint: 'Nothing was restored.',
        nextSteps: entry.backupPath ? [`The previous version is still at ${entry.backupPath}.`] : [],
      });
    }
  }
  const done: UndoneFile[] = [];
  for (const entry of journal.entries) {
    if (entry.backupPath === null) {
      await fs.rm(entry.file, { force: true });
      done.push({ file: entry.file, action: 'deleted' });
    } else {
      const stat = await fs.stat(entry.file);
      await writeAtomically(entry.file, await fs.readFile(entry.backupPath, 'utf8'), stat.mode & 0o7777);
      done.push({ file: entry.file, action: 'restored' });
    }
  }
  await fs.rm(journalPath(deps), { force: true });
  return done;
}
