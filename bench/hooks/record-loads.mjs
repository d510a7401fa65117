// Preload (`node --import ./bench/hooks/record-loads.mjs …`) that records every module the
// process loads, without NODE_DEBUG: ESM loads through a module.register() hook (runs in the
// loader thread), CommonJS requires from Module._cache at exit. One absolute path or URL per line,
// appended to the file named by MCP_SETUP_RECORD_LOADS. Used by bench/run.mjs and
// test/bundle/startup.test.ts to prove which dist chunks (and so which packages) a command reads.
import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';

const file = process.env.MCP_SETUP_RECORD_LOADS;
if (file) {
  register(new URL('./record-loads-hooks.mjs', import.meta.url), { data: { file } });
  process.on('exit', () => {
    const cjs = Object.keys(Module._cache ?? {});
    if (cjs.length) appendFileSync(file, cjs.map((p) => `cjs:${p}\n`).join(''));
  });
}
