import { clientDirs } from './paths.js';
import { dollarBraces, headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

/**
 * Gemini CLI: settings.json (JSONC; the CLI keeps comments) under ~/.gemini, where
 * GEMINI_CLI_HOME replaces the home directory, or .gemini/settings.json in the project. The
 * entry is exactly what `gemini mcp add -t http` writes: `{url, type: "http"}` — a bare `url`
 * meant SSE before 0.21. [GEM-src][GEM-run]
 */
export const geminiCli: ClientAdapter = {
  id: 'gemini-cli',
  displayName: 'Gemini CLI',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    const dirs = clientDirs(system);
    const root = scope === 'project' ? system.cwd : system.env.GEMINI_CLI_HOME || system.home;
    return { file: dirs.join(root, '.gemini', 'settings.json'), format: 'jsonc', jsonGrammar: 'comments', serversPath: ['mcpServers'] };
  },
  detection(system) {
    const dirs = clientDirs(system);
    return { paths: [dirs.join(system.env.GEMINI_CLI_HOME || system.home, '.gemini', 'settings.json')], commands: ['gemini'] };
  },
  remoteEntry(spec) {
    const tools = spec.enabledTools ? { includeTools: [...spec.enabledTools] } : {};
    return { url: spec.url, type: spec.transport ?? 'http', ...headersField(spec, geminiCli), ...tools };
  },
  summarize: summarizeEntry,
  // 0.61 turns off every MCP server (user-level too) in a folder the user hasn't trusted.
  nextStep: 'Start a new Gemini CLI session in a folder you trust (it turns MCP servers off in untrusted ones); /mcp lists the server.',
  // Gemini expands $VAR / ${VAR} across the loaded settings. [GEM-src]
  envHeaders: dollarBraces,
  toolFilter: { field: 'includeTools' },
};
