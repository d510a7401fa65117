import { isMap, isScalar, isSeq, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { BugError, UserError } from '../errors.js';
import { sameData, type ServerMapEditor, type ServersAt } from './index.js';
import { detectEol } from './jsonc.js';

/**
 * YAML edits (Goose's config.yaml, Continue's config.yaml). The `yaml` Document API parses
 * strictly and gives every node's source range; `String(doc)` would re-print the whole file
 * (re-indenting sequences, re-wrapping long lines), so instead only the text of the one pair or
 * list item being changed is replaced, rendered by `yaml` at the indentation found there. Every
 * byte outside it stays as it was; the result is re-parsed and checked before it is returned.
 */

const BOM = '\uFEFF';

type Span = { start: number; end: number; text: string };

interface Style {
  eol: string;
  unit: number;
  indentSeq: boolean;
}

function parseStrict(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line ?? 1;
    const column = first.linePos?.[0].col ?? 1;
    const what = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new UserError({
      code: 'unparsable-config',
      message: `${file} is not valid YAML (line ${line}, column ${column}: ${what}).`,
      hint: 'mcp-setup never overwrites a file it cannot read, so nothing was changed.',
      nextSteps: [`Fix line ${line} of ${file} (or restore it from a backup), then run this again.`],
    });
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new UserError({
      code: 'unparsable-config',
      message: `${file} holds a YAML ${isSeq(doc.contents) ? 'list' : 'value'}, but settings (key: value lines) were expected.`,
      hint: 'mcp-setup never overwrites a file it cannot read, so nothing was changed.',
      nextSteps: [`Check ${file}; its top level must be a mapping.`],
    });
  }
  return doc;
}

