import { applyEdits, modify, parseTree, printParseErrorCode, findNodeAtLocation, getNodeValue, type Node, type ParseError, type JSONPath } from 'jsonc-parser';
import { UserError } from '../errors.js';

/**
 * Surgical JSON/JSONC edits. We never re-serialise a user's file: jsonc-parser computes the
 * minimal text edit for one path, so comments, trailing commas, key order, indentation, line
 * endings and a BOM outside the edited entry stay byte-identical.
 */

const BOM = '\uFEFF';

export interface ParsedJsonc {
  /** The document's value; an empty file reads as {}. */
  value: Record<string, unknown>;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}

/** What the app reading the file accepts: see ConfigLocation.jsonGrammar. */
export type JsonGrammar = 'strict' | 'comments' | undefined;

/**
 * Parse strictly: anything the app reading the file would not accept is an error naming the
 * line (JSONC by default; plain JSON, or JSON with comments, for apps that read only that).
 */
export function parseJsonc(text: string, file: string, serversPath?: JSONPath, grammar?: JsonGrammar): ParsedJsonc {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  if (body.trim() === '') return { value: {} };
  const errors: ParseError[] = [];
  const tree = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length === 0 && tree && grammar) assertGrammar(body, file, grammar);
  const first = errors[0];
  if (first || !tree) {
    const where = first ? lineAndColumn(body, first.offset) : { line: 1, column: 1 };
    const what = first ? describeParseError(printParseErrorCode(first.error)) : 'no JSON value';
    throw new UserError({
      code: 'unparsable-config',
      message: `${file} is not valid JSON (line ${where.line}, column ${where.column}: ${what}).`,
      hint: 'mcp-setup never overwrites a file it cannot read, so nothing was changed.',
      nextSteps: [`Fix line ${where.line} of ${file} (or restore it from a backup), then run this again.`],
    });
  }
  if (tree.type !== 'object') {
    throw new UserError({
      code: 'unparsable-config',
      message: `${file} holds a JSON ${tree.type}, but a settings object ({ … }) was expected.`,
      hint: 'mcp-setup never overwrites a file it cannot read, so nothing was changed.',
      nextSteps: [`Check ${file}; its top level must be an object.`],
    });
  }
  if (serversPath) assertNoDuplicateKeysAlong(tree, body, file, serversPath);
  return { value: getNodeValue(tree) as Record<string, unknown> };
}

/**
 * The file is fine JSONC, but its app reads stricter JSON: a comment or trailing comma there
 * means the app is refusing this file right now, and writing into it would report success
 * while the app still can't load anything.
 */
function assertGrammar(body: string, file: string, grammar: 'strict' | 'comments'): void {
  const errors: ParseError[] = [];
  parseTree(body, errors, { allowTrailingComma: false, disallowComments: grammar === 'strict', allowEmptyContent: false });
  const first = errors[0];
  if (!first) return;
  const where = lineAndColumn(body, first.offset);
  const comment = printParseErrorCode(first.error) === 'InvalidCommentToken';
  const what = comment ? 'a comment' : 'a trailing comma';
  throw new UserError({
    code: 'unparsable-config',
    // A trailing comma is reported at the token after it (the closing brace).
    message: `${file} has ${what} ${comment ? 'at' : 'just before'} line ${where.line}, column ${where.column}, which the app that reads it does not accept.`,
    hint: `That app reads ${grammar === 'strict' ? 'plain JSON (no comments, no trailing commas)' : 'JSON with comments but no trailing commas'}, so it is likely refusing this file as it is; mcp-setup changed nothing.`,
    nextSteps: [`Remove ${what} ${comment ? 'at' : 'just before'} line ${where.line} of ${file}, then run this again.`],
  });
}

/**
 * Refuse a key that appears twice in an object on the way to the servers (or twice among the
 * servers): jsonc-parser would edit the first, while apps (JSON.parse) read the last, so the
 * new entry would silently never be seen.
 */
