import { parse, TomlError } from 'smol-toml';
import { BugError, UserError } from '../errors.js';
import type { ServerMapEditor, ServersAt } from './index.js';
import { sameData, serversObjectAt } from './index.js';
import { detectEol } from './jsonc.js';

/**
 * Format-preserving TOML edits (Codex's config.toml). `@decimalturn/toml-patch` was tried first:
 * updates are fine, but an added server lands as a dotted key at the top of the file
 * (`mcp_servers.x = {…}` above the other tables) and a removal leaves stray blank lines. So this
 * is a small surgical editor instead: smol-toml parses strictly (errors name the line), a
 * lexical scan finds the text spans that make up `[mcp_servers.<name>]` (its table, subtables,
 * or dotted/inline keys), and only those spans are replaced, inserted or removed. Every byte
 * outside the entry stays as it was; the result is re-parsed and checked before it is returned.
 */

const BOM = '\uFEFF';

interface KeySeg {
  name: string;
  start: number;
  end: number;
}

interface Header {
  keys: KeySeg[];
  array: boolean;
  start: number;
  /** After the header line's newline. */
  end: number;
}

interface KeyVal {
  keys: KeySeg[];
  start: number;
  valueStart: number;
  valueEnd: number;
  /** After the line's newline (or at EOF). */
  end: number;
}

interface Section {
  header: Header | null;
  keyvals: KeyVal[];
  /** End of the last key/value line, or of the header line when there is none. */
  contentEnd: number;
}

const names = (keys: KeySeg[]): string[] => keys.map((k) => k.name);

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => path[i] === p);
}

/** Lexical scan of an already-validated TOML document into headers and top-level key/values. */
class Scanner {
  private i = 0;
  readonly sections: Section[] = [{ header: null, keyvals: [], contentEnd: 0 }];

  constructor(private readonly s: string) {
    this.run();
  }

  private get current(): Section {
    return this.sections[this.sections.length - 1] as Section;
  }

  private run(): void {
    const s = this.s;
    while (this.i < s.length) {
      this.skipBlank(true);
      if (this.i >= s.length) break;
      const c = s[this.i];
      if (c === '[') {
        const start = this.i;
        const array = s[this.i + 1] === '[';
        this.i += array ? 2 : 1;
        const keys = this.keys();
        this.skipSpaces();
        this.i += array ? 2 : 1;
        const end = this.endOfLine();
        const header: Header = { keys, array, start, end };
        this.sections.push({ header, keyvals: [], contentEnd: end });
      } else {
        const start = this.i;
        const keys = this.keys();
        this.skipSpaces();
        this.i++; // '='
        this.skipSpaces();
        const valueStart = this.i;
        this.skipValue();
        const valueEnd = this.i;
        const end = this.endOfLine();
        this.current.keyvals.push({ keys, start, valueStart, valueEnd, end });
        this.current.contentEnd = end;
      }
    }
  }

