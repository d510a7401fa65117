import { randomBytes, createHash } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';

export interface LockOptions {
  now: () => number;
  /** A lock older than this is presumed left by a crashed process. */
  staleMs?: number;
  /** Give up waiting after this long. */
  waitMs?: number;
  pollMs?: number;
}

export type Release = () => Promise<void>;

/**
 * A cross-process lock: a file created with O_EXCL ('wx') holding an owner id and a timestamp.
 * Refresh tokens rotate (each is single use), so two processes refreshing at once would spend the
 * same one and the AS may revoke the whole grant (OAuth 2.1 §6.1 reuse detection).
 */
export async function acquireLock(stateDir: string, key: string, options: LockOptions): Promise<Release> {
  const dir = path.join(stateDir, 'locks');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.lock`);
  const owner = randomBytes(12).toString('hex');
  const staleMs = options.staleMs ?? 30_000;
  const deadline = options.now() + (options.waitMs ?? 45_000);
  const pollMs = options.pollMs ?? 50;
  let unreadableSince: number | undefined;
  for (;;) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ owner, at: options.now() }));
      } finally {
        await handle.close();
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        // Only remove the lock if it is still ours (it may have been broken as stale).
        const current = await readLock(file);
        if (typeof current === 'object' && current.owner === owner) await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = await readLock(file);
    if (held === 'missing') continue;
    if (held === 'unreadable') {
      // Created but not yet written, or left half-written by a crash: judge it by its age here.
      unreadableSince ??= options.now();
      if (options.now() - unreadableSince > 2000) await rm(file, { force: true });
    } else if (options.now() - held.at > staleMs) {
      // Break a stale lock only if it is still the one we judged (another waiter may have
      // replaced it meanwhile).
      const again = await readLock(file);
      if (typeof again === 'object' && again.owner === held.owner) await rm(file, { force: true });
      continue;
    } else {
      unreadableSince = undefined;
    }
    if (options.now() > deadline) {
      throw new UserError({
        code: 'auth-failed',
        message: 'Another mcp-setup process is refreshing this sign-in and did not finish.',
        nextSteps: ['Try again in a moment.'],
      });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function readLock(file: string): Promise<{ owner: string; at: number } | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const value = JSON.parse(text) as { owner?: unknown; at?: unknown };
    return typeof value.owner === 'string' && typeof value.at === 'number' ? { owner: value.owner, at: value.at } : 'unreadable';
  } catch {
    return 'unreadable';
  }
}
