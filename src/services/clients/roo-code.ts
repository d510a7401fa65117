import { clientDirs } from './paths.js';
import { extensionCandidates, extensionDefault, extensionDetectionPaths } from './editor-extensions.js';
import { headersField, summarizeEntry } from './shared.js';
import type { ClientAdapter } from './types.js';

const EXTENSION = 'rooveterinaryinc.roo-cline';
const REL = ['settings', 'mcp_settings.json'];

/**
 * Roo Code: `type: "streamable-http"`, required for url entries (Roo rejects a url without a
 * type, and command+url together). Project servers live in .roo/mcp.json and override global
 * ones of the same name. [ROO-src]
 */
export const rooCode: ClientAdapter = {
  id: 'roo-code',
  displayName: 'Roo Code',
  scopes: ['user', 'project'],
  defaultScope: 'user',
  locate(system, scope) {
    if (scope === 'project') return { file: clientDirs(system).join(system.cwd, '.roo', 'mcp.json'), format: 'json', jsonGrammar: 'strict', serversPath: ['mcpServers'] };
    return { ...extensionDefault(system, EXTENSION, REL), jsonGrammar: 'strict' };
  },
  async candidates(system, scope) {
    // Roo reads both files with JSON.parse: plain JSON only. [ROO-src]
    return scope === 'project' ? [rooCode.locate(system, scope)] : (await extensionCandidates(system, EXTENSION, REL)).map((l) => ({ ...l, jsonGrammar: 'strict' as const }));
  },
  detection(system) {
    return { paths: extensionDetectionPaths(system, EXTENSION), commands: [] };
  },
  remoteEntry(spec) {
    return { type: spec.transport === 'sse' ? 'sse' : 'streamable-http', url: spec.url, ...headersField(spec, rooCode) };
  },
  summarize: summarizeEntry,
  nextStep: 'In Roo Code, open the MCP servers view; it reloads the file by itself.',
  toolFilter: null,
  windowsApp: true,
};
