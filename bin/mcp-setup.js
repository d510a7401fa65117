#!/usr/bin/env node
// Tiny shim: friendly Node version check, compile cache, then the bundled CLI.
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  process.stderr.write(`mcp-setup needs Node.js 20 or newer; this is ${process.version}.\nInstall a current Node.js (https://nodejs.org) and run it again.\n`);
  process.exit(1);
}
try {
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
} catch {
  // Older Node 20 releases have no compile cache: start a little slower.
}
const { run } = await import('../dist/cli.js');
await run();
