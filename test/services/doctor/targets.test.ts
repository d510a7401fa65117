import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doctorTargetFor, doctorTargetsForAll } from '../../../src/services/doctor/targets.js';
import { makeTempHome, type TempHome } from '../../helpers/temp-home.js';

let t: TempHome;
beforeEach(async () => {
  t = await makeTempHome();
});
afterEach(() => t.cleanup());

describe('doctor targets from the apps’ configs (no network)', () => {
  it('--all includes every http(s) URL an app holds, plain http to another host too, and groups twins', async () => {
    const cursor = path.join(t.home, '.cursor', 'mcp.json');
    await mkdir(path.dirname(cursor), { recursive: true });
    await writeFile(cursor, JSON.stringify({ mcpServers: { intra: { url: 'http://intranet.example/mcp' }, a: { url: 'https://A.example.com/mcp/' }, local: { command: 'x' } } }));
    await writeFile(path.join(t.home, '.claude.json'), JSON.stringify({ mcpServers: { a: { type: 'http', url: 'https://a.example.com/mcp' } } }));
    const targets = await doctorTargetsForAll(t.deps);
    expect(targets.map((x) => [x.name, x.client, x.url])).toEqual(
      expect.arrayContaining([
        ['intra', 'cursor', 'http://intranet.example/mcp'],
        ['a', 'cursor', 'https://A.example.com/mcp/'],
        ['a', 'claude-code', 'https://a.example.com/mcp'],
      ]),
    );
    expect(targets).toHaveLength(3);
    // Same server despite host case and a trailing slash: each entry sees its twin.
    expect(targets.find((x) => x.client === 'cursor' && x.name === 'a')!.entries!.map((e) => e.client).sort()).toEqual(['claude-code', 'cursor']);
    const one = await doctorTargetFor(t.deps, { url: 'https://a.example.com/mcp' });
    expect(one.entries).toHaveLength(2);
  });
});
