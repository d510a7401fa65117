import { clientDirs } from './paths.js';
import { resolveHeaders, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Goose: YAML `extensions` map in config.yaml — XDG layout even on macOS (~/.config/goose),
 * %APPDATA%\Block\goose\config on Windows, `<GOOSE_PATH_ROOT>/config` when set. An extension
 * needs the full struct (`name`, `description` and `uri` are required; unknown `type`s such as
 * smithery's `http` don't deserialize), with `type: streamable_http`; SSE is no longer
 * supported. `name` repeats the key, so a rename updates both. [GOOSE-src]
 */
export const goose: ClientAdapter = {
  id: 'goose',
  displayName: 'Goose',
  scopes: ['user'],
  defaultScope: 'user',
  locate(system) {
    const dirs = clientDirs(system);
    const root = system.env.GOOSE_PATH_ROOT;
    const dir = root
      ? dirs.join(root, 'config')
      : system.platform === 'win32'
        ? dirs.join(dirs.appData, 'Block', 'goose', 'config')
        : dirs.join(dirs.xdgConfig, 'goose');
    return { file: dirs.join(dir, 'config.yaml'), format: 'yaml', serversPath: ['extensions'] };
  },
  detection(system) {
    return { paths: [goose.locate(system, 'user').file], commands: ['goose'] };
  },
  remoteEntry(spec) {
    return {
      enabled: true,
      type: 'streamable_http',
      name: spec.name,
      description: '',
      uri: spec.url,
      headers: resolveHeaders(spec, goose) ?? {},
      envs: {},
      env_keys: [],
      timeout: 300,
      bundled: null,
      available_tools: spec.enabledTools ? [...spec.enabledTools] : [],
    };
  },
  summarize: summarizeEntry,
  nextStep: 'Start a new Goose session (or restart Goose Desktop); `goose info -v` lists the extension.',
  toolFilter: { field: 'available_tools' },
  nameFields: ['name'],
};
