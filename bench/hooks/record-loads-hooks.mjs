// Loader-thread half of record-loads.mjs: log each loaded module URL (node: builtins excluded).
import { appendFileSync } from 'node:fs';

let file;
export function initialize(data) {
  file = data.file;
}
export async function load(url, context, nextLoad) {
  if (file && !url.startsWith('node:')) appendFileSync(file, `esm:${url}\n`);
  return nextLoad(url, context);
}
