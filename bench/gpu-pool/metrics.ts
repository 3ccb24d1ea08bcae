// Figures of one replay, the wait target, and the search for the fewest GPUs
// that meet it.

export interface WaitSample {
  hours: number;
  /** The request fitted its team's allowance (held + queued + it ≤ allowance). */
  withinAllowance: boolean;
}

/** What one set-up did with one trace on one pool size. */
export interface Outcome {
  gpus: number;
  allocatedGpuH: number;
  busyGpuH: number;
  waits: WaitSample[];
  requests: number;
  approvals: number;
  nudges: number;
  withdrawnNudges: number;
  reclaims: number;
  falseReclaims: number;
  reclaimedGpuH: number;
  makespanH: number;
  wallMs: number;
}

/** The q-quantile (nearest rank) of values; 0 for none. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export interface WaitTarget {
  /** p95 wait of requests within the team's allowance, hours. */
  withinAllowanceP95H: number;
  /** p95 wait of all requests, hours. */
  overallP95H: number;
}

export const DEFAULT_TARGET: WaitTarget = {
  withinAllowanceP95H: 1,
  overallP95H: 8,
};

export function waitFigures(waits: WaitSample[]) {
  const all = waits.map(w => w.hours);
  const within = waits.filter(w => w.withinAllowance).map(w => w.hours);
  return {
    p50H: quantile(all, 0.5),
    p95H: quantile(all, 0.95),
    withinP95H: quantile(within, 0.95),
    withinCount: within.length,
  };
}

export function meetsTarget(outcome: Outcome, target: WaitTarget): boolean {
  const f = waitFigures(outcome.waits);
  return (
    f.withinP95H <= target.withinAllowanceP95H && f.p95H <= target.overallP95H
  );
}

export interface SearchResult {
  /** The fewest GPUs that met the target, undefined when none up to the cap did. */
  fewest?: number;
  /** Every pool size replayed, with whether it met the target. */
  tried: Array<{ gpus: number; meets: boolean }>;
}

/**
 * Finds the fewest GPUs whose replay meets the target: doubles from `start`
 * until a size meets it (at most `cap`), then bisects between the largest
 * size known to miss (`min - 1` at first: below `min` a request cannot be
 * placed) and the smallest known to meet. It assumes waits do not grow with
 * more GPUs; the answer and the size one below it are both replayed.
 */
export async function fewestGpus(
  evaluate: (gpus: number) => Promise<boolean>,
  options: { min: number; start: number; cap: number },
): Promise<SearchResult> {
  const tried = new Map<number, boolean>();
  const test = async (gpus: number) => {
    if (!tried.has(gpus)) tried.set(gpus, await evaluate(gpus));
    return tried.get(gpus)!;
  };
  const result = () => ({
    tried: [...tried.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([gpus, meets]) => ({ gpus, meets })),
  });
  // Below `min` a request cannot be placed at all: known to miss.
  let lo = options.min - 1;
  let hi = Math.max(options.min, Math.min(options.start, options.cap));
  while (!(await test(hi))) {
    lo = hi;
    if (hi >= options.cap) return result();
    hi = Math.min(options.cap, hi * 2);
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await test(mid)) hi = mid;
    else lo = mid;
  }
  return { fewest: hi, ...result() };
}

/**
 * Apportions `gpus` among teams in proportion to their weights (largest
 * remainder), at least one each when there are enough GPUs.
 */
export function apportion(
  weights: Map<string, number>,
  gpus: number,
): Map<string, number> {
  const teams = [...weights.keys()].sort();
  const floor = gpus >= teams.length ? 1 : 0;
  const rest = gpus - floor * teams.length;
  const total = teams.reduce((s, t) => s + weights.get(t)!, 0) || 1;
  const exact = teams.map(t => (rest * weights.get(t)!) / total);
  const out = new Map(teams.map((t, i) => [t, floor + Math.floor(exact[i])]));
  let left = gpus - [...out.values()].reduce((s, v) => s + v, 0);
  const order = teams
    .map((t, i) => ({ t, r: exact[i] - Math.floor(exact[i]) }))
    .sort((a, b) => b.r - a.r || a.t.localeCompare(b.t));
  for (const { t } of order) {
    if (left <= 0) break;
    out.set(t, out.get(t)! + 1);
    left--;
  }
  return out;
}
