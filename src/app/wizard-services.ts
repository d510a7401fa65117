import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuthDeps, LoginRequest, LoginSession } from '../services/auth/types.js';
import type { CommandRunner } from '../services/doctor/client-verdict.js';
import { detectClients } from '../services/clients/registry.js';
import type { WizardServices } from './services-context.js';
import { expandHeaderReferences } from '../services/headers.js';

/**
 * The real services the screens use, bound to one Deps. The MCP SDK (verify) and the config
 * writers (plan/apply) load on first use, not before the first frame (bench/: startup).
 */
export function wizardServices(
  deps: AuthDeps,
  options: {
    timeoutMs: number;
    noBrowser?: boolean;
    login?: Omit<LoginRequest, 'serverUrl' | 'headless' | 'signal'>;
    version?: string;
    nodeVersion?: string;
    /** Runs an app's own CLI for the doctor's client layer (claude mcp get). */
    runCommand?: CommandRunner;
  },
): WizardServices {
  return {
    system: deps.system,
    detectClients: () => detectClients(deps),
    async verify(url, headers, signal) {
      const sent = expandHeaderReferences(headers, deps.system.env);
      return (await import('../services/mcp/check.js')).checkServer(deps, { url, ...(sent ? { headers: sent } : {}), signal, timeoutMs: options.timeoutMs });
    },
    plan: async (request) => (await import('../services/setup.js')).planAdd(request, deps),
    apply: async (plan) => (await import('../services/setup.js')).applyPlan(plan, deps),
    signIn(url, signal, events) {
      // The auth code loads on first use; startLogin needs to hand back a session at once.
      let session: LoginSession | undefined;
      const pending: string[] = [];
      const result = import('../services/auth/index.js').then((auth) => {
        const headless = Boolean(options.noBrowser) || auth.detectHeadless(deps.system).headless;
        session = auth.startLogin({ ...options.login, serverUrl: url, headless, signal }, deps, events);
        for (const text of pending.splice(0)) void session.submitPaste(text);
        return session.result;
      });
      return {
        result,
        submitPaste: (text) => (session ? session.submitPaste(text) : (pending.push(text), Promise.resolve({ ok: true as const }))),
      };
    },
    openBrowser: (url) => deps.openBrowser(url),
    listServers: async () => (await import('../services/manage.js')).listServers(deps),
    removeServer: async (name, client) => (await import('../services/manage.js')).removeServer(deps, name, { clients: [client] }),
    updateServer: async (name, client, change) => (await import('../services/manage.js')).updateServer(deps, name, { clients: [client], ...change }),
    async doctor(target, signal, onCheck) {
      const [doctor, targets, auth, verdict, desktopLog, signIn] = await Promise.all([
        import('../services/doctor/index.js'),
        import('../services/doctor/targets.js'),
        import('../services/auth/index.js'),
        import('../services/doctor/client-verdict.js'),
        import('../services/doctor/desktop-log.js'),
        import('../services/doctor/client-sign-in.js'),
      ]);
      const full = await targets.doctorTargetFor(deps, target);
      return doctor.runDoctor(full, deps, {
        signal,
        onCheck,
        auth: { tokenStatus: (url) => auth.tokenStatus(url, deps), accessToken: (url) => auth.accessToken(url, deps) },
        extensions: {
          client: [
            ...(options.runCommand ? [verdict.claudeCodeVerdict(options.runCommand, deps.which)] : []),
            signIn.appSignInCheck(deps.system, 'claude-code'),
            signIn.appSignInCheck(deps.system, 'codex'),
            ...(options.runCommand
              ? [verdict.codexVerdict(options.runCommand, deps.which), verdict.geminiVerdict(options.runCommand, deps.which, deps.system.cwd), verdict.opencodeVerdict(options.runCommand, deps.which)]
              : []),
            desktopLog.claudeDesktopLogVerdict(deps.system),
          ],
        },
      });
    },
    async askApps(applied, url, signal) {
      if (!options.runCommand) return [];
      const { askAppsAbout } = await import('../services/doctor/app-checks.js');
      return askAppsAbout(applied, url, deps, options.runCommand, signal);
    },
    async saveSupportBundle(reports) {
      const { buildSupportBundle } = await import('../services/doctor/index.js');
      const bundle = buildSupportBundle(reports, { version: options.version ?? 'unknown', nodeVersion: options.nodeVersion ?? 'unknown', platform: deps.system.platform, env: deps.system.env, now: deps.now() });
      const file = path.join(deps.system.cwd, `mcp-setup-support-${new Date(deps.now()).toISOString().replace(/[:.]/g, '-')}.txt`);
      await writeFile(file, bundle.text + '\n', { mode: 0o600, flag: 'wx' });
      return file;
    },
  };
}
