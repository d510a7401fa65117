// Bundle the CLI into dist/ as ESM: one entry (dist/cli.js) plus lazily loaded chunks, so
// --help/--version never load Ink, React or the MCP SDK.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

// yoga-layout (Ink's layout engine) inlines its wasm as a data: URL and, because Node has a global
// fetch, loads it with fetch(): that pulls in Node's internal undici and costs ~40 ms before the
// wizard's first frame. Make it take its own base64 path instead (same bytes).
const yogaNoFetch = {
  name: 'yoga-no-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const pattern = '"function"!=typeof fetch';
      const count = source.split(pattern).length - 1;
      if (count !== 2) throw new Error(`yoga-no-fetch: expected 2 fetch checks in ${args.path}, found ${count}; yoga-layout changed, update scripts/build.mjs.`);
      // …and decode the base64 with Buffer instead of atob + a charCodeAt loop.
      const decode = 'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c';
      if (!source.includes(decode)) throw new Error(`yoga-no-fetch: base64 decoder not found in ${args.path}; yoga-layout changed, update scripts/build.mjs.`);
      const contents = source.replaceAll(pattern, '!0').replace(decode, 'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))');
      return { contents, loader: 'js' };
    });
  },
};

// Ink's devtools.js (only imported when DEV=true) bundles the `ws` package: never shipped.
// See scripts/sdk-no-ajv.mjs: the SDK's ajv-backed validator, never needed by mcp-setup.
const sdkNoAjv = {
  name: 'sdk-no-ajv',
  setup(b) {
    b.onResolve({ filter: /ajv-provider\.js$/ }, (args) =>
      /[\\/]@modelcontextprotocol[\\/]sdk[\\/]/.test(args.importer) ? { path: new URL('./sdk-no-ajv.mjs', import.meta.url).pathname } : undefined,
    );
  },
};

// The SDK's client/auth.js imports ../types.js (every MCP message schema, ~15 ms to evaluate)
// only for LATEST_PROTOCOL_VERSION. Give it that constant, read from the same types.js at build
// time, so `login`/`logout` don't build schemas they never use; types.js still ships for verify.
const sdkAuthWithoutTypes = {
  name: 'sdk-auth-without-types',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/types\.js$/ }, (args) =>
      /[\\/]@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]esm[\\/]client[\\/]auth\.js$/.test(args.importer)
        ? { path: new URL('../types.js', `file://${args.importer}`).pathname, namespace: 'sdk-protocol-version' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'sdk-protocol-version' }, (args) => {
      const match = /export const LATEST_PROTOCOL_VERSION = ('[^']+')/.exec(readFileSync(args.path, 'utf8'));
      if (!match) throw new Error(`sdk-auth-without-types: LATEST_PROTOCOL_VERSION not found in ${args.path}; the SDK changed, update scripts/build.mjs.`);
      return { contents: `export const LATEST_PROTOCOL_VERSION = ${match[1]};`, loader: 'js' };
    });
  },
};

const inkDevtoolsStub = {
  name: 'ink-devtools-stub',
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]ink[\\/]/.test(args.importer) ? { path: new URL('./empty-module.mjs', import.meta.url).pathname } : undefined,
    );
  },
};

// `import process from 'node:process'` (Ink, open and their helpers do it ~20 times) builds the
// ESM facade of the builtin, which reads every property of `process`, including the slow
// allowedNodeEnvironmentFlags getter (~5 ms). The global is the same object: use it.
const PROCESS_NAMED = ['env', 'cwd', 'argv', 'platform', 'stdout', 'stderr', 'stdin', 'exit', 'nextTick', 'versions', 'execPath', 'pid', 'emitWarning', 'on', 'off', 'once', 'hrtime', 'kill'];
const globalProcess = {
  name: 'global-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?process$/ }, () => ({ path: 'process', namespace: 'global-process' }));
    b.onLoad({ filter: /.*/, namespace: 'global-process' }, () => ({
      contents: [
        'const p = globalThis.process;',
        'export default p;',
        ...PROCESS_NAMED.map((n) => `export const ${n} = typeof p.${n} === 'function' ? p.${n}.bind(p) : p.${n};`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build into a private folder and swap it in at the end: several people build in one work tree,
// and a test running meanwhile should see the old dist/ or the new one, never a half-empty one.
const TMP = `dist.tmp-${process.pid}`;
const tmp = new URL(`../${TMP}/`, import.meta.url);
rmSync(tmp, { recursive: true, force: true });
process.on('exit', () => rmSync(tmp, { recursive: true, force: true })); // after a failed build

const result = await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: TMP,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // jsonc-parser's "main" is a UMD build esbuild can't follow; its ESM build is fine.
  mainFields: ['module', 'main'],
  target: 'node20',
  minify: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: {
    __MCP_SETUP_VERSION__: JSON.stringify(pkg.version),
    'process.env.NODE_ENV': '"production"',
  },
  // Ink imports react-devtools-core only when DEV is set; it is never shipped.
  alias: {
    'react-devtools-core': './scripts/empty-module.mjs',
    'ajv/dist/2020.js': './scripts/conf-unused.mjs',
    semver: './scripts/conf-unused.mjs',
    'ajv-formats': './scripts/conf-unused.mjs',
    'iconv-lite': './scripts/demo-iconv.mjs',
    'mime-db': './scripts/demo-mime-db.mjs',
  },
  // Native bindings can't be bundled: the keychain binding stays a real (optional, lazily
  // imported) package; code that imports it must fall back when it is missing.
  external: ['@napi-rs/keyring'],
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __mcpSetupCreateRequire } from 'node:module'; const require = __mcpSetupCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
  plugins: [yogaNoFetch, inkDevtoolsStub, globalProcess, sdkNoAjv, sdkAuthWithoutTypes],
});

// Which sources went into which chunk: test/bundle and bench/ use it to prove that --help and
// --version load no Ink, React or SDK code. Not shipped (package.json "files" lists dist/cli.js
// and dist/chunks/ only).
const rename = (key) => (key.startsWith(`${TMP}/`) ? `dist/${key.slice(TMP.length + 1)}` : key);
const meta = { ...result.metafile, outputs: Object.fromEntries(Object.entries(result.metafile.outputs).map(([k, v]) => [rename(k), v])) };
writeFileSync(new URL('meta.json', tmp), JSON.stringify(meta));

// Fast paths for bin/mcp-setup.js: the exact output of `mcp-setup --version` / `--help` (and -v/-h),
// produced by running the real main() once here, so the shim can answer them without starting
// the bundle at all. test/bundle/ checks they match the full path byte for byte.
const { main } = await import(new URL('cli.js', tmp).href);
const fast = {};
for (const flag of ['--version', '-v', '--help', '-h']) {
  let out = '';
  let err = '';
  const sink = (append) => ({ write: (chunk, ...rest) => (append(String(chunk)), rest.find((r) => typeof r === 'function')?.(), true) });
  const code = await main({
    argv: [flag],
    env: {},
    cwd: process.cwd(),
    platform: process.platform,
    stdin: { isTTY: false },
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
  });
  if (code === 0 && !err) fast[flag] = out;
}
writeFileSync(new URL('fast-paths.json', tmp), JSON.stringify(fast));

const dist = new URL('../dist', import.meta.url);
rmSync(dist, { recursive: true, force: true });
renameSync(tmp, dist);
