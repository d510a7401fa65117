import { chmod, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanStaleTempFiles, editConfigFile, readSnapshot, removeIfUnchanged, replaceIfUnchanged } from '../../src/services/config-file.js';
import { UserError } from '../../src/services/errors.js';
import { setJsoncValue } from '../../src/services/formats/jsonc.js';
import { makeTempHome, type TempHome } from '../helpers/temp-home.js';

let t: TempHome;
beforeEach(async () => {
  t = await makeTempHome();
});
afterEach(() => t.cleanup());

const opts = () => ({ stateDir: t.stateDir, now: () => Date.UTC(2026, 10, 21, 12) });
const addServer = (file: string) => (text: string) => setJsoncValue(text, file, ['mcpServers', 'new'], { url: 'https://x.example/mcp' });

describe('editConfigFile', () => {
  it('creates a missing file and its folders with the requested mode', async () => {
    const file = path.join(t.home, 'deep', 'er', 'mcp.json');
    const result = await editConfigFile(file, addServer(file), { ...opts(), createMode: 0o600 });
    expect(result).toMatchObject({ created: true, changed: true, backupPath: null });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ mcpServers: { new: { url: 'https://x.example/mcp' } } });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps the mode of an existing file and backs up the old text (0600)', async () => {
    const file = path.join(t.home, 'mcp.json');
    const old = '{\n  // mine\n  "other": 1\n}\n';
    await writeFile(file, old, { mode: 0o640 });
    await chmod(file, 0o640);
    const result = await editConfigFile(file, addServer(file), opts());
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(result.backupPath).toBeTruthy();
    expect(await readFile(result.backupPath!, 'utf8')).toBe(old);
    expect((await stat(result.backupPath!)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toContain('// mine');
  });

  it('never writes a file it cannot parse, and names the line', async () => {
    const file = path.join(t.home, 'mcp.json');
    const broken = '{\n  "a": 1,\n  "b": \n}\n';
    await writeFile(file, broken);
    const error = await editConfigFile(file, addServer(file), opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('unparsable-config');
    expect((error as UserError).message).toMatch(/line 4/);
    expect(await readFile(file, 'utf8')).toBe(broken);
    expect(await readdir(t.home)).toEqual(['mcp.json']);
  });

  it('re-applies the edit when another writer changes the file in between', async () => {
    const file = path.join(t.home, 'mcp.json');
    await writeFile(file, '{"mcpServers":{}}');
    let raced = false;
    const result = await editConfigFile(file, addServer(file), {
      ...opts(),
      beforeCommit: async () => {
        if (raced) return;
        raced = true;
        await writeFile(file, '{"mcpServers":{"theirs":{"url":"https://t.example"}}}');
      },
    });
    const final = JSON.parse(await readFile(file, 'utf8'));
    expect(final.mcpServers).toEqual({ theirs: { url: 'https://t.example' }, new: { url: 'https://x.example/mcp' } });
    expect(result.changed).toBe(true);
  });

  it('gives up with a clear error when the file never stops changing, leaving their version', async () => {
    const file = path.join(t.home, 'mcp.json');
    await writeFile(file, '{}');
    let n = 0;
    const error = await editConfigFile(file, addServer(file), {
      ...opts(),
      maxAttempts: 3,
      beforeCommit: () => writeFile(file, JSON.stringify({ n: ++n })),
    }).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('config-changed');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ n: 3 });
  });

  it('edits the target of a symlinked config and keeps the link', async () => {
    const real = path.join(t.root, 'dotfiles', 'mcp.json');
    await mkdir(path.dirname(real), { recursive: true });
    await writeFile(real, '{}');
    const link = path.join(t.home, 'mcp.json');
    await symlink(real, link);
    await editConfigFile(link, addServer(link), opts());
    expect((await import('node:fs')).lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(real, 'utf8')).mcpServers.new).toBeTruthy();
  });

  it('fails cleanly in a read-only folder and leaves the old file intact', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; simulate a read-only location with a file where the folder should be
      const blocker = path.join(t.home, 'blocked');
      await writeFile(blocker, 'not a dir');
      const file = path.join(blocker, 'mcp.json');
      const error = await editConfigFile(file, addServer(file), opts()).catch((e: unknown) => e);
      expect((error as UserError).code).toBe('write-failed');
      expect(await readFile(blocker, 'utf8')).toBe('not a dir');
      return;
    }
    const dir = path.join(t.home, 'ro');
    await mkdir(dir);
    const file = path.join(dir, 'mcp.json');
    await writeFile(file, '{"keep":true}');
    await chmod(dir, 0o500);
    const error = await editConfigFile(file, addServer(file), opts()).catch((e: unknown) => e);
    await chmod(dir, 0o700);
    expect((error as UserError).code).toBe('write-failed');
    expect(await readFile(file, 'utf8')).toBe('{"keep":true}');
  });

  it('cleans temp files a killed run left behind', async () => {
    const file = path.join(t.home, 'mcp.json');
    await writeFile(path.join(t.home, '.mcp.json.mcp-setup-abc123.tmp'), 'half');
    await writeFile(path.join(t.home, 'unrelated.tmp'), 'keep');
    expect(await cleanStaleTempFiles(file)).toBe(1);
    expect((await readdir(t.home)).sort()).toEqual(['unrelated.tmp']);
  });
});

describe('replaceIfUnchanged / removeIfUnchanged (undo)', () => {
  it('replace or remove only what was checked; a file changed since is left alone, with no temp file', async () => {
    const file = path.join(t.home, 'mcp.json');
    await writeFile(file, 'A', { mode: 0o600 });
    const checked = await readSnapshot(file);
    expect(await replaceIfUnchanged(checked, 'B')).toBe(true);
    expect(await readFile(file, 'utf8')).toBe('B');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    const stale = await readSnapshot(file);
    await writeFile(file, 'edited by the app');
    expect(await replaceIfUnchanged(stale, 'C')).toBe(false);
    expect(removeIfUnchanged(stale)).toBe(false);
    expect(await readFile(file, 'utf8')).toBe('edited by the app');
    expect(await readdir(t.home)).toEqual(['mcp.json']);

    expect(removeIfUnchanged(await readSnapshot(file))).toBe(true);
    expect(await readdir(t.home)).toEqual([]);
  });
});
