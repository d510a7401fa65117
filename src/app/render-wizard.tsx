import { render } from 'ink';
import type { Readable, Writable } from 'node:stream';
import { App, type WizardResult } from './App.js';
import type { Answers } from './flow.js';
import { ServicesProvider, type WizardServices } from './services-context.js';

/**
 * Mount the wizard (Ctrl+C handled by App, not Ink, so cancel is clean), wait for its single
 * exit and hand back a typed result; CancelledError rejects. Ink restores raw mode and the
 * cursor on unmount, in every path.
 */
export async function renderWizard(options: {
  services: WizardServices;
  preAnswers: Answers;
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}): Promise<WizardResult> {
  const instance = render(
    <ServicesProvider services={options.services}>
      <App preAnswers={options.preAnswers} />
    </ServicesProvider>,
    {
      stdin: options.stdin as NodeJS.ReadStream,
      stdout: options.stdout as NodeJS.WriteStream,
      stderr: options.stderr as NodeJS.WriteStream,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  try {
    return (await instance.waitUntilExit()) as WizardResult;
  } finally {
    instance.cleanup();
  }
}
