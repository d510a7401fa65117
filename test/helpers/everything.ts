import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../fixtures/everything-server.mjs', import.meta.url));

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Start the real server-everything on 127.0.0.1 with a free port, in its own process. */
export async function startEverything(options: { delayMs?: number; transport?: 'streamable-http' | 'sse'; apiKey?: string } = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, [script], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, EVERYTHING_DELAY_MS: String(options.delayMs ?? 0), EVERYTHING_TRANSPORT: options.transport ?? 'streamable-http', EVERYTHING_API_KEY: options.apiKey ?? '' },
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server-everything did not start: ${err}`)), 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /READY (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server-everything exited with ${code}: ${err}`)));
  });
  const path = options.transport === 'sse' ? '/sse' : '/mcp';
  return { url: `http://127.0.0.1:${port}${path}`, port, stop: () => stopChild(child) };
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
}
