import { randomBytes, createHash } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
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
    const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    if (!stat.isFile()) throw notAFile(file);
    return { path: file, exists: true, text, mode: stat.mode & 0o7777 };
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
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const snapshot = await readSnapshot(target);
    const after = edit(snapshot.text, snapshot.exists);
    if (snapshot.exists && after === snapshot.text) {
      return { path: target, created: false, changed: false, before: snapshot.text, after, backupPath: null };
    }
    await options.beforeCommit?.();
    const fresh = await readSnapshot(target);
    if (fresh.exists !== snapshot.exists || fresh.text !== snapshot.text) continue;
    const backupPath = snapshot.exists ? await writeBackup(target, snapshot, options) : null;
    await writeAtomically(target, after, snapshot.mode ?? options.createMode ?? 0o644);
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

/** Write `text` to `file` via a temp file in the same directory and an atomic rename. */
export async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.mcp-setup-${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(temp, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY, mode);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.chmod(temp, mode);
    await fs.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => {});
    await fs.rm(temp, { force: true }).catch(() => {});
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError({
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
}

/** Remove temp files a killed run left next to a config file. */
export async function cleanStaleTempFiles(file: string): Promise<number> {
  const dir = path.dirname(file);
  const prefix = `.${path.basename(file)}.mcp-setup-`;
  let removed = 0;
  try {
    for (const entry of await fs.readdir(dir)) {
      if (entry.startsWith(prefix) && entry.endsWith('.tmp')) {
        await fs.rm(path.join(dir, entry), { force: true });
        removed++;
      }
    }
  } catch {
    // The folder doesn't exist yet: nothing to clean.
  }
  return removed;
}