function assertNoDuplicateKeysAlong(root: Node, body: string, file: string, keys: JSONPath): void {
  let node: Node | undefined = root;
  for (let depth = 0; node && node.type === 'object'; depth++) {
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const key = prop.children?.[0]?.value as string;
      if (seen.has(key)) {
        const where = lineAndColumn(body, prop.offset);
        throw new UserError({
          code: 'unparsable-config',
          message: `${file} has the key "${key}" twice (line ${where.line}, column ${where.column}).`,
          hint: 'Apps read only the last one, so an edit could land where it is never seen. Nothing was changed.',
          nextSteps: [`Merge or remove the duplicate "${key}" at line ${where.line} of ${file}, then run this again.`],
        });
      }
      seen.add(key);
    }
    if (depth >= keys.length) break;
    node = findNodeAtLocation(node, [keys[depth]!]);
  }
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'bad number',
    PropertyNameExpected: 'expected a "key"',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected ","',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'extra text after the end',
    UnexpectedEndOfComment: 'unclosed comment',
    UnexpectedEndOfString: 'unclosed string',
    UnexpectedEndOfNumber: 'unfinished number',
    InvalidUnicode: 'bad \\u escape',
    InvalidEscapeCharacter: 'bad escape',
    InvalidCharacter: 'control character in a string',
  };
  return words[code] ?? code;
}

export function detectEol(text: string): '\n' | '\r\n' {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

export function detectIndent(text: string): { insertSpaces: boolean; tabSize: number } {
  const match = /^([ \t]+)["/}\]]/m.exec(text);
  const indent = match?.[1];
  if (!indent) return { insertSpaces: true, tabSize: 2 };
  if (indent.startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: Math.min(indent.length, 8) };
}

/**
 * Set (or, with `undefined`, remove) the value at `path`, creating parent objects as needed.
 * A parent that exists but is not an object is an error rather than something we replace.
 */
export function setJsoncValue(text: string, file: string, path: JSONPath, value: unknown, grammar?: JsonGrammar): string {
  const hasBom = text.startsWith(BOM);
  const body = hasBom ? text.slice(1) : text;
  const parsed = parseJsonc(body, file, undefined, grammar);
  let cursor: unknown = parsed.value;
  for (const key of path.slice(0, -1)) {
    if (cursor === undefined) break;
    const next = (cursor as Record<string, unknown>)[key as string];
    if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next))) {
      throw new UserError({
        code: 'unparsable-config',
        message: `In ${file}, "${String(key)}" is not an object, so mcp-setup can't add a server under it.`,
        hint: 'Nothing was changed.',
        nextSteps: [`Check the "${String(key)}" key in ${file}.`],
      });
    }
    cursor = next;
  }
  const source = body.trim() === '' ? '{}' : body;
  const inserted = value === undefined ? removeProperty(source, path) : insertProperty(source, path, value);
  if (inserted !== null) return hasBom ? BOM + inserted : inserted;
  const edits = modify(source, path, value, {
    formattingOptions: { ...detectIndent(source), eol: detectEol(source) },
  });
  let out = applyEdits(source, edits);
  if (body.trim() === '' && !out.endsWith('\n')) out += '\n';
  return hasBom ? BOM + out : out;
}

/**
 * Rename the property `from` of the object at `parentPath` to `to`, replacing only the key's own
 * text so the value, its comments and its position stay exactly as they were.
 */
export function renameJsoncKey(text: string, file: string, parentPath: JSONPath, from: string, to: string, grammar?: JsonGrammar): string {
  const hasBom = text.startsWith(BOM);
  const body = hasBom ? text.slice(1) : text;
  parseJsonc(body, file, undefined, grammar);
  const tree = parseTree(body, [], { allowTrailingComma: true });
  const parent = tree ? findNodeAtLocation(tree, parentPath) : undefined;
  const property = parent?.type === 'object' ? parent.children?.find((p) => p.children?.[0]?.value === from) : undefined;
  const key = property?.children?.[0];
  if (!key) return text;
  const out = body.slice(0, key.offset) + JSON.stringify(to) + body.slice(key.offset + key.length);
  return hasBom ? BOM + out : out;
}

