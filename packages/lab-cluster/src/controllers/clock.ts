// The lab's time source. Controllers read it for every timed behaviour
// (`lab.cloud-smart.io/run-seconds`, startTime, completionTime, condition
// times) so tests and benchmarks can run lab time faster than wall time or
// jump it forward.

/** Time as the lab's controllers see it. */
export interface LabClock {
  /** Lab time in epoch milliseconds. */
  now(): number;
  /** Lab seconds per wall-clock second. */
  readonly speed: number;
  /** Moves lab time forward by `ms` at once; due timed pods finish on the next controller pass. */
  advance(ms: number): void;
  /** Called after `advance`, so controllers act at once rather than on their next tick. */
  onAdvance(listener: () => void): () => void;
}

/**
 * Wall-clock time scaled by `speed` from the moment of creation, plus any
 * `advance`. `speed: 60` makes a `run-seconds: "60"` pod finish after one
 * wall-clock second.
 */
export function createLabClock(options: { speed?: number } = {}): LabClock {
  const speed = options.speed ?? 1;
  if (!Number.isFinite(speed) || speed <= 0)
    throw new Error(`speed must be a positive number, got ${options.speed}`);
  const wallStart = Date.now();
  let offset = 0;
  const listeners = new Set<() => void>();
  return {
    speed,
    now: () => wallStart + (Date.now() - wallStart) * speed + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new Error(`advance needs a non-negative number of ms, got ${ms}`);
      offset += ms;
      for (const l of listeners) l();
    },
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** RFC 3339 seconds, as Kubernetes writes metav1.Time. */
export function labTimestamp(clock: LabClock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
}
