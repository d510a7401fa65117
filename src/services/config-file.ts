import { randomBytes, createHash } from 'node:crypto';
import { promises as fs, constants as fsConstants, readFileSync, renameSync, rmSync, openSync, fstatSync, closeSync, existsSync, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';

/**
 * Safe read-modify-write for client config files:
 * - the edit function parses strictly and throws on a file it cannot read, so a corrupt file is
 *   never overwritten;
 * - the file is re-read just before the rename; if a running app (Claude Code rewrites
 *   ~/.claude.json constantly) changed it meanwhile, the edit is re-applied to the fresh text;
 * - the new text goes to a temp file in the same directory, is fsynced, then renamed over the old
 *   one, so a crash leaves either the old or the new file, never half of one;
 * - the file keeps its mode (0600 for ~/.claude.json) and the previous version is backed up
 *   under mcp-setup's own state dir, which is what `undo` restores.
 */

export interface FileSnapshot {
  path: string;
  exists: boolean;
  text: string;
  mode: number | undefined;
  /** inode, size and mtime (ns) when read: an in-place rewrite changes it even if the text looks the same. */
  stamp?: string;
}

export interface EditOptions {
  stateDir: string;
  now: () => number;
  /** Mode for a file we create (the client's usual mode). */
  createMode?: number;
  /** How often to re-apply the edit when another writer keeps changing the file. */
  maxAttempts?: number;
  /** Test hook: runs after the edit is computed and before the re-read (simulates a racing writer). */
  beforeCommit?: () => Promise<void>;
}

export interface EditResult {
  path: string;
  created: boolean;
  changed: boolean;
  before: string | null;
  after: string;
  backupPath: string | null;
}

export async function readSnapshot(file: string): Promise<FileSnapshot> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file, { bigint: true })]);
    if (!stat.isFile()) throw notAFile(file);
    return { path: file, exists: true, text, mode: Number(stat.mode & 0o7777n), stamp: stampOf(stat) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { path: file, exists: false, text: '', mode: undefined };
    if (code === 'EISDIR') throw notAFile(file);
    if (code === 'ENOTDIR') {
      throw new UserError({
        code: 'write-failed',
        message: `mcp-setup can't use ${file}: part of its folder path is a file, not a folder.`,
        hint: 'Something unexpected sits where a config folder should be.',
        nextSteps: [`Check the folders leading to ${file}. Nothing was changed.`],
      });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new UserError({
        code: 'write-failed',
        message: `mcp-setup can't read ${file} (permission denied).`,
        hint: 'The file belongs to another user or its permissions are too strict.',
        nextSteps: [`Check the owner and permissions of ${file}.`],
      });
    }
    throw error;
  }
}

function stampOf(stat: BigIntStats): string {
  return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
}

function notAFile(file: string): UserError {
  return new UserError({
    code: 'write-failed',
    message: `${file} is not a regular file.`,
    hint: 'A directory or device sits where the config file should be.',
    nextSteps: [`Move it aside, then run this again.`],
  });
}

/** Follow a symlinked config file to its target so the link itself survives the rename. */
async function resolveTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch {
    return file;
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function editConfigFile(
  file: string,
  edit: (text: string, exists: boolean) => string,
  options: EditOptions,
): Promise<EditResult> {
  const target = await resolveTarget(file);
  // Temp files a killed run left next to this file; only old ones, so a concurrent run's
  // in-flight temp file is never pulled from under it.
  await cleanStaleTempFiles(target, { olderThanMs: STALE_TEMP_MS, now: options.now() });
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snapshot = await readSnapshot(target);
    let after: string;
    try {
      after = edit(snapshot.text, snapshot.exists);
    } catch (error) {
      // Half of an in-place rewrite by another app reads as broken: look again before blaming the file.
      if (!(error instanceof UserError) || error.code !== 'unparsable-config' || attempt === maxAttempts) throw error;
      await new Promise((r) => setTimeout(r, EMPTY_SETTLE_MS));
      const again = await readSnapshot(target);
      if (again.text === snapshot.text && again.stamp === snapshot.stamp) throw error;
      continue;
    }
    if (snapshot.exists && after === snapshot.text) {
      return { path: target, created: false, changed: false, before: snapshot.text, after, backupPath: null };
    }
    // An app that rewrites its file in place (truncate, then write) shows an empty file for a
    // moment: give it time to finish, so the check below sees its text instead of emptiness.
    if (snapshot.exists && snapshot.text.trim() === '') await new Promise((r) => setTimeout(r, EMPTY_SETTLE_MS));
    // Everything slow (backup, temp file written and fsynced) happens before the last check, so
    // the check and the rename run back to back and a racing writer's window is microseconds.
    const backupPath = snapshot.exists ? await writeBackup(target, snapshot, options) : null;
    const temp = await prepareTemp(target, after, snapshot.mode ?? options.createMode ?? 0o644);
    await options.beforeCommit?.();
    if (!commitIfUnchanged(temp, target, snapshot)) {
      if (backupPath) await fs.rm(backupPath, { force: true }).catch(() => {});
      continue;
    }
    return { path: target, created: !snapshot.exists, changed: true, before: snapshot.exists ? snapshot.text : null, after, backupPath };
  }
  throw new UserError({
    code: 'config-changed',
    message: `${file} kept changing while mcp-setup was editing it.`,
    hint: 'Another program (often a running Claude Code or editor session) is rewriting it right now.',
    nextSteps: ['Close that app or wait a moment, then run this again. Nothing was changed.'],
  });
}

