import { undoLastChange } from '../../services/setup.js';
import type { CommandContext } from '../context.js';

export async function runUndo(ctx: CommandContext): Promise<number> {
  const done = await undoLastChange(ctx.deps);
  if (ctx.output.json) ctx.output.data({ undone: done });
  else for (const d of done) ctx.output.out(`${ctx.output.style.green('✔')} ${d.action === 'restored' ? 'Restored' : 'Removed'} ${d.file}`);
  return 0;
}
