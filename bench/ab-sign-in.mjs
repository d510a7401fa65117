// A/B of sign-in between builds, against the same SDK baseline and peer as the sign-in figure:
// each build is a folder holding bin/, dist/ and package.json (plus a node_modules link), e.g.
// a copy of this checkout before and after a change. Round-robin with the order rotated each
// round and one warm-up round; prints each median, its ratio to the baseline, and every run.
// Usage: node bench/ab-sign-in.mjs RUNS DIR [DIR…]    (use another node binary to A/B on it)
import path from 'node:path';
import { startPeer, freshRun } from './sign-in.mjs';
import { ROOT, median } from './lib.mjs';

const [runsArg, ...dirs] = process.argv.slice(2);
const runs = Number(runsArg);
if (!Number.isInteger(runs) || runs < 1 || dirs.length === 0) {
  console.error('Usage: node bench/ab-sign-in.mjs RUNS DIR [DIR…]');
  process.exit(2);
}
const peer = await startPeer();
try {
  const variants = [
    ['sdk', [path.join(ROOT, 'bench', 'sdk-auth.mjs'), peer.mcpUrl], /^AUTHORIZED/m],
    ...dirs.map((dir) => [dir, [path.join(path.resolve(dir), 'bin', 'mcp-setup.js'), 'login', peer.mcpUrl], /Signed in to/]),
  ];
  const times = new Map(variants.map(([name]) => [name, []]));
  for (let round = -1; round < runs; round++) {
    const shift = round < 0 ? 0 : round % variants.length;
    for (const [name, args, done] of [...variants.slice(shift), ...variants.slice(0, shift)]) {
      const r = await freshRun(`ab-${path.basename(name)}`, args, (result) => done.test(result.stdout));
      if (round >= 0) times.get(name).push(r.ms);
    }
  }
  const base = median(times.get('sdk'));
  for (const [name] of variants) {
    const all = times.get(name);
    console.log(`${name.padEnd(28)} ${median(all).toFixed(0).padStart(5)} ms  ${(median(all) / base).toFixed(3)}x  runs: ${all.map(Math.round).sort((a, b) => a - b).join(' ')}`);
  }
} finally {
  await peer.stop();
}
