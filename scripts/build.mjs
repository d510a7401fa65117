// Bundle the CLI into dist/ as ESM: one entry (dist/cli.js) plus lazily loaded chunks, so
// --help/--version never load Ink, React or the MCP SDK.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
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
  alias: { 'react-devtools-core': './scripts/empty-module.mjs' },
  // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __mcpSetupCreateRequire } from 'node:module'; const require = __mcpSetupCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
