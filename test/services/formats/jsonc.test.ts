import fc from 'fast-check';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { loadEditor } from '../../../src/services/formats/index.js';

const json = await loadEditor('jsonc');
const at = { file: '/p/mcp.json', serversPath: ['servers'] };

const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer({ min: -99, max: 999 }), fc.boolean());
const body = fc.dictionary(key, scalar, { minKeys: 1, maxKeys: 3 });

/** A JSONC document in one of several real-world styles: indent, comments, trailing commas, CRLF, BOM. */
const doc = fc
  .record({
    servers: fc.uniqueArray(fc.tuple(key, body), { selector: ([k]) => k, minLength: 1, maxLength: 4 }),
    indent: fc.constantFrom('  ', '    ', '\t'),
    trailing: fc.boolean(),
    comment: fc.constantFrom('', ' // note', ' /* c */'),
    compact: fc.boolean(),
    eol: fc.constantFrom('\n', '\r\n'),
    bom: fc.boolean(),
  })
  .map(({ servers, indent: i, trailing, comment, compact, eol, bom }) => {
    const tc = trailing ? ',' : '';
    const entry = ([name, b]: [string, Record<string, unknown>]) =>
      compact ? `${i}${i}${JSON.stringify(name)}: ${JSON.stringify(b)}` : `${i}${i}${JSON.stringify(name)}: ${JSON.stringify(b, null, i).split('\n').join(eol + i + i)}`;
    const lines = servers.map((s, n) => entry(s) + (n < servers.length - 1 ? ',' : tc) + comment);
    const text = `{${eol}${i}// settings${eol}${i}"other": 1,${eol}${i}"servers": {${eol}${lines.join(eol)}${eol}${i}}${tc}${eol}}${eol}`;
    return { text: (bom ? '\uFEFF' : '') + text, servers };
  });

describe('jsonc editor: properties', () => {
  it('add/replace/remove: outside the entry nothing changes; add then remove restores the bytes', () => {
    fc.assert(
      fc.property(doc, key, fc.option(fc.record({ type: fc.constant('http'), url: fc.webUrl() }), { nil: undefined }), ({ text, servers }, name, entry) => {
        const out = json.setServer(text, at, name, entry);
        const before = parse(text.replace(/^\uFEFF/, '')) as { servers: Record<string, unknown>; other: number };
        const after = parse(out.replace(/^\uFEFF/, '')) as { servers: Record<string, unknown>; other: number };
        const expected = { ...before.servers };
        if (entry === undefined) delete expected[name];
        else expected[name] = entry;
        expect(after.servers).toEqual(expected);
        expect(after.other).toBe(1);
        expect(out.startsWith(text.slice(0, text.indexOf('"servers"')))).toBe(true);
        expect(out.endsWith(text.slice(text.lastIndexOf('}', text.lastIndexOf('}') - 1)))).toBe(true);
        const isNew = !servers.some(([k]) => k === name);
        if (entry && isNew) expect(json.setServer(out, at, name, undefined)).toBe(text);
        if (entry) expect(json.setServer(out, at, name, entry)).toBe(out);
      }),
      { numRuns: 200 },
    );
  });

  it('setField changes one field and keeps the rest of the entry', () => {
    fc.assert(
      fc.property(doc, fc.webUrl(), ({ text, servers }, url) => {
        const [name, b] = servers[0] as [string, Record<string, unknown>];
        const out = json.setField(text, at, name, ['url'], url);
        const after = parse(out.replace(/^\uFEFF/, '')) as { servers: Record<string, Record<string, unknown>> };
        expect(after.servers[name]).toEqual({ ...b, url });
        for (const [other] of servers.slice(1)) expect(after.servers[other]).toEqual((parse(text.replace(/^\uFEFF/, '')) as typeof after).servers[other]);
      }),
      { numRuns: 100 },
    );
  });
});
