/**
 * An AbortSignal that fires when either a timeout elapses or a parent signal
 * aborts, and that remembers which of the two happened so the caller can
 * report a timeout differently from a cancellation.
 *
 * Unlike `AbortSignal.timeout`, the timer is cleared on `dispose()`, so no
 * timers outlive the request.
 */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly parent?: AbortSignal;
  private readonly timeoutMs?: number;
  private timer?: ReturnType<typeof setTimeout>;
  private timedOut = false;
  private readonly onParentAbort = () => this.controller.abort();

  constructor(options: { timeoutMs?: number; parent?: AbortSignal }) {
    this.signal = this.controller.signal;
    this.parent = options.parent;
    this.timeoutMs = options.timeoutMs;
    if (this.parent?.aborted) {
      this.controller.abort();
    } else {
      this.parent?.addEventListener('abort', this.onParentAbort, {
        once: true,
      });
    }
    if (options.timeoutMs && options.timeoutMs > 0 && !this.signal.aborted) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort();
      }, options.timeoutMs);
    }
  }

  /** Stops the timer but keeps following the parent signal. */
  clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Releases the timer and the parent listener. */
  dispose(): void {
    this.clearTimer();
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }

  /**
   * Replaces the generic error produced by an aborted socket with one that
   * says why it was aborted.
   */
  explain(err: unknown): unknown {
    if (this.timedOut) {
      return createTimeoutError(this.timeoutMs ?? 0);
    }
    if (this.parent?.aborted) {
      return createAbortError();
    }
    return err;
  }
}

/** An error recognised by `toBackstageError` as a timeout. */
export function createTimeoutError(timeoutMs: number): Error {
  return Object.assign(new Error(`request timed out after ${timeoutMs}ms`), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });
}

/** An error recognised as a cancellation by the caller. */
export function createAbortError(): Error {
  return Object.assign(new Error('request aborted'), { name: 'AbortError' });
}
