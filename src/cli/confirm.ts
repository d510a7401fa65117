import { createInterface } from 'node:readline/promises';
import { UsageError } from '../services/errors.js';
import type { CommandContext } from './context.js';

/**
 * Ask a yes/no question on the terminal (plain readline: no Ink for one question). Without a
 * terminal there is nobody to ask: --yes is required, as the CLI contract says.
 */
export async function confirm(ctx: CommandContext, question: string): Promise<boolean> {
  if (ctx.args.options.yes) return true;
  if (ctx.mode !== 'interactive') throw new UsageError(`${question} Pass --yes to confirm without a prompt.`);
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: ctx.signal });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