  /** Spaces and tabs; with `lines`, also newlines and comments. */
  private skipBlank(lines: boolean): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ' || c === '\t') this.i++;
      else if (lines && (c === '\n' || c === '\r')) this.i++;
      else if (lines && c === '#') this.skipComment();
      else break;
    }
  }

  private skipSpaces(): void {
    this.skipBlank(false);
  }

  private skipComment(): void {
    const nl = this.s.indexOf('\n', this.i);
    this.i = nl === -1 ? this.s.length : nl;
  }

  /** Rest of the line (spaces, a comment) and its newline; returns the position after it. */
  private endOfLine(): number {
    this.skipSpaces();
    if (this.s[this.i] === '#') this.skipComment();
    if (this.s[this.i] === '\r') this.i++;
    if (this.s[this.i] === '\n') this.i++;
    return this.i;
  }

  private keys(): KeySeg[] {
    const s = this.s;
    const keys: KeySeg[] = [];
    for (;;) {
      this.skipSpaces();
      const start = this.i;
      let name: string;
      if (s[this.i] === '"') {
        this.skipBasicString();
        name = decodeBasic(s.slice(start + 1, this.i - 1));
      } else if (s[this.i] === "'") {
        const close = s.indexOf("'", this.i + 1);
        this.i = close + 1;
        name = s.slice(start + 1, close);
      } else {
        while (this.i < s.length && /[A-Za-z0-9_-]/.test(s[this.i] as string)) this.i++;
        name = s.slice(start, this.i);
      }
      keys.push({ name, start, end: this.i });
      this.skipSpaces();
      if (s[this.i] !== '.') return keys;
      this.i++;
    }
  }

  private skipBasicString(): void {
    const s = this.s;
    this.i++;
    while (this.i < s.length && s[this.i] !== '"') this.i += s[this.i] === '\\' ? 2 : 1;
    this.i++;
  }

  private skipValue(): void {
    const s = this.s;
    if (s.startsWith('"""', this.i) || s.startsWith("'''", this.i)) {
      const quote = s.slice(this.i, this.i + 3);
      this.i += 3;
      while (this.i < s.length && !s.startsWith(quote, this.i)) this.i += quote === '"""' && s[this.i] === '\\' ? 2 : 1;
      this.i += 3;
      // Up to two quotes may sit right before the closing delimiter.
      for (let extra = 0; extra < 2 && s[this.i] === quote[0]; extra++) this.i++;
    } else if (s[this.i] === '"') {
      this.skipBasicString();
    } else if (s[this.i] === "'") {
      this.i = s.indexOf("'", this.i + 1) + 1;
    } else if (s[this.i] === '[') {
      this.i++;
      for (;;) {
        this.skipBlank(true);
        if (s[this.i] === ']' || this.i >= s.length) break;
        this.skipValue();
        this.skipBlank(true);
        if (s[this.i] === ',') this.i++;
      }
      this.i++;
    } else if (s[this.i] === '{') {
      this.i++;
      for (;;) {
        this.skipBlank(true);
        if (s[this.i] === '}' || this.i >= s.length) break;
        this.keys();
        this.skipSpaces();
        this.i++; // '='
        this.skipSpaces();
        this.skipValue();
        this.skipBlank(true);
        if (s[this.i] === ',') this.i++;
      }
      this.i++;
    } else {
      // A local date-time may contain one space: 1979-05-27 07:32:00.
      const dateTime = /^\d{4}-\d{2}-\d{2} \d{2}:/.test(s.slice(this.i, this.i + 14));
      if (dateTime) this.i += 11;
      while (this.i < s.length && !/[ \t\r\n#,\]}]/.test(s[this.i] as string)) this.i++;
    }
  }
}

function decodeBasic(raw: string): string {
  return raw.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|.)/g, (_, esc: string) => {
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
    if (esc.length === 1) return simple[esc] ?? esc;
    return String.fromCodePoint(parseInt(esc.slice(1), 16));
  });
}

// ---------------------------------------------------------------------------------------------
// Rendering

function renderKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : renderString(key);
}

function renderString(value: string): string {
  // JSON's escapes are all valid TOML escapes; DEL is the one control character JSON leaves raw.
  return JSON.stringify(value).replace(/\x7f/g, '\\u007F');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return renderString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  if (isPlainObject(value)) {
    const parts = Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `${renderKey(k)} = ${renderValue(v)}`);
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
  throw new BugError(`TOML can't hold ${String(value)}.`);
}

/** A table and its subtables: objects holding objects get their own `[a.b]` header. */
function renderTable(path: string[], value: Record<string, unknown>, eol: string): string {
  const header = `[${path.map(renderKey).join('.')}]${eol}`;
  let body = '';
  const subtables: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (isPlainObject(v) && Object.values(v).some(isPlainObject)) subtables.push(renderTable([...path, key], v, eol));
    else body += `${renderKey(key)} = ${renderValue(v)}${eol}`;
  }
  return [header + body, ...subtables].join(eol);
}

