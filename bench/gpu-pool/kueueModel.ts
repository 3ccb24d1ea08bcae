// Kueue-style job queueing, as a MODEL in the bench: in a real cluster the
// admission is Kueue's (kueue.x-k8s.io), not the portal's, so there is no
// service to replay here. The model follows the portal's Kueue set-up
// (plugins/gpu-pool-backend README): one ClusterQueue per team in one cohort,
// the team's allowance as its nominal quota, borrowing of idle quota from
// the cohort without a limit, no preemption (a borrower keeps what it got
// until its job ends), and StrictFIFO within each team's queue.
//
// A lease becomes the jobs its activity holds (activity.ts jobSpells): GPUs
// are held only while a job runs. Jobs of one lease run one after another;
// the next is submitted after the previous one ended plus the idle time that
// separated them in the trace (the person thinking, editing, away), so a
// queue wait delays the rest of that lease's work.
import { jobSpells } from './activity';
import { Outcome, WaitSample } from './metrics';
import { Lease } from './serviceReplay';
import { HOUR, MINUTE } from './trace';

export interface KueueSetup {
  gpus: number;
  /** Per team: its nominal quota. */
  shares: Map<string, number>;
  thresholdPercent: number;
  mergeGapMin: number;
}

interface Job {
  team: string;
  gpus: number;
  submitAt: number;
  runMs: number;
  busyMin: number;
  withinAllowance: boolean;
  /** The lease's next jobs, submitted one after another. */
  rest: Array<{ thinkMin: number; runMin: number; busyMin: number }>;
}

export function replayKueue(setup: KueueSetup, leases: Lease[]): Outcome {
  const started = Date.now();
  type Event =
    | { at: number; kind: 'submit'; job: Job }
    | { at: number; kind: 'finish'; job: Job };
  const events: Event[] = [];
  const push = (e: Event) => {
    let lo = 0;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid].at <= e.at) lo = mid + 1;
      else hi = mid;
    }
    events.splice(lo, 0, e);
  };
  const jobOf = (
    team: string,
    gpus: number,
    at: number,
    spells: Job['rest'],
  ): Job => ({
    team,
    gpus,
    submitAt: at,
    runMs: spells[0].runMin * MINUTE,
    busyMin: spells[0].busyMin,
    withinAllowance: false,
    rest: spells.slice(1),
  });
  let jobs = 0;
  for (const lease of leases) {
    const spells = jobSpells(
      lease.duty,
      lease.minutes,
      setup.thresholdPercent,
      setup.mergeGapMin,
    );
    if (spells.length === 0) continue;
    push({
      at: lease.submitMs + spells[0].thinkMin * MINUTE,
      kind: 'submit',
      job: jobOf(lease.team, lease.gpus, 0, spells),
    });
  }
  const queues = new Map<string, Job[]>();
  const running = new Map<string, number>();
  const queued = new Map<string, number>();
  for (const team of setup.shares.keys()) {
    queues.set(team, []);
    running.set(team, 0);
    queued.set(team, 0);
  }
  let free = setup.gpus;
  const waits: WaitSample[] = [];
  let allocatedGpuMin = 0;
  let busyGpuMin = 0;
  let now = 0;
  let borrowedAdmissions = 0;

  const admit = () => {
    for (;;) {
      let best: Job | undefined;
      let bestBorrows = true;
      for (const [team, queue] of queues) {
        const head = queue[0];
        if (!head || head.gpus > free) continue;
        const borrows =
          running.get(team)! + head.gpus > setup.shares.get(team)!;
        // Kueue considers heads that fit their nominal quota before
        // borrowers, then the oldest first.
        if (
          !best ||
          (bestBorrows && !borrows) ||
          (bestBorrows === borrows && head.submitAt < best.submitAt)
        ) {
          best = head;
          bestBorrows = borrows;
        }
      }
      if (!best) return;
      queues.get(best.team)!.shift();
      queued.set(best.team, queued.get(best.team)! - best.gpus);
      running.set(best.team, running.get(best.team)! + best.gpus);
      free -= best.gpus;
      if (bestBorrows) borrowedAdmissions++;
      waits.push({
        hours: (now - best.submitAt) / HOUR,
        withinAllowance: best.withinAllowance,
      });
      allocatedGpuMin += (best.gpus * best.runMs) / MINUTE;
      busyGpuMin += best.gpus * best.busyMin;
      push({ at: now + best.runMs, kind: 'finish', job: best });
    }
  };

  while (events.length) {
    const e = events.shift()!;
    now = e.at;
    const { job } = e;
    if (e.kind === 'submit') {
      jobs++;
      job.submitAt = now;
      const team = job.team;
      if (!queues.has(team)) {
        throw new Error(`team ${team} has no ClusterQueue in the model`);
      }
      job.withinAllowance =
        running.get(team)! + queued.get(team)! + job.gpus <=
        setup.shares.get(team)!;
      queues.get(team)!.push(job);
      queued.set(team, queued.get(team)! + job.gpus);
    } else {
      running.set(job.team, running.get(job.team)! - job.gpus);
      free += job.gpus;
      if (job.rest.length) {
        const next = job.rest;
        push({
          at: now + next[0].thinkMin * MINUTE,
          kind: 'submit',
          job: jobOf(job.team, job.gpus, 0, next),
        });
      }
    }
    admit();
  }
  if ([...queues.values()].some(q => q.length) || free !== setup.gpus) {
    throw new Error('kueue model: jobs left queued or running at the end');
  }
  return {
    gpus: setup.gpus,
    allocatedGpuH: allocatedGpuMin / 60,
    busyGpuH: busyGpuMin / 60,
    waits,
    requests: jobs,
    approvals: borrowedAdmissions,
    nudges: 0,
    withdrawnNudges: 0,
    reclaims: 0,
    falseReclaims: 0,
    reclaimedGpuH: 0,
    makespanH: now / HOUR,
    wallMs: Date.now() - started,
  };
}