/**
 * Add a property that doesn't exist yet as whole new lines after the object's last property.
 * jsonc-parser's `modify` re-formats the line it inserts after, which rewrites a one-line
 * sibling (`"old": { … }, // note`) and moves its comment; this keeps that line byte-for-byte.
 * Returns null when the layout isn't one property per line, so the caller falls back to `modify`.
 */
function insertProperty(source: string, path: JSONPath, value: unknown): string | null {
  const tree = parseTree(source, [], { allowTrailingComma: true });
  if (!tree) return null;
  let parent = tree;
  let depth = 0;
  for (; depth < path.length - 1; depth++) {
    const next = findNodeAtLocation(parent, [path[depth] as string]);
    if (!next) break;
    if (next.type !== 'object') return null;
    parent = next;
  }
  if (depth === path.length - 1 && findNodeAtLocation(parent, [path[depth] as string])) return null;
  const last = parent.children?.[parent.children.length - 1];
  if (parent.type !== 'object' || !last) return null;
  const lineStart = source.lastIndexOf('\n', last.offset - 1) + 1;
  const indent = source.slice(lineStart, last.offset);
  if (!/^[ \t]*$/.test(indent)) return null;
  const end = last.offset + last.length;
  const lineEnd = source.indexOf('\n', end);
  if (lineEnd === -1) return null;
  const rest = source.slice(end, lineEnd).replace(/\r$/, '');
  const match = /^(\s*)(,?)(\s*(?:\/\/.*|\/\*.*\*\/\s*)?)$/.exec(rest);
  if (!match) return null;
  const eol = detectEol(source);
  const { insertSpaces, tabSize } = detectIndent(source);
  const unit = insertSpaces ? ' '.repeat(tabSize) : '\t';
  const nested = path.slice(depth + 1).reduceRight<unknown>((inner, key) => ({ [key as string]: inner }), value);
  const rendered = JSON.stringify(nested, null, unit).split('\n').join(eol + indent);
  const line = `${indent}${JSON.stringify(path[depth])}: ${rendered}`;
  // Keep the object's habit: after a trailing comma the new last property gets one too, so that
  // removing it again (removeProperty) gives back the original bytes.
  if (match[2]) return source.slice(0, lineEnd + 1) + line + ',' + eol + source.slice(lineEnd + 1);
  return source.slice(0, end) + ',' + source.slice(end, lineEnd + 1) + line + eol + source.slice(lineEnd + 1);
}

/**
 * Remove a property that sits on lines of its own, with its line comment, touching nothing
 * else — except the separator comma before it when it was the last property without a trailing
 * comma (the inverse of insertProperty). Null when the layout is anything else.
 */
function removeProperty(source: string, path: JSONPath): string | null {
  const tree = parseTree(source, [], { allowTrailingComma: true });
  const parentNode = tree && findNodeAtLocation(tree, path.slice(0, -1));
  if (!parentNode || parentNode.type !== 'object' || !parentNode.children) return null;
  const index = parentNode.children.findIndex((p) => p.children?.[0]?.value === path[path.length - 1]);
  const prop = parentNode.children[index];
  if (!prop) return source;
  // The only property: let `modify` close the object up to `{}`.
  if (parentNode.children.length === 1) return null;
  const lineStart = source.lastIndexOf('\n', prop.offset - 1) + 1;
  if (!/^[ \t]*$/.test(source.slice(lineStart, prop.offset))) return null;
  const end = prop.offset + prop.length;
  const lineEnd = source.indexOf('\n', end);
  if (lineEnd === -1) return null;
  const rest = /^(\s*)(,?)(\s*(?:\/\/.*|\/\*.*\*\/\s*)?)$/.exec(source.slice(end, lineEnd).replace(/\r$/, ''));
  if (!rest) return null;
  let out = source.slice(0, lineStart) + source.slice(lineEnd + 1);
  const previous = parentNode.children[index - 1];
  const isLast = index === parentNode.children.length - 1;
  if (isLast && !rest[2] && previous) {
    const after = previous.offset + previous.length;
    const comma = /^\s*,/.exec(out.slice(after));
    if (comma) out = out.slice(0, after + comma[0].length - 1) + out.slice(after + comma[0].length);
  }
  return out;
}
