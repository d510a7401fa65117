import { BugError } from '../errors.js';
import type { ConfigLocation } from '../clients/types.js';
import { parseJsonc, renameJsoncKey, setJsoncValue } from './jsonc.js';

/** Which servers in a file: the parts of a ConfigLocation an editor needs. */
export type ServersAt = Pick<ConfigLocation, 'file' | 'serversPath' | 'listKey' | 'jsonGrammar'>;

/**
 * One interface over every config format: read the servers, or change one entry while leaving
 * every other byte of the file as it was. Every method parses strictly first and throws a
 * UserError (`unparsable-config`, naming file and line) instead of touching a file it can't read.
 */
export interface ServerMapEditor {
  readServers(text: string, at: ServersAt): Record<string, unknown>;
  /** Add or replace a whole entry; `entry === undefined` removes the server. */
  setServer(text: string, at: ServersAt, name: string, entry: unknown): string;
  /**
   * Set (or with `undefined` delete) one field inside an existing entry, in place, so the
   * client's other fields (autoApprove, disabled, timeout, comments…) are never rewritten.
   */
  setField(text: string, at: ServersAt, name: string, field: string[], value: unknown): string;
  /** Give an existing entry a new name, keeping its body byte-for-byte. */
  renameServer(text: string, at: ServersAt, from: string, to: string): string;
}

function objectAt(root: unknown, keys: string[]): Record<string, unknown> {
  let cursor = root;
  for (const key of keys) {
    if (typeof cursor !== 'object' || cursor === null || Array.isArray(cursor)) return {};
    cursor = (cursor as Record<string, unknown>)[key];
  }
  return typeof cursor === 'object' && cursor !== null && !Array.isArray(cursor) ? (cursor as Record<string, unknown>) : {};
}

/** Read the object at `keys` from a parsed document ({} when missing or not an object). */
export { objectAt as serversObjectAt };

/** Equal as data, whatever the key order: an identical entry is left alone (no write, no backup). */
export function sameData(a: unknown, b: unknown): boolean {
  const canonical = (v: unknown): string =>
    JSON.stringify(v, (_k, x: unknown) =>
      typeof x === 'object' && x !== null && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : 1))) : x,
    );
  return a !== undefined && canonical(a) === canonical(b);
}

function noListMode(at: ServersAt): void {
  if (at.listKey) throw new BugError(`Server lists are only supported in YAML files (${at.file}).`);
}

/** Parse strictly, refusing duplicate keys on the servers' path (an edit would go unseen). */
function checkJson(text: string, at: ServersAt): Record<string, unknown> {
  noListMode(at);
  return parseJsonc(text, at.file, at.serversPath, at.jsonGrammar).value;
}

const jsonEditor: ServerMapEditor = {
  readServers(text, at) {
    return objectAt(checkJson(text, at), at.serversPath);
  },
  setServer(text, at, name, entry) {
    const value = checkJson(text, at);
    if (entry !== undefined && sameData(objectAt(value, at.serversPath)[name], entry)) return text;
    return setJsoncValue(text, at.file, [...at.serversPath, name], entry, at.jsonGrammar);
  },
  setField(text, at, name, field, value) {
    checkJson(text, at);
    return setJsoncValue(text, at.file, [...at.serversPath, name, ...field], value, at.jsonGrammar);
  },
  renameServer(text, at, from, to) {
    checkJson(text, at);
    return renameJsoncKey(text, at.file, at.serversPath, from, to, at.jsonGrammar);
  },
};

const editors: Partial<Record<ConfigLocation['format'], ServerMapEditor>> = {
  json: jsonEditor,
  jsonc: jsonEditor,
};

// TOML and YAML (smol-toml, yaml) load only when such a file is actually read or written.
const loaders: Partial<Record<ConfigLocation['format'], () => Promise<ServerMapEditor>>> = {
  toml: async () => (await import('./toml.js')).tomlEditor,
  yaml: async () => (await import('./yaml.js')).yamlEditor,
};

/** The editor for a format, loading it on first use. */
export async function loadEditor(format: ConfigLocation['format']): Promise<ServerMapEditor> {
  const loaded = editors[format];
  if (loaded) return loaded;
  const load = loaders[format];
  if (!load) throw new BugError(`No editor for ${format} files.`);
  return (editors[format] = await load());
}

/** The editor for a format already loaded with loadEditor (every async entry point does). */
export function editorFor(format: ConfigLocation['format']): ServerMapEditor {
  const editor = editors[format];
  if (!editor) throw new BugError(`The ${format} editor is used before loadEditor('${format}').`);
  return editor;
}
