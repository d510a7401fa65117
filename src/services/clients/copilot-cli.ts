import { clientDirs } from './paths.js';
import { headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * GitHub Copilot CLI: $COPILOT_HOME/mcp-config.json (default ~/.copilot), or `.mcp.json` at the
 * project root (strict JSON: a file with comments is skipped). `tools` is the per-server
 * allow-list, written only when the user picked tools: a missing `tools` means all of them
 * (CooperAgent/cooper#352), while `"tools": ["*"]` in `.mcp.json` makes Claude Code, which reads
 * the same file and wants tool objects there, skip the server ("tools.0: expected object,
 * received string", Claude Code 2.1.330). [COP][ADD]
 */
export const copilotCli: ClientAdapter = {
  id: 'copilot-cli',
  displayName: 'GitHub Copilot CLI',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = clientDirs(system);
    if (scope === 'project') return { file: dirs.join(system.cwd, '.mcp.json'), format: 'json', jsonGrammar: 'strict', serversPath: ['mcpServers'] };
    const dir = system.env.COPILOT_HOME || dirs.join(system.home, '.copilot');
    return { file: dirs.join(dir, 'mcp-config.json'), format: 'json', jsonGrammar: 'strict', serversPath: ['mcpServers'] };
  },
  detection(system) {
    const dirs = clientDirs(system);
    return { paths: [system.env.COPILOT_HOME || dirs.join(system.home, '.copilot')], commands: ['copilot'] };
  },
  remoteEntry(spec) {
    return { type: spec.transport ?? 'http', url: spec.url, ...headersField(spec, copilotCli), ...(spec.enabledTools ? { tools: [...spec.enabledTools] } : {}) };
  },
  summarize: summarizeEntry,
  nextStep: 'Start a new copilot session; /mcp shows the server.',
  toolFilter: { field: 'tools' },
};