// ---------------------------------------------------------------------------------------------
// Locating an entry

interface Part {
  start: number;
  end: number;
  /** The table section of the entry itself or one of its subtables. */
  section?: Section;
  keyval?: KeyVal;
  /** Full key path of the section header or key/value. */
  path: string[];
}

function tablePath(section: Section): string[] {
  return section.header ? names(section.header.keys) : [];
}

/** Every span that belongs to the entry `[...serversPath, name]`, in file order. */
function entryParts(sections: Section[], entryPath: string[]): Part[] {
  const parts: Part[] = [];
  for (const section of sections) {
    const table = tablePath(section);
    if (section.header && startsWith(table, entryPath)) {
      parts.push({ start: section.header.start, end: section.contentEnd, section, path: table });
      continue;
    }
    for (const kv of section.keyvals) {
      const full = [...table, ...names(kv.keys)];
      if (startsWith(full, entryPath)) parts.push({ start: kv.start, end: kv.end, keyval: kv, path: full });
    }
  }
  return parts.sort((a, b) => a.start - b.start);
}

/** Every key/value of the entry, inside its tables or as dotted/inline keys, with its full path. */
function entryKeyvals(parts: Part[]): { kv: KeyVal; path: string[] }[] {
  return parts.flatMap((p) =>
    p.section ? p.section.keyvals.map((kv) => ({ kv, path: [...p.path, ...names(kv.keys)] })) : [{ kv: p.keyval as KeyVal, path: p.path }],
  );
}

