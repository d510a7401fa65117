/**
 * A child process that edits one client's config file in a loop through the real services
 * (planAdd/applyPlan, updateServer, removeServer), until it is killed. Bundled by esbuild
 * (see ../harness.ts) so it runs on plain Node without a TS loader.
 *
 * argv[2]: JSON {home, cwd, stateDir, client, name, urls: [a, b], cycles?}
 */
import { readFileSync } from 'node:fs';
import { applyPlan, planAdd } from '../../../src/services/setup.js';
import { removeServer, updateServer } from '../../../src/services/manage.js';
import type { ClientId } from '../../../src/services/clients/types.js';
import type { Deps } from '../../../src/services/deps.js';

interface Spec {
  home: string;
  cwd: string;
  stateDir: string;
  client: ClientId;
  name: string;
  urls: [string, string];
  cycles?: number;
  /** Print the file's text (JSON-encoded, one line) after every step: the valid states. */
  recordFile?: string;
  /** Instead of cycles: add servers `${name}-0` … `${name}-${adds-1}` one by one, reporting each. */
  adds?: number;
}

const spec = JSON.parse(process.argv[2]!) as Spec;
const env = { HOME: spec.home, XDG_CONFIG_HOME: `${spec.home}/.config`, PATH: '' };
const deps: Deps = {
  system: { platform: 'linux', home: spec.home, cwd: spec.cwd, env, isWsl: false },
  fetch: globalThis.fetch,
  now: () => Date.now(),
  which: async () => null,
  stateDir: spec.stateDir,
  openBrowser: async () => false,
};

function record(s: Spec): void {
  if (s.recordFile) process.stdout.write(`${JSON.stringify(readFileSync(s.recordFile, 'utf8'))}\n`);
}

async function cycle(d: Deps, s: Spec): Promise<void> {
  await applyPlan(await planAdd({ clients: [s.client], name: s.name, url: s.urls[0] }, d), d);
  record(s);
  await updateServer(d, s.name, { clients: [s.client], url: s.urls[1] });
  record(s);
  await removeServer(d, s.name, { clients: [s.client] });
  record(s);
}

process.stdout.write('ready\n');
if (spec.adds !== undefined) {
  for (let i = 0; i < spec.adds; i++) {
    const name = `${spec.name}-${i}`;
    try {
      await applyPlan(await planAdd({ clients: [spec.client], name, url: spec.urls[0] }, deps), deps);
      process.stdout.write(`ok ${name}\n`);
    } catch (error) {
      const e = error as { code?: string; message?: string };
      process.stdout.write(`err ${name} ${e.code ?? 'unknown'} ${JSON.stringify(e.message ?? String(error))}\n`);
    }
  }
} else {
  const cycles = spec.cycles ?? Infinity;
  for (let i = 0; i < cycles; i++) await cycle(deps, spec);
}