function detectStyle(text: string): Style {
  const indents = [...text.matchAll(/^( +)[^\s#]/gm)].map((m) => (m[1] as string).length);
  const unit = indents.length > 0 ? Math.max(1, Math.min(...indents)) : 2;
  const indentSeq = !/^( *)[^\s#-][^\n]*:[ \t]*\r?\n\1- /m.test(text);
  return { eol: detectEol(text), unit, indentSeq };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyOf(pair: Pair): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

function findPair(map: YAMLMap, key: string): Pair<Node, Node | null> | undefined {
  return (map.items as Pair<Node, Node | null>[]).find((p) => keyOf(p) === key);
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function column(text: string, pos: number): number {
  return pos - lineStartOf(text, pos);
}

/** `pos` moved back to its line start when only indentation precedes it. */
function lineStartIfIndented(text: string, pos: number): number {
  const start = lineStartOf(text, pos);
  return /^[ \t]*$/.test(text.slice(start, pos)) ? start : pos;
}

/** After the newline that ends the line holding `pos - 1` (or EOF). */
function endOfLine(text: string, pos: number): number {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : nl + 1;
}

/** Extend a removal at a line start upward over the comment lines directly above it (they describe it). */
function withCommentsAbove(text: string, start: number): number {
  let at = start;
  if (at !== lineStartOf(text, at)) return at;
  while (at > 0) {
    const prev = lineStartOf(text, at - 1);
    if (!text.slice(prev, at).trimStart().startsWith('#')) break;
    at = prev;
  }
  return at;
}

function nodeEnd(node: Node | null | undefined, fallback: number): number {
  return node?.range ? node.range[1] : fallback;
}

function pairSpan(text: string, pair: Pair<Node, Node | null>): { start: number; end: number } {
  const keyRange = (pair.key as Node).range as [number, number, number];
  return { start: keyRange[0], end: endOfLine(text, nodeEnd(pair.value, keyRange[1])) };
}

function render(value: unknown, style: Style, indent: number, indentFirst: boolean): string {
  const raw = stringify(value, { lineWidth: 0, indent: style.unit, indentSeq: style.indentSeq });
  const pad = ' '.repeat(indent);
  const lines = raw.replace(/\n$/, '').split('\n');
  return lines.map((line, i) => (i === 0 && !indentFirst ? line : line === '' ? line : pad + line)).join(style.eol) + style.eol;
}

function nest(path: string[], value: unknown): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

function isBlockMap(node: unknown): node is YAMLMap {
  return isMap(node) && !node.flow;
}

/**
 * The span edit that sets `path` (relative to `map`) to `value`, or removes it when `value` is
 * undefined. Recurses through block maps; a flow map or scalar in the way is re-rendered whole.
 */
function setIn(text: string, map: YAMLMap, path: string[], value: unknown, style: Style): Span | null {
  const [key, ...rest] = path as [string, ...string[]];
  const pair = findPair(map, key);
  if (rest.length > 0 && pair && isBlockMap(pair.value)) return setIn(text, pair.value, rest, value, style);
  let pairValue = value;
  if (rest.length > 0) {
    const current = pair?.value && 'toJSON' in pair.value ? (pair.value as Node).toJSON() : undefined;
    if (value === undefined && !isPlainObject(current)) return null;
    const merged: Record<string, unknown> = isPlainObject(current) ? structuredClone(current) : {};
    let cursor = merged;
    for (const k of rest.slice(0, -1)) {
      if (!isPlainObject(cursor[k])) cursor[k] = {};
      cursor = cursor[k] as Record<string, unknown>;
    }
    const last = rest[rest.length - 1] as string;
    if (value === undefined) delete cursor[last];
    else cursor[last] = value;
    pairValue = merged;
  }
  if (pair) {
    const span = pairSpan(text, pair);
    if (pairValue === undefined) return { start: withCommentsAbove(text, lineStartIfIndented(text, span.start)), end: span.end, text: '' };
    return { start: span.start, end: span.end, text: render({ [key]: pairValue }, style, column(text, span.start), false) };
  }
  if (pairValue === undefined) return null;
  const first = map.items[0] as Pair<Node, Node | null> | undefined;
  const last = map.items[map.items.length - 1] as Pair<Node, Node | null> | undefined;
  if (!first || !last) return null;
  const col = column(text, pairSpan(text, first).start);
  const pos = pairSpan(text, last).end;
  const lead = pos > 0 && text[pos - 1] !== '\n' ? style.eol : '';
  return { start: pos, end: pos, text: lead + render({ [key]: pairValue }, style, col, true) };
}

function splice(text: string, span: Span): string {
  return text.slice(0, span.start) + span.text + text.slice(span.end);
}

function unsupported(file: string, what: string): UserError {
  return new UserError({
    code: 'unparsable-config',
    message: `In ${file}, ${what}, which mcp-setup can't edit without rewriting it.`,
    hint: 'Nothing was changed.',
    nextSteps: [`Write it in block style (one "key: value" per line), then run this again.`],
  });
}

/** Set `path` from the document root, creating parents; a root with no content becomes the new text. */
function setFromRoot(body: string, doc: Document.Parsed, path: string[], value: unknown, file: string, style: Style): string {
  const root = doc.contents;
  if (root === null || (isMap(root) && root.items.length === 0 && !root.flow)) {
    if (value === undefined) return body;
    return body + (body === '' || body.endsWith('\n') ? '' : style.eol) + render(nest(path, value), style, 0, true);
  }
  if (!isBlockMap(root)) throw unsupported(file, 'the top level is a {…} flow mapping');
  const span = setIn(body, root, path, value, style);
  return span ? splice(body, span) : body;
}

function seqItems(seq: YAMLSeq): YAMLMap[] {
  return seq.items.filter((item): item is YAMLMap => isMap(item));
}

function itemSpan(text: string, item: YAMLMap): { start: number; end: number } {
  const range = item.range as [number, number, number];
  const dash = text.lastIndexOf('-', range[0]);
  return { start: dash, end: endOfLine(text, range[1]) };
}

function listItem(seq: unknown, listKey: string, name: string): YAMLMap | undefined {
  return isSeq(seq) ? seqItems(seq).find((item) => item.get(listKey) === name) : undefined;
}

function setListEntry(body: string, doc: Document.Parsed, at: ServersAt, listKey: string, name: string, entry: unknown, style: Style): string {
  const seq = doc.getIn(at.serversPath, true);
  const item = listItem(seq, listKey, name);
  const value = entry === undefined ? undefined : { [listKey]: name, ...(entry as Record<string, unknown>) };
  if (isSeq(seq) && !seq.flow && seq.items.length > 0) {
    if (item) {
      const span = itemSpan(body, item);
      if (value === undefined) {
        if (seq.items.length === 1) return setFromRoot(body, doc, at.serversPath, [], at.file, style);
        return splice(body, { start: withCommentsAbove(body, lineStartIfIndented(body, span.start)), end: span.end, text: '' });
      }
      return splice(body, { ...span, text: render([value], style, column(body, span.start), false) });
    }
    if (value === undefined) return body;
    const first = itemSpan(body, seq.items[0] as YAMLMap);
    const pos = itemSpan(body, seq.items[seq.items.length - 1] as YAMLMap).end;
    const lead = pos > 0 && body[pos - 1] !== '\n' ? style.eol : '';
    return splice(body, { start: pos, end: pos, text: lead + render([value], style, column(body, first.start), true) });
  }
  if (seq !== undefined && seq !== null && !isSeq(seq) && !(isScalar(seq) && seq.value === null)) {
    throw unsupported(at.file, `"${at.serversPath.join('.')}" is not a list`);
  }
  // Missing, empty, null or a flow list: write the whole (small) list.
  const current = isSeq(seq) ? (seq.toJSON() as unknown[]) : [];
  const others = current.filter((i) => !(isPlainObject(i) && i[listKey] === name));
  if (value === undefined && others.length === current.length) return body;
  return setFromRoot(body, doc, at.serversPath, value === undefined ? others : [...others, value], at.file, style);
}

function withBom(text: string, fn: (body: string) => string): string {
  const hasBom = text.startsWith(BOM);
  const out = fn(hasBom ? text.slice(1) : text);
  return hasBom ? BOM + out : out;
}

function readServersFrom(doc: Document.Parsed, at: ServersAt): Record<string, unknown> {
  const node = doc.getIn(at.serversPath, true);
  if (at.listKey) {
    const out: Record<string, unknown> = {};
    if (isSeq(node)) {
      for (const item of node.toJSON() as unknown[]) {
        const name = isPlainObject(item) ? item[at.listKey] : undefined;
        if (typeof name === 'string' && isPlainObject(item)) {
          const { [at.listKey]: _name, ...rest } = item;
          out[name] = rest;
        }
      }
    }
    return out;
  }
  const value = isMap(node) ? (node.toJSON() as unknown) : undefined;
  return isPlainObject(value) ? value : {};
}

function checked(out: string, at: ServersAt, expect: (servers: Record<string, unknown>) => boolean): string {
  const body = out.startsWith(BOM) ? out.slice(1) : out;
  const doc = parseDocument(body, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new BugError(`Editing ${at.file} produced invalid YAML (${doc.errors[0]?.message.split('\n')[0]}); nothing was written.`);
  if (!expect(readServersFrom(doc, at))) throw new BugError(`Editing ${at.file} did not produce the intended entry; nothing was written.`);
  return out;
}

function edit(text: string, at: ServersAt, fn: (body: string, doc: Document.Parsed, style: Style) => string): string {
  return withBom(text, (body) => fn(body, parseStrict(body, at.file), detectStyle(body)));
}

/** After removing the last server, leave `key: {}` rather than a bare `key:` (null) the client may reject. */
function emptyMapIfNull(text: string, at: ServersAt, style: Style): string {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const doc = parseStrict(body, at.file);
  const node = doc.getIn(at.serversPath, true);
  if (!(isScalar(node) && node.value === null)) return text;
  const out = setFromRoot(body, doc, at.serversPath, {}, at.file, style);
  return text.startsWith(BOM) ? BOM + out : out;
}

export const yamlEditor: ServerMapEditor = {
  readServers(text, at) {
    const body = text.startsWith(BOM) ? text.slice(1) : text;
    return readServersFrom(parseStrict(body, at.file), at);
  },
  setServer(text, at, name, entry) {
    if (entry !== undefined && sameData(yamlEditor.readServers(text, at)[name], entry)) return text;
    const out = edit(text, at, (body, doc, style) => {
      if (at.listKey) return setListEntry(body, doc, at, at.listKey, name, entry, style);
      const result = setFromRoot(body, doc, [...at.serversPath, name], entry, at.file, style);
      return entry === undefined ? emptyMapIfNull(result, at, style) : result;
    });
    return checked(out, at, (servers) => (entry === undefined ? !(name in servers) : sameData(servers[name], entry)));
  },
  setField(text, at, name, field, value) {
    const out = edit(text, at, (body, doc, style) => {
      if (!at.listKey) return setFromRoot(body, doc, [...at.serversPath, name, ...field], value, at.file, style);
      const item = listItem(doc.getIn(at.serversPath, true), at.listKey, name);
      if (!item) return body;
      if (!isBlockMap(item)) throw unsupported(at.file, `the "${name}" entry is a {…} flow mapping`);
      const span = setIn(body, item, field, value, style);
      return span ? splice(body, span) : body;
    });
    return checked(out, at, () => true);
  },
  renameServer(text, at, from, to) {
    const out = edit(text, at, (body, doc, style) => {
      if (at.listKey) return yamlEditor.setField(body, at, from, [at.listKey], to);
      const map = doc.getIn(at.serversPath, true);
      const pair = isMap(map) ? findPair(map, from) : undefined;
      const range = pair?.key && (pair.key as Node).range;
      if (!range) return body;
      const key = render(to, style, 0, false).trimEnd();
      return splice(body, { start: range[0], end: range[1], text: key });
    });
    return checked(out, at, (servers) => !(from in servers) || from === to);
  },
};
