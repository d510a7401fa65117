import { BugError } from '../errors.js';
import type { ConfigLocation } from '../clients/types.js';
import { parseJsonc, setJsoncValue } from './jsonc.js';

/**
 * One interface over every config format: read the map of servers, or set/remove one entry
 * while leaving every other byte of the file as it was.
 */
export interface ServerMapEditor {
  readServers(text: string, file: string, serversPath: string[]): Record<string, unknown>;
  /** `entry === undefined` removes the server. */
  setServer(text: string, file: string, serversPath: string[], name: string, entry: unknown): string;
}

const jsonEditor: ServerMapEditor = {
  readServers(text, file, serversPath) {
    let cursor: unknown = parseJsonc(text, file).value;
    for (const key of serversPath) {
      if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) return {};
      cursor = (cursor as Record<string, unknown>)[key];
    }
    return typeof cursor === 'object' && cursor !== null && !Array.isArray(cursor) ? (cursor as Record<string, unknown>) : {};
  },
  setServer(text, file, serversPath, name, entry) {
    return setJsoncValue(text, file, [...serversPath, name], entry);
  },
};

const editors: Partial<Record<ConfigLocation['format'], ServerMapEditor>> = {
  json: jsonEditor,
  jsonc: jsonEditor,
};

export function editorFor(format: ConfigLocation['format']): ServerMapEditor {
  const editor = editors[format];
  if (!editor) throw new BugError(`No editor for ${format} files yet.`);
  return editor;
}

/** Register a format editor (TOML and YAML live in their own modules). */
export function registerEditor(format: ConfigLocation['format'], editor: ServerMapEditor): void {
  editors[format] = editor;
}
