import type { AuthDeps } from '../services/auth/types.js';
import { detectClients } from '../services/clients/registry.js';
import type { WizardServices } from './services-context.js';

/**
 * The real services the screens use, bound to one Deps. The MCP SDK (verify) and the config
 * writers (plan/apply) load on first use, not before the first frame (bench/: startup).
 */
export function wizardServices(deps: AuthDeps, options: { timeoutMs: number }): WizardServices {
  return {
    system: deps.system,
    detectClients: () => detectClients(deps),
    verify: async (url, headers, signal) =>
      (await import('../services/mcp/check.js')).checkServer(deps, { url, ...(headers ? { headers } : {}), signal, timeoutMs: options.timeoutMs }),
    plan: async (request) => (await import('../services/setup.js')).planAdd(request, deps),
    apply: async (plan) => (await import('../services/setup.js')).applyPlan(plan, deps),
  };
}
