// Bundled in place of iconv-lite (≈ 490 kB of code pages), which express's body parsers pull in
// through the SDK's auth router used by `mcp-setup demo`: its requests are UTF-8 JSON and forms.
// Same API surface raw-body and body-parser use; other encodings fail as iconv-lite would.
const LABELS = new Map([
  ['utf8', 'utf-8'], ['utf-8', 'utf-8'], ['unicode-1-1-utf-8', 'utf-8'],
  ['utf16le', 'utf-16le'], ['utf-16le', 'utf-16le'], ['ucs2', 'utf-16le'], ['ucs-2', 'utf-16le'],
  ['latin1', 'latin1'], ['iso-8859-1', 'latin1'], ['binary', 'latin1'], ['ascii', 'latin1'], ['us-ascii', 'latin1'],
]);

function label(encoding) {
  const found = LABELS.get(String(encoding).toLowerCase());
  if (!found) throw new Error(`Encoding not recognized: '${encoding}' (searched as: '${String(encoding).toLowerCase()}')`);
  return found;
}

export function encodingExists(encoding) {
  return LABELS.has(String(encoding).toLowerCase());
}

export function getDecoder(encoding) {
  const decoder = new TextDecoder(label(encoding));
  return { write: (chunk) => decoder.decode(chunk, { stream: true }), end: () => decoder.decode() || undefined };
}

export function decode(buffer, encoding) {
  return new TextDecoder(label(encoding)).decode(buffer);
}

export default { encodingExists, getDecoder, decode };
