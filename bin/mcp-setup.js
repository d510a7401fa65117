#!/usr/bin/env node
// Tiny shim: friendly Node version check, instant --version/--help, compile cache, then the
// bundled CLI. CommonJS on purpose (bin/package.json): it parses on any Node, so old ones get the
// message instead of a SyntaxError, and the fast paths never start the ESM loader.
'use strict';
var major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  process.stderr.write('mcp-setup needs Node.js 20 or newer; this is ' + process.version + '.\nInstall a current Node.js (https://nodejs.org) and run it again.\n');
  process.exit(1);
}
var args = process.argv.slice(2);
var fast;
if (args.length === 1) {
  try {
    // Written by scripts/build.mjs from the real main(): same bytes as the full path.
    fast = require('../dist/fast-paths.json')[args[0]];
  } catch (e) {
    fast = undefined;
  }
}
if (typeof fast === 'string') {
  process.stdout.write(fast);
} else {
  try {
    // Node >= 22.1 caches compiled code for the bundle between runs; Node 20 has no cache.
    var nodeModule = require('node:module');
    if (typeof nodeModule.enableCompileCache === 'function') nodeModule.enableCompileCache();
  } catch (e) {
    // no compile cache: start a little slower
  }
  import('../dist/cli.js').then(
    function (cli) {
      return cli.run();
    },
    function (error) {
      process.stderr.write('mcp-setup could not start: ' + (error && error.message) + '\nReinstall it (npx mcp-setup@latest) and try again.\n');
      process.exit(1);
    }
  );
}
