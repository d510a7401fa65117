import { baseDirs } from '../platform-paths.js';
import { dollarBraces, summarizeEntry, typedUrlEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Claude Code keeps user and local scopes in one file, ~/.claude.json (or $CLAUDE_CONFIG_DIR/
 * .claude.json): user servers at the top-level `mcpServers`, local ones under
 * `projects["<abs cwd>"].mcpServers`. Project scope is `.mcp.json` at the project root (each
 * user approves it on first use). A url entry without `type` is rejected ("has a url but no
 * type"), so the type is always written. The file is 0600 and rewritten by running sessions.
 */
export const claudeCode: ClientAdapter = {
  id: 'claude-code',
  displayName: 'Claude Code',
  scopes: ['user', 'local', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = baseDirs(system);
    if (scope === 'project') return { file: dirs.join(system.cwd, '.mcp.json'), format: 'json', jsonGrammar: 'strict', serversPath: ['mcpServers'] };
    const dir = system.env.CLAUDE_CONFIG_DIR || system.home;
    const file = dirs.join(dir, '.claude.json');
    const serversPath = scope === 'local' ? ['projects', system.cwd, 'mcpServers'] : ['mcpServers'];
    return { file, format: 'json', jsonGrammar: 'strict', serversPath, createMode: 0o600 };
  },
  detection(system) {
    const dirs = baseDirs(system);
    return {
      paths: [system.env.CLAUDE_CONFIG_DIR || dirs.join(system.home, '.claude')],
      commands: ['claude'],
    };
  },
  remoteEntry(spec) {
    return typedUrlEntry(spec, claudeCode);
  },
  summarize: summarizeEntry,
  nextStep: 'Start a new Claude Code session (or run /mcp) to load it.',
  // [CC-docs]: ${VAR} and ${VAR:-default} expand in url and headers.
  envHeaders: dollarBraces,
  toolFilter: null,
};
