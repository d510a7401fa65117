import { UserError } from '../errors.js';
import { clientDirs } from './paths.js';
import { checkEnvName, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Codex (CLI, IDE extension, app): TOML `[mcp_servers.<name>]` in $CODEX_HOME/config.toml
 * (default ~/.codex), or .codex/config.toml in a project — read only for trusted projects.
 * Headers go in `http_headers`; a `headers` table is silently ignored. Env-var headers use
 * `bearer_token_env_var` (Authorization: Bearer) and `env_http_headers` (whole value). An inline
 * `bearer_token` makes Codex refuse the whole config, so it is never written. There is no SSE:
 * any url is streamable HTTP. [CX-run]
 */
export const codex: ClientAdapter = {
  id: 'codex',
  displayName: 'Codex',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = clientDirs(system);
    const dir = scope === 'project' ? dirs.join(system.cwd, '.codex') : system.env.CODEX_HOME || dirs.join(system.home, '.codex');
    return { file: dirs.join(dir, 'config.toml'), format: 'toml', serversPath: ['mcp_servers'] };
  },
  detection(system) {
    const dirs = clientDirs(system);
    return { paths: [system.env.CODEX_HOME || dirs.join(system.home, '.codex')], commands: ['codex'] };
  },
  remoteEntry(spec) {
    const entry: Record<string, unknown> = { url: spec.url };
    if (spec.headers && Object.keys(spec.headers).length > 0) entry.http_headers = { ...spec.headers };
    const envHeaders: Record<string, string> = {};
    for (const [name, ref] of Object.entries(spec.envHeaders ?? {})) {
      checkEnvName(ref.env);
      if (name.toLowerCase() === 'authorization' && /^bearer $/i.test(ref.prefix ?? '')) entry.bearer_token_env_var = ref.env;
      else if (!ref.prefix) envHeaders[name] = ref.env;
      else {
        throw new UserError({
          code: 'usage',
          message: `Codex can take "${name}" from an environment variable only as the whole value (or "Authorization: Bearer $VAR").`,
          hint: `Put the full value, "${ref.prefix}…", in $${ref.env} and drop the prefix, or give the header literally.`,
        });
      }
    }
    if (Object.keys(envHeaders).length > 0) entry.env_http_headers = envHeaders;
    if (spec.enabledTools) entry.enabled_tools = [...spec.enabledTools];
    return entry;
  },
  summarize: summarizeEntry,
  nextStep: 'Start a new Codex session; `codex mcp list` shows the server. A project file is read only in trusted projects.',
  envHeaders: { kind: 'names' },
  toolFilter: { field: 'enabled_tools' },
  headerFields: [['http_headers'], ['env_http_headers'], ['bearer_token_env_var']],
};
