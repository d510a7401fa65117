// Investigation aid (bench/trace-sign-in.mjs): with BENCH_STAMP=file, append an epoch-ms stamp for
// each write to stdout/stderr (its first words), for `beforeExit` and for `exit`, so a process's
// own milestones line up with the peer's request trace. Loaded with `node --import`.
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_STAMP;
if (file) {
  const stamp = (what) => appendFileSync(file, `${performance.timeOrigin + performance.now()} proc ${what}\n`);
  for (const name of ['stdout', 'stderr']) {
    const stream = process[name];
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      stamp(`${name}: ${String(chunk).replace(/\u001B\[[0-9;]*m/g, '').trim().slice(0, 60)}`);
      return write(chunk, ...rest);
    };
  }
  process.on('beforeExit', () => stamp('beforeExit'));
  process.on('exit', (code) => stamp(`exit(${code})`));
}
