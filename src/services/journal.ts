import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readSnapshot, removeIfUnchanged, replaceIfUnchanged, sha256, writeAtomically, type EditResult, type FileSnapshot } from './config-file.js';
import type { Deps } from './deps.js';
import { UserError } from './errors.js';

/**
 * The undo journal: the files one change (add, remove, update) wrote, with their backups.
 * mcp-setup keeps only the last change; `undo` restores it, refusing files changed since.
 */

export interface JournalEntry {
  file: string;
  /** null: the file did not exist before, so undo deletes it. */
  backupPath: string | null;
  afterHash: string;
}

function journalPath(deps: Deps): string {
  return path.join(deps.stateDir, 'last-change.json');
}

/** Record the files of one change (the results of `editConfigFile`); unchanged files are skipped. */
export async function recordChange(deps: Deps, results: EditResult[]): Promise<void> {
  // A file edited twice in one change (two apps sharing .mcp.json) is undone to its first backup.
  const byFile = new Map<string, JournalEntry>();
  for (const r of results.filter((x) => x.changed)) {
    const first = byFile.get(r.path);
    byFile.set(r.path, { file: r.path, backupPath: first ? first.backupPath : r.backupPath, afterHash: sha256(r.after) });
  }
  const entries = [...byFile.values()];
  if (entries.length === 0) return;
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
  // Check every file first (so nothing is restored if any changed), then restore each one only
  // if it is still what was checked, right before the rename.
  const checked: Array<{ entry: JournalEntry; now: FileSnapshot }> = [];
  for (const entry of journal.entries) {
    const now = await readSnapshot(entry.file);
    if (!now.exists || sha256(now.text) !== entry.afterHash) throw changedSince(entry);
    checked.push({ entry, now });
  }
  const done: UndoneFile[] = [];
  for (const { entry, now } of checked) {
    const restored = entry.backupPath === null ? removeIfUnchanged(now) : await replaceIfUnchanged(now, await fs.readFile(entry.backupPath, 'utf8'));
    if (!restored) throw changedSince(entry, done);
    done.push({ file: entry.file, action: entry.backupPath === null ? 'deleted' : 'restored' });
  }
  await fs.rm(journalPath(deps), { force: true });
  return done;
}

function changedSince(entry: JournalEntry, done: UndoneFile[] = []): UserError {
  return new UserError({
    code: 'config-changed',
    message: `${entry.file} changed after mcp-setup wrote it, so undo would lose those changes.`,
    hint: done.length ? `Already restored: ${done.map((d) => d.file).join(', ')}; this file and any after it were left as they are.` : 'Nothing was restored.',
    nextSteps: entry.backupPath ? [`The previous version is still at ${entry.backupPath}.`] : [],
  });
}
