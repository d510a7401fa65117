import { createFetch } from '../../../src/services/net.js';
import type { Env } from '../../../src/services/deps.js';
import type { Check, DoctorDeps, DoctorReport } from '../../../src/services/doctor/index.js';
import { fakeDns } from '../../helpers/fake-dns.js';

export const TABLE = { 'mcp.test': '127.0.0.1', localhost: '127.0.0.1' };

/** Deps for the doctor with made-up names resolved from a table (never real DNS) and optional extra CA. */
export function doctorDeps(env: Env = {}, extraCaPem?: string): DoctorDeps {
  const dns = fakeDns(TABLE);
  return {
    system: { platform: 'linux', home: '/nonexistent', cwd: '/', env, isWsl: false },
    fetch: createFetch({ env, lookup: dns.lookup, ...(extraCaPem ? { extraCaPem } : {}) }),
    now: () => Date.now(),
    resolve: dns.resolve,
    ...(extraCaPem ? { extraCaPem } : {}),
  };
}

export function byId(report: DoctorReport, id: string): Check {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${report.checks.map((c) => `${c.id}:${c.status}`).join(', ')}`);
  return found;
}

/** A compact view for failure messages. */
export function outline(report: DoctorReport): string {
  return report.checks.map((c) => `${c.id}:${c.status}`).join(' ');
}
