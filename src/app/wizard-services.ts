import type { Deps } from '../services/deps.js';
import { detectClients } from '../services/clients/registry.js';
import { verifyServer } from '../services/mcp/verify.js';
import { applyPlan, planAdd } from '../services/setup.js';
import type { WizardServices } from './services-context.js';

/** The real services the screens use, bound to one Deps. */
export function wizardServices(deps: Deps, options: { timeoutMs: number }): WizardServices {
  return {
    system: deps.system,
    detectClients: () => detectClients(deps),
    verify: (url, headers, signal) =>
      verifyServer({ url, ...(headers ? { headers } : {}), fetch: deps.fetch, now: () => performance.now(), signal, timeoutMs: options.timeoutMs }),
    plan: (request) => planAdd(request, deps),
    apply: (plan) => applyPlan(plan, deps),
  };
}
