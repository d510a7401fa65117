/** One network request's signal: the caller's (cancel, or the whole flow's budget) and its own cap. */
export function requestSignal(signal: AbortSignal | undefined, ms = 15_000): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}
