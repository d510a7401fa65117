import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs helper shared with bench/ (no types)
import { HEAVY_PACKAGES, recordLoads } from '../../bench/lib.mjs';

// Proof for issue 7 on the built dist/ (npm test builds first): --help and --version never load
// Ink, React, the MCP SDK or `open`. Modules are recorded with a module.register() hook
// (bench/hooks/record-loads.mjs) and mapped to packages through dist/meta.json.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/mcp-setup.js', import.meta.url));
const env = { PATH: process.env.PATH ?? '', HOME: ROOT, NO_COLOR: '1', NODE_OPTIONS: '' };

interface Loads {
  code: number | null;
  stdout: string;
  distFiles: { file: string; bytes: number; packages: string[] }[];
  packages: Set<string>;
  cjs: string[];
}
const loads = (args: string[]): Promise<Loads> => recordLoads(args, { env, cwd: ROOT });

describe('startup paths of the built CLI', () => {
  it.each([['--version'], ['-v'], ['--help'], ['-h']])('bare %s is answered by the shim: no dist JS at all', async (flag) => {
    const r = await loads([flag]);
    expect(r.code).toBe(0);
    expect(r.distFiles).toEqual([]);
    expect(r.cjs.filter((p) => p.includes('node_modules'))).toEqual([]);
  });

  it.each([['--version', '--json'], ['add', '--help'], ['verify', '--help'], ['--help', '--client', 'cursor']])(
    '%s %s loads no Ink/React/SDK/open and stays small',
    async (...args) => {
      const r = await loads(args);
      expect(r.code).toBe(0);
      expect(HEAVY_PACKAGES.filter((p: string) => r.packages.has(p))).toEqual([]);
      expect(r.cjs.filter((p) => p.includes('node_modules'))).toEqual([]);
      const bytes = r.distFiles.reduce((n, f) => n + f.bytes, 0);
      expect(bytes).toBeLessThan(32 * 1024);
    },
  );

  it('the sign-in code loads only the OAuth part of the SDK: no MCP message schemas, no zod locales', async () => {
    // `logout` with nothing stored loads the same auth chunk (and SDK client/auth.js) as `login`.
    const r = await loads(['logout', 'http://127.0.0.1:9/mcp']);
    expect(r.code).toBe(0);
    expect(r.packages.has('@modelcontextprotocol/sdk')).toBe(true);
    const meta = JSON.parse(readFileSync(new URL('../../dist/meta.json', import.meta.url), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const inputs = r.distFiles.flatMap((f) => Object.keys(meta.outputs[f.file]?.inputs ?? {}));
    expect(inputs.some((i) => i.endsWith('sdk/dist/esm/client/auth.js'))).toBe(true);
    // (The constant client/auth.js takes from types.js is its own module, 'sdk-protocol-version:…'.)
    expect(inputs.filter((i) => i === 'node_modules/@modelcontextprotocol/sdk/dist/esm/types.js')).toEqual([]);
    expect(inputs.filter((i) => /zod\/v4\/locales\/(?!en\.js|index\.js)/.test(i))).toEqual([]);
  });

  it('the fast paths print exactly what main() prints', () => {
    const fast = JSON.parse(readFileSync(new URL('../../dist/fast-paths.json', import.meta.url), 'utf8')) as Record<string, string>;
    expect(Object.keys(fast).sort()).toEqual(['--help', '--version', '-h', '-v']);
    const cli = pathToFileURL(`${ROOT}/dist/cli.js`).href;
    for (const flag of Object.keys(fast)) {
      const viaShim = spawnSync(process.execPath, [BIN, flag], { env, encoding: 'utf8' });
      // The full path: main() through run(), skipping the shim.
      const viaMain = spawnSync(process.execPath, ['--input-type=module', '-e', `process.argv.splice(1, 0, 'x'); const { run } = await import(${JSON.stringify(cli)}); await run();`, '--', flag], { env, encoding: 'utf8' });
      expect(viaShim.status).toBe(0);
      expect(viaMain.status).toBe(0);
      expect(viaShim.stdout).toBe(viaMain.stdout);
    }
  });

  it('the shim refuses old Node with a friendly message, not a SyntaxError', () => {
    const r = spawnSync(process.execPath, ['-e', `Object.defineProperty(process.versions, 'node', { value: '18.20.0' }); process.argv.splice(1, 0, ${JSON.stringify(BIN)}); require(${JSON.stringify(BIN)})`, '--', '--version'], { env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('needs Node.js 20 or newer');
  });
});