async function writeBackup(target: string, snapshot: FileSnapshot, options: EditOptions): Promise<string> {
  const dir = path.join(options.stateDir, 'backups');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = new Date(options.now()).toISOString().replace(/[:.]/g, '-');
  const name = `${stamp}-${randomBytes(3).toString('hex')}-${path.basename(target)}`;
  const backupPath = path.join(dir, name);
  // Backups can hold API keys from the user's headers: readable by the owner only.
  await fs.writeFile(backupPath, snapshot.text, { mode: 0o600, flag: 'wx' });
  return backupPath;
}

/** How long an existing empty config file is given to fill up (an in-place writer mid-write). */
const EMPTY_SETTLE_MS = 50;

function writeFailed(file: string, error: unknown): UserError {
  const dir = path.dirname(file);
  const code = (error as NodeJS.ErrnoException).code;
  return new UserError({
    code: 'write-failed',
    message: `Couldn't write ${file}${code ? ` (${code})` : ''}.`,
    hint:
      code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'The file or its folder is read-only for you.'
        : code === 'ENOSPC'
          ? 'The disk is full.'
          : 'The old file was left as it was.',
    nextSteps: [`Check the permissions of ${dir}, then run this again. The old file is unchanged.`],
    cause: error,
  });
}

/** Write `text` to a new temp file next to `file` (fsynced, final mode); returns its path. */
async function prepareTemp(file: string, text: string, mode: number): Promise<string> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.mcp-setup-${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    await fs.mkdir(dir, { recursive: true });
    handle = await fs.open(temp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.chmod(temp, mode);
    return temp;
  } catch (error) {
    await handle?.close().catch(() => {});
    await fs.rm(temp, { force: true }).catch(() => {});
    throw writeFailed(file, error);
  }
}

/** Is `file` still exactly `snapshot` (text and stamp, or still missing)? Synchronous: no event-loop turn. */
function stillAsSnapshot(file: string, snapshot: FileSnapshot): boolean {
  let current: string;
  let stamp: string;
  try {
    const fd = openSync(file, 'r');
    try {
      stamp = stampOf(fstatSync(fd, { bigint: true }));
      current = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailed(file, error);
    return !snapshot.exists;
  }
  return snapshot.exists && current === snapshot.text && stamp === snapshot.stamp;
}

/**
 * The last check and the rename, synchronously back to back (no event-loop turn in between):
 * rename only if `file` still holds exactly what the edit was computed from.
 */
function commitIfUnchanged(temp: string, file: string, snapshot: FileSnapshot): boolean {
  let unchanged: boolean;
  try {
    unchanged = stillAsSnapshot(file, snapshot);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  if (!unchanged) {
    rmSync(temp, { force: true });
    return false;
  }
  try {
    renameSync(temp, file);
    return true;
  } catch (error) {
    rmSync(temp, { force: true });
    throw writeFailed(file, error);
  }
}

/** Write `text` to `file` via a temp file in the same directory and an atomic rename. */
export async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const temp = await prepareTemp(file, text, mode);
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => {});
    throw writeFailed(file, error);
  }
}

/**
 * Put `text` in place of `file` only if the file is still exactly `snapshot` (text and stamp),
 * checked right before the rename, as `editConfigFile` does. False: it changed, nothing written.
 */
export async function replaceIfUnchanged(snapshot: FileSnapshot, text: string): Promise<boolean> {
  const temp = await prepareTemp(snapshot.path, text, snapshot.mode ?? 0o644);
  return commitIfUnchanged(temp, snapshot.path, snapshot);
}

/** Delete `file` only if it is still exactly `snapshot`. False: it changed, nothing removed. */
export function removeIfUnchanged(snapshot: FileSnapshot): boolean {
  // Already gone is what was wanted.
  if (!snapshot.exists || !existsSync(snapshot.path)) return true;
  if (!stillAsSnapshot(snapshot.path, snapshot)) return false;
  rmSync(snapshot.path, { force: true });
  return true;
}

/** A temp file older than this was left by a killed run (a write takes milliseconds). */
export const STALE_TEMP_MS = 60_000;

/**
 * Remove temp files a killed run left next to a config file. `editConfigFile` calls this with
 * `olderThanMs` so another run's in-flight temp file is left alone; without it every leftover goes.
 */
export async function cleanStaleTempFiles(file: string, age?: { olderThanMs: number; now: number }): Promise<number> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.mcp-setup-`;
  let removed = 0;
  try {
    for (const entry of await fs.readdir(dir)) {
      if (entry.startsWith(prefix) && entry.endsWith('.tmp')) {
        const full = path.join(dir, entry);
        if (age) {
          const stat = await fs.lstat(full).catch(() => undefined);
          if (!stat?.isFile() || age.now - stat.mtimeMs < age.olderThanMs) continue;
        }
        await fs.rm(full, { force: true });
        removed++;
      }
    }
  } catch {
    // The folder doesn't exist yet: nothing to clean.
  }
  return removed;
}
