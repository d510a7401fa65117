import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { ReactElement } from 'react';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;

class FakeStdout extends EventEmitter {
  columns = 100;
  rows = 40;
  isTTY = true;
  last = '';
  write = (frame: string) => {
    // Unmounting writes an empty frame; the last real one is what the user is left looking at.
    if (frame.replace(ANSI, '').trim() !== '') this.last = frame;
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export const KEY = { enter: '\r', up: '\u001B[A', down: '\u001B[B', escape: '\u001B', ctrlC: '\u0003' } as const;

/**
 * A tiny screen-test harness: press a key, then wait for a frame that shows the text (no
 * sleeps). Its timeout error prints the last frame.
 */
export function renderTui(tree: ReactElement) {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  const frame = () => stdout.last.replace(ANSI, '');
  return {
    frame,
    exited: instance.waitUntilExit(),
    press(key: string) {
      stdin.write(key);
    },
    /** Typed text arrives as one chunk, like a paste (ink-text-input drops keys sent faster than it re-renders). */
    type(text: string) {
      stdin.write(text);
    },
    async waitForText(text: string | RegExp, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      const has = () => (typeof text === 'string' ? frame().includes(text) : text.test(frame()));
      while (!has()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(text)}. Last frame:\n${frame()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      // A frame is drawn before React runs the new screen's effects, and Ink subscribes input
      // handlers in an effect: let them attach so the next key isn't sent into the void.
      await new Promise((r) => setTimeout(r, 30));
    },
    /** Press a key and wait for the next frame (keys faster than re-renders can be dropped). */
    async pressAndWait(key: string, timeoutMs = 5_000) {
      const before = frame();
      stdin.write(key);
      const deadline = Date.now() + timeoutMs;
      while (frame() === before) {
        if (Date.now() > deadline) throw new Error(`No new frame after ${JSON.stringify(key)}. Last frame:\n${frame()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, 30));
    },
    /** Press ↓ (one key per frame, as a person would) until the highlighted row matches. */
    async select(row: RegExp, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!new RegExp(`❯.*${row.source}`).test(frame())) {
        if (Date.now() > deadline) throw new Error(`Never highlighted ${String(row)}. Last frame:\n${frame()}`);
        const before = frame();
        stdin.write(KEY.down);
        while (frame() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, 30));
      }
    },
    unmount: () => instance.unmount(),
  };
}