/** A key/value whose inline value contains `path` (e.g. `mcp_servers = { x = {…} }`). */
function enclosingInline(sections: Section[], path: string[]): { kv: KeyVal; path: string[] } | null {
  for (const section of sections) {
    const table = tablePath(section);
    for (const kv of section.keyvals) {
      const full = [...table, ...names(kv.keys)];
      if (full.length < path.length && startsWith(path, full)) return { kv, path: full };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Text helpers

function strictParse(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const what = error.message.replace(/^Invalid TOML document: /, '').split('\n')[0];
    throw new UserError({
      code: 'unparsable-config',
      message: `${file} is not valid TOML (line ${error.line}, column ${error.column}: ${what}).`,
      hint: 'mcp-setup never overwrites a file it cannot read, so nothing was changed.',
      nextSteps: [`Fix line ${error.line} of ${file} (or restore it from a backup), then run this again.`],
    });
  }
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** The start of `pos`'s line when only indentation precedes it, so a removed line leaves no stray spaces. */
function lineStart(text: string, pos: number): number {
  let at = pos;
  while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
  return at === 0 || text[at - 1] === '\n' ? at : pos;
}

/** Where a removed table's span really starts: its attached comment lines and one blank line above. */
function removalStart(text: string, start: number, eol: string): number {
  let at = lineStart(text, start);
  for (;;) {
    const prev = text.lastIndexOf('\n', at - 2) + 1;
    if (at === 0 || !text.slice(prev, at).trimStart().startsWith('#')) break;
    at = prev;
  }
  if (at >= 2 * eol.length && text.slice(at - 2 * eol.length, at) === eol + eol) at -= eol.length;
  return at;
}

/** Apply span replacements, last first so earlier offsets stay valid. */
function applySpans(text: string, spans: { start: number; end: number; text: string }[]): string {
  let out = text;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) out = splice(out, span.start, span.end, span.text);
  return out;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    isPlainObject(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

function unsupportedLayout(file: string, path: string[]): UserError {
  return new UserError({
    code: 'unparsable-config',
    message: `In ${file}, "${path.join('.')}" is written as an inline table, which mcp-setup can't edit without rewriting it.`,
    hint: 'Nothing was changed.',
    nextSteps: [`Turn it into a [${path.join('.')}] table by hand, then run this again.`],
  });
}

// ---------------------------------------------------------------------------------------------
// The editor

function withBom(text: string, fn: (body: string) => string): string {
  const hasBom = text.startsWith(BOM);
  const out = fn(hasBom ? text.slice(1) : text);
  return hasBom ? BOM + out : out;
}

function setServerBody(body: string, at: ServersAt, name: string, entry: unknown): string {
  strictParse(body, at.file);
  const eol = detectEol(body);
  const entryPath = [...at.serversPath, name];
  const { sections } = new Scanner(body);
  const inline = enclosingInline(sections, entryPath);
  if (inline) throw unsupportedLayout(at.file, inline.path);
  const parts = entryParts(sections, entryPath);

  if (entry === undefined) {
    return applySpans(
      body,
      parts.map((p) => ({ start: p.section ? removalStart(body, p.start, eol) : lineStart(body, p.start), end: p.end, text: '' })),
    );
  }
  if (!isPlainObject(entry)) throw new BugError('A TOML server entry must be a table.');

  const [first, ...rest] = parts;
  if (first) {
    let replacement: string;
    if (first.section) {
      replacement = renderTable(entryPath, entry, eol);
    } else {
      const kv = first.keyval as KeyVal;
      const nameSeg = kv.keys[kv.keys.length - (first.path.length - entryPath.length) - 1] as KeySeg;
      replacement = `${body.slice(kv.start, nameSeg.end)} = ${renderValue(entry)}${eol}`;
    }
    return applySpans(body, [
      { start: first.start, end: first.end, text: replacement },
      ...rest.map((p) => ({ start: p.section ? removalStart(body, p.start, eol) : lineStart(body, p.start), end: p.end, text: '' })),
    ]);
  }

  const table = renderTable(entryPath, entry, eol);
  if (body.trim() === '') return table;
  // Keep servers together: after the last section under the servers table, else at the end.
  const siblings = sections.filter((s) => s.header && startsWith(tablePath(s), at.serversPath));
  const last = siblings[siblings.length - 1];
  if (last) return splice(body, last.contentEnd, last.contentEnd, eol + table);
  const sep = body.endsWith('\n') ? '' : eol;
  return body + sep + eol + table;
}

function setFieldBody(body: string, at: ServersAt, name: string, field: string[], value: unknown): string {
  const doc = strictParse(body, at.file);
  const eol = detectEol(body);
  const entryPath = [...at.serversPath, name];
  const target = [...entryPath, ...field];
  const { sections } = new Scanner(body);
  const parts = entryParts(sections, entryPath);
  if (parts.length === 0) return body;

  const keyvals = entryKeyvals(parts);
  const exactKv = keyvals.find((k) => k.path.length === target.length && startsWith(k.path, target));
  if (exactKv) {
    if (value === undefined) return splice(body, lineStart(body, exactKv.kv.start), exactKv.kv.end, '');
    return splice(body, exactKv.kv.valueStart, exactKv.kv.valueEnd, renderValue(value));
  }
  const exact = parts.find((p) => p.section && p.path.length === target.length && startsWith(p.path, target));
  if (exact) {
    if (value === undefined) return splice(body, removalStart(body, exact.start, eol), exact.end, '');
    const rendered = isPlainObject(value) ? renderTable(target, value, eol) : null;
    if (rendered === null) throw unsupportedLayout(at.file, target);
    // Replace the subtable and any of its own subtables.
    const nested = parts.filter((p) => p !== exact && p.section && startsWith(p.path, target));
    return applySpans(body, [
      { start: exact.start, end: exact.end, text: rendered },
      ...nested.map((p) => ({ start: removalStart(body, p.start, eol), end: p.end, text: '' })),
    ]);
  }
  // Deeper than a key/value holding an inline table: rewrite that one value with the change merged in.
  const holder = keyvals.find((k) => k.path.length < target.length && startsWith(target, k.path));
  if (holder) {
    const current = structuredClone(valueAtPath(doc, holder.path)) as Record<string, unknown>;
    setAtPath(current, target.slice(holder.path.length), value);
    return splice(body, holder.kv.valueStart, holder.kv.valueEnd, renderValue(current));
  }
  if (value === undefined) return body;
  // A new field: one line at the end of the entry's own table (before its subtables).
  const main = parts.find((p) => p.section && p.path.length === entryPath.length);
  if (main?.section) {
    const line = `${field.map(renderKey).join('.')} = ${renderValue(value)}${eol}`;
    return splice(body, main.section.contentEnd, main.section.contentEnd, line);
  }
  const lastKv = [...parts].reverse().find((p) => p.keyval);
  if (lastKv?.keyval) {
    const kv = lastKv.keyval;
    const nameSeg = kv.keys[kv.keys.length - (lastKv.path.length - entryPath.length) - 1] as KeySeg;
    const line = `${body.slice(kv.start, nameSeg.end)}.${field.map(renderKey).join('.')} = ${renderValue(value)}${eol}`;
    return splice(body, kv.end, kv.end, line);
  }
  throw unsupportedLayout(at.file, entryPath);
}

function renameBody(body: string, at: ServersAt, from: string, to: string): string {
  strictParse(body, at.file);
  const entryPath = [...at.serversPath, from];
  const { sections } = new Scanner(body);
  const spans: { start: number; end: number; text: string }[] = [];
  for (const part of entryParts(sections, entryPath)) {
    const keys = part.section ? (part.section.header as Header).keys : (part.keyval as KeyVal).keys;
    const seg = keys[keys.length - (part.path.length - entryPath.length) - 1] as KeySeg;
    spans.push({ start: seg.start, end: seg.end, text: renderKey(to) });
  }
  return applySpans(body, spans);
}

function valueAtPath(doc: unknown, path: string[]): unknown {
  let cursor = doc;
  for (const key of path) cursor = isPlainObject(cursor) ? cursor[key] : undefined;
  return cursor;
}

function setAtPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cursor = target;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(cursor[key])) cursor[key] = {};
    cursor = cursor[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (value === undefined) delete cursor[last];
  else cursor[last] = value;
}

/** The safety net: the edit must parse, and the entry must now read back as intended. */
function verified(out: string, at: ServersAt, name: string, expect: (entry: unknown) => boolean): string {
  const body = out.startsWith(BOM) ? out.slice(1) : out;
  let doc: Record<string, unknown>;
  try {
    doc = parse(body) as Record<string, unknown>;
  } catch (error) {
    throw new BugError(`Editing ${at.file} produced invalid TOML (${(error as Error).message.split('\n')[0]}); nothing was written.`);
  }
  if (!expect(serversObjectAt(doc, at.serversPath)[name])) throw new BugError(`Editing ${at.file} did not produce the intended entry; nothing was written.`);
  return out;
}

export const tomlEditor: ServerMapEditor = {
  readServers(text, at) {
    const body = text.startsWith(BOM) ? text.slice(1) : text;
    return serversObjectAt(strictParse(body, at.file), at.serversPath);
  },
  setServer(text, at, name, entry) {
    if (entry !== undefined && sameData(tomlEditor.readServers(text, at)[name], entry)) return text;
    const out = withBom(text, (body) => setServerBody(body, at, name, entry));
    return verified(out, at, name, (e) => (entry === undefined ? e === undefined : canonical(e) === canonical(entry)));
  },
  setField(text, at, name, field, value) {
    const out = withBom(text, (body) => setFieldBody(body, at, name, field, value));
    return verified(out, at, name, (e) =>
      e === undefined ? out === text : value === undefined ? valueAtPath(e, field) === undefined : canonical(valueAtPath(e, field)) === canonical(value),
    );
  },
  renameServer(text, at, from, to) {
    const before = tomlEditor.readServers(text, at)[from];
    if (before === undefined) return text;
    const out = withBom(text, (body) => renameBody(body, at, from, to));
    return verified(out, at, to, (e) => canonical(e) === canonical(before));
  },
};
