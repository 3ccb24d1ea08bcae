// What a lease's GPUs do, minute by minute from the moment they are granted,
// and the two rules the set-ups apply to it: idle reclaim (the service's own
// decideIdle) and Kueue-style jobs (GPUs held only while work runs).
import {
  IdlePolicy,
  IdleState,
  decideIdle,
} from '../../plugins/gpu-pool-backend/src/services/Reclaim/decideIdle';
import { DutyCycleTrace } from './dutyCycle';
import { MINUTE, TraceLease } from './trace';

/** Duty (0..1) of a lease's GPUs in each minute since its use began. */
export type Duty = (minute: number) => number;

/**
 * The activity of a trace lease: the real series it points to, or, without
 * one, busy for the first `busy_fraction` of the lease and idle after (a
 * lease used, then left: the most favourable shape for reclaim).
 */
export function dutyOf(
  lease: TraceLease,
  dutyCycle: DutyCycleTrace | undefined,
): Duty {
  if (lease.activity) {
    const s = dutyCycle?.series.get(lease.activity.pod);
    if (!s) {
      throw new Error(
        `activity: pod ${
          lease.activity.pod
        } is not among the usable pods of the duty-cycle trace${
          dutyCycle ? ` ${dutyCycle.file}` : ' (none loaded)'
        }`,
      );
    }
    const offset = lease.activity.offsetMin;
    return m => s[(offset + m) % s.length];
  }
  const busyMinutes = Math.round((lease.busyFraction * lease.durationS) / 60);
  return m => (m < busyMinutes ? 1 : 0);
}

/** The part of a lease still to run: its activity from `from` on. */
export function shift(duty: Duty, from: number): Duty {
  return m => duty(from + m);
}

export interface ReclaimOutcome {
  /** Minute since grant at which the lease is reclaimed, if it is. */
  reclaimAtMin?: number;
  nudges: number;
  withdrawn: number;
}

/**
 * Replays the service's check (every `checkMinutes`) over a lease of
 * `minutes` with the service's own decideIdle: the evidence is what the
 * metrics would show, the highest duty of the lease's GPUs over the last
 * `idleMinutes` (all GPUs of a lease follow one series). Nobody answers the
 * nudge, so the lease is reclaimed after the grace unless it gets busy again.
 */
export function idleReclaim(
  duty: Duty,
  minutes: number,
  policy: IdlePolicy,
  checkMinutes: number,
): ReclaimOutcome {
  const state: IdleState = { grantedAt: 0 };
  let nudges = 0;
  let withdrawn = 0;
  const window = Math.max(1, Math.round(policy.idleMinutes));
  for (let t = checkMinutes; t < minutes; t += checkMinutes) {
    let max = 0;
    const from = Math.max(0, t - window);
    for (let m = from; m < t; m++) max = Math.max(max, duty(m));
    const decision = decideIdle(
      {
        kind: 'activity',
        gpus: [{ uuid: 'gpu', maxEngineActive: max, samples: t - from }],
      },
      policy,
      t * MINUTE,
      state,
    );
    if (decision.action === 'nudge') {
      nudges++;
      state.nudgedAt = t * MINUTE;
    } else if (decision.action === 'clear') {
      withdrawn++;
      state.nudgedAt = undefined;
    } else if (decision.action === 'reclaim') {
      return { reclaimAtMin: t, nudges, withdrawn };
    }
  }
  return { nudges, withdrawn };
}

/** First minute in [from, to) with duty at or above the threshold. */
export function resumesAt(
  duty: Duty,
  from: number,
  to: number,
  thresholdPercent: number,
): number | undefined {
  for (let m = from; m < to; m++) {
    if (duty(m) * 100 >= thresholdPercent) return m;
  }
  return undefined;
}

/** A job: GPUs held only while it runs. Minutes are since the lease's start. */
export interface JobSpell {
  /** Idle minutes between the previous job's end (or the lease start) and this job. */
  thinkMin: number;
  runMin: number;
  /** Σ duty over its minutes (busy GPU-minutes per GPU). */
  busyMin: number;
  /** Minute of the lease's activity the job starts at. */
  fromMin: number;
}

/**
 * Cuts a lease's activity into jobs: a job is a maximal run of minutes at or
 * above the threshold, with idle gaps shorter than `mergeGapMin` kept inside
 * the job (nobody stops and resubmits a job for a few quiet minutes). A lease
 * that never gets busy submits no job at all.
 */
export function jobSpells(
  duty: Duty,
  minutes: number,
  thresholdPercent: number,
  mergeGapMin: number,
): JobSpell[] {
  const busy = (m: number) => duty(m) * 100 >= thresholdPercent;
  const spells: Array<{ from: number; to: number }> = [];
  for (let m = 0; m < minutes; m++) {
    if (!busy(m)) continue;
    const last = spells[spells.length - 1];
    if (last && m - last.to < mergeGapMin) last.to = m + 1;
    else spells.push({ from: m, to: m + 1 });
  }
  let prevEnd = 0;
  return spells.map(({ from, to }) => {
    let busyMin = 0;
    for (let m = from; m < to; m++) busyMin += duty(m);
    const spell = {
      thinkMin: from - prevEnd,
      runMin: to - from,
      busyMin,
      fromMin: from,
    };
    prevEnd = to;
    return spell;
  });
}

/** Σ duty over minutes [from, to) stretched by `stretch` (static split). */
export function busyMinutes(duty: Duty, from: number, to: number, stretch = 1) {
  let sum = 0;
  for (let m = from; m < to; m++) sum += duty(Math.floor(m / stretch));
  return sum;
}
