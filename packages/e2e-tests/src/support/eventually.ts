/**
 * Waits for a condition that becomes true asynchronously (a signal, a watch
 * event, a reconcile): polls `fn` until it returns a truthy value and returns
 * that value, or fails after `timeoutMs` naming what was awaited and the last
 * error `fn` threw. Every end-to-end test awaits through this one helper.
 */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  options: { timeoutMs: number; intervalMs?: number; what?: string },
): Promise<T> {
  const { timeoutMs, intervalMs = 250, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() + intervalMs > deadline) break;
    await new Promise(r => setTimeout(r, intervalMs));
  }
  throw new Error(
    `${what} not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`,
  );
}
