import { CancelledError } from '../errors.js';
import type { Check, CheckContext, CheckStatus, Fix, Layer } from './types.js';

export function check(id: string, layer: Layer, status: CheckStatus, detail: string, extra: { hint?: string; fix?: Fix } = {}): Check {
  return { id, layer, status, detail, ...(extra.hint ? { hint: extra.hint } : {}), ...(extra.fix ? { fix: extra.fix } : {}) };
}

/** A signal for one step: the caller's signal, this server's remaining budget and the step's own cap. */
export function stepSignal(ctx: CheckContext, capMs: number): { signal: AbortSignal; ms: number } {
  const ms = Math.max(1, Math.min(capMs, ctx.remainingMs()));
  return { signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(ms)]), ms };
}

/** Throw CancelledError when the user cancelled (not when only a step timed out). */
export function throwIfCancelled(ctx: CheckContext): void {
  if (ctx.signal.aborted && (ctx.signal.reason as { name?: string } | undefined)?.name !== 'TimeoutError') throw new CancelledError();
}

export function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** The name to put in suggested commands: the configured name when there is one. */
export function label(ctx: CheckContext): string {
  const value = ctx.target.name ?? ctx.target.url;
  return /^[A-Za-z0-9._:/@-]+$/.test(value) ? value : `"${value.replace(/"/g, '\\"')}"`;
}

/** The Node system error code anywhere in an error's cause chain (ECONNREFUSED, ENOTFOUND…). */
export { systemCode as errorCode } from '../mcp/classify.js';

export function isIp(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 90_000) return plural(Math.round(abs / 1000), 'second');
  if (abs < 90 * 60_000) return plural(Math.round(abs / 60_000), 'minute');
  if (abs < 36 * 3_600_000) return plural(Math.round(abs / 3_600_000), 'hour');
  return plural(Math.round(abs / 86_400_000), 'day');
}
