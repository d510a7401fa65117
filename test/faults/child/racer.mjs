// A stand-in for an app that rewrites its own config while mcp-setup edits it (Claude Code
// rewrites ~/.claude.json on every start and many state changes). Each write reads the file,
// appends the next counter to `history`, and writes it back, either atomically (temp + rename)
// or in place (truncate + write). Stops when `stopFile` appears; prints the last counter.
// argv: file mode(atomic|inplace) stopFile pauseMs
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const [file, mode, stopFile, pauseArg] = process.argv.slice(2);
const pause = Number(pauseArg ?? 0);
let counter = 0;
let unreadable = 0;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
process.stdout.write('ready\n');
while (!existsSync(stopFile)) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    unreadable++;
    await sleep(1);
    continue;
  }
  doc.history = [...(doc.history ?? []), ++counter];
  const text = JSON.stringify(doc, null, 2) + '\n';
  if (mode === 'atomic') {
    writeFileSync(`${file}.racer.tmp`, text);
    renameSync(`${file}.racer.tmp`, file);
  } else {
    writeFileSync(file, text);
  }
  await sleep(pause);
}
process.stdout.write(`last ${counter} unreadable ${unreadable}\n`);
