#!/usr/bin/env node
// Long fault soak (not part of npm test): hundreds of SIGKILL trials per format and many
// racing-writer rounds, through the same harness as test/faults. Prints one line per campaign
// and exits 1 on any failure.
//   node test/faults/soak.mjs [--crash N per format] [--race N rounds]
import { parseArgs } from 'node:util';
import { bundleChild, crashCampaign, raceCampaign } from './harness.mjs';

const { values } = parseArgs({ options: { crash: { type: 'string', default: '100' }, race: { type: 'string', default: '20' } } });
const bundle = await bundleChild();
let failed = 0;
const t0 = Date.now();

let trials = 0, failures = 0, midWrite = 0, cleaned = 0;
for (const format of ['json', 'jsonc', 'toml', 'yaml']) {
  for (const big of [false, true]) {
    const r = await crashCampaign({ bundle, format, trials: Math.ceil(Number(values.crash) / 2), big, maxDelayMs: big ? 300 : 120 });
    trials += r.trials; failures += r.failures.length; midWrite += r.killsMidWrite; cleaned += r.tempsCleaned;
    for (const f of r.failures) console.error(`  ${format}${big ? ' (big)' : ''}: ${f}`);
  }
}
console.log(`crash mid-write: ${trials} SIGKILL trials, ${failures} failures, ${midWrite} kills left a temp file, ${cleaned} cleaned by the next run`);
failed += failures;

const race = { rounds: 0, edits: 0, racer: 0, lostRacer: 0, lostOurs: 0, stopped: 0, clobbered: 0 };
for (let i = 0; i < Number(values.race); i++) {
  for (const mode of ['atomic', 'inplace']) {
    const r = await raceCampaign({ bundle, mode, adds: 15, pauseMs: [0, 1, 5, 20][i % 4] });
    race.rounds++; race.edits += r.adds; race.racer += r.racerWrites; race.lostRacer += Math.max(0, r.lostRacer);
    race.lostOurs += r.lostOurs; race.stopped += r.errors.length;
    if (!r.keysKept || !r.modeKept || r.childCode !== 0) race.clobbered++;
  }
}
console.log(
  `racing writers: ${race.rounds} rounds, ${race.edits} edits vs ${race.racer} racer writes; ${race.clobbered} files clobbered, ` +
    `${race.lostRacer} racer writes lost to us, ${race.lostOurs} of ours lost to the racer, ${race.stopped} stopped with a clear message`,
);
failed += race.clobbered;
console.log(`soak: ${((Date.now() - t0) / 1000).toFixed(0)} s, ${failed ? `${failed} FAILURES` : 'no failures'}`);
process.exit(failed ? 1 : 0);
