// Demand-trace replay: 10 teams with bursty jobs of varied length on 16 GPUs,
// once as one shared pool and once as a static split of the same 16 GPUs
// (6 teams own 2, 4 teams own 1), both driven through the REAL
// DefaultGpuPoolService and its GpuPoolStore (SQLite in memory) on a virtual
// clock. Prints pool utilisation and queue waits side by side.
//
// Run (from the repository root, after `source scripts/env.sh`):
//   node_modules/.bin/tsx bench/gpu-pool/traceReplay.ts
// Env: SEED (default 42), DAYS (trace length, default 28),
//      APPROVAL_DELAY_MIN (platform team's reaction to requests above the
//      allowance in the shared pool, default 0).
//
// The trace is generated first from a seeded PRNG, then replayed unchanged
// in both set-ups. Only the bench's event loop is its own: admission, the
// queue order, allowances/approvals, leases and grant bookkeeping are the
// service's; utilisation and waits are read back from the store.
import knexFactory, { Knex } from 'knex';
import { ConfigReader } from '@backstage/config';
import { formatDuration } from '@internal/plugin-gpu-pool-common';
import { readGpuPoolConfig } from '../../plugins/gpu-pool-backend/src/config/readGpuPoolConfig';
import { GpuPoolStore } from '../../plugins/gpu-pool-backend/src/database/GpuPoolStore';
import { newNamespacesOnly } from '../../plugins/gpu-pool-backend/src/testing/newNamespacesOnly';
import { CapacityService } from '../../plugins/gpu-pool-backend/src/services/Capacity/CapacityService';
import {
  DefaultGpuPoolService,
  GpuPoolChange,
} from '../../plugins/gpu-pool-backend/src/services/GpuPool/DefaultGpuPoolService';
import { GpuPoolUser } from '../../plugins/gpu-pool-backend/src/services/GpuPool/types';

const SEED = Number(process.env.SEED ?? 42);
const DAYS = Number(process.env.DAYS ?? 28);
const APPROVAL_DELAY_MS = Number(process.env.APPROVAL_DELAY_MIN ?? 0) * 60_000;
const GPUS = 16;
const TEAMS = 10;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5); // a Monday
const HORIZON = DAYS * DAY;

// ---- the trace ------------------------------------------------------------

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Job {
  n: number;
  team: number;
  arrival: number; // ms since T0
  gpus: number;
  lengthMs: number;
}

/**
 * Teams alternate quiet spells (exponential, mean 5 days) and bursts
 * (1–3 days) in which jobs arrive as a Poisson process during working hours
 * (09–19 on weekdays). Team activity differs (a few heavy users, many
 * light ones). Jobs take 1, 2 or 4 GPUs (55/30/15 %) for a log-normal time
 * (median 3 h, σ 1.0, clamped to 15 min–48 h).
 */
function generateTrace(seed: number): Job[] {
  const rand = prng(seed);
  const exp = (mean: number) => -Math.log(1 - rand()) * mean;
  const normal = () =>
    Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const activity = [2.2, 1.8, 1.5, 1.2, 1, 0.8, 0.6, 0.5, 0.4, 0.3];
  const jobs: Job[] = [];
  for (let team = 0; team < TEAMS; team++) {
    let t = exp(2.5 * DAY);
    while (t < HORIZON) {
      const burstEnd = Math.min(HORIZON, t + (1 + 2 * rand()) * DAY);
      const perHour = 0.45 * activity[team];
      while (t < burstEnd) {
        t += exp(HOUR / perHour);
        const hour = new Date(T0 + t).getUTCHours();
        const weekday = new Date(T0 + t).getUTCDay();
        if (
          t >= burstEnd ||
          hour < 9 ||
          hour >= 19 ||
          weekday === 0 ||
          weekday === 6
        ) {
          continue;
        }
        const r = rand();
        const gpus = r < 0.55 ? 1 : r < 0.85 ? 2 : 4;
        const hours = Math.min(
          48,
          Math.max(0.25, 3 * Math.exp(1.0 * normal())),
        );
        jobs.push({
          n: 0,
          team,
          arrival: Math.round(t / 60_000) * 60_000,
          gpus,
          lengthMs: Math.round(hours * 60) * 60_000,
        });
      }
      t = burstEnd + exp(5 * DAY);
    }
  }
  jobs.sort((a, b) => a.arrival - b.arrival || a.team - b.team);
  jobs.forEach((j, i) => (j.n = i));
  return jobs;
}

// ---- replay through the service ---------------------------------------------

const silentLogger: any = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

/** Static shares: the 6 most active teams own 2 GPUs, the other 4 own 1. */
const shares = Array.from({ length: TEAMS }, (_, i) => (i < 6 ? 2 : 1));

const teamRef = (i: number) => `group:default/team-${i}`;
function member(i: number): GpuPoolUser {
  return {
    credentials: {} as any,
    userEntityRef: `user:default/dev-${i}`,
    ownershipEntityRefs: [`user:default/dev-${i}`, teamRef(i)],
    isPlatformTeam: false,
  };
}
const platform: GpuPoolUser = {
  credentials: {} as any,
  userEntityRef: 'user:default/operator',
  ownershipEntityRefs: ['user:default/operator', 'group:default/platform-team'],
  isPlatformTeam: true,
};

interface Setup {
  name: string;
  pools: Array<{ id: string; capacity: number }>;
  allowances: Array<{ team: string; pool: string; gpus: number }>;
  /** Pool, GPUs and run time of a job in this set-up. */
  place(job: Job): { pool: string; count: number; lengthMs: number };
}

function sharedPool(gpus: number, name = `shared pool (${gpus})`): Setup {
  return {
    name,
    pools: [{ id: 'shared', capacity: gpus }],
    // The static share is each team's guaranteed allowance; above it the
    // platform team approves (after APPROVAL_DELAY_MIN).
    allowances: shares.map((gpus, i) => ({
      team: teamRef(i),
      pool: 'shared',
      gpus,
    })),
    place: job => ({ pool: 'shared', count: job.gpus, lengthMs: job.lengthMs }),
  };
}

const split: Setup = {
  name: 'static split',
  pools: shares.map((capacity, i) => ({ id: `team-${i}`, capacity })),
  allowances: shares.map((_, i) => ({
    team: teamRef(i),
    pool: `team-${i}`,
    gpus: 1000,
  })),
  // A job wider than the team's share runs on the share for proportionally
  // longer (same GPU-hours): it cannot borrow another team's GPUs.
  place: job => {
    const count = Math.min(job.gpus, shares[job.team]);
    return {
      pool: `team-${job.team}`,
      count,
      lengthMs: Math.round((job.lengthMs * job.gpus) / count),
    };
  },
};

interface Result {
  name: string;
  gpus: number;
  utilisation: number;
  meanWaitH: number;
  p50WaitH: number;
  p95WaitH: number;
  maxWaitH: number;
  waitedShare: number;
  doneInWindow: number;
  backlogGpuH: number;
  drainDays: number;
  approvals: number;
  wallMs: number;
}

async function replay(setup: Setup, jobs: Job[]): Promise<Result> {
  const started = Date.now();
  const knex: Knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
    pool: { min: 1, max: 1 },
  });
  let now = T0;
  try {
    const store = await GpuPoolStore.create({
      database: { getClient: async () => knex },
    });
    const config = readGpuPoolConfig(
      new ConfigReader({
        gpuPool: {
          pools: setup.pools.map(p => ({
            id: p.id,
            cluster: 'lab-main',
            resource: 'nvidia.com/gpu',
            maxPerRequest: p.capacity,
            maxDuration: 'P30D',
            defaultDuration: 'P1D',
          })),
          allowances: setup.allowances,
          // The trace measures GPU sharing: CPU and memory never need approval.
          compute: { defaultAllowance: { cpu: '100000', memory: '1000Ti' } },
        },
      }),
    );
    const totalGpus = setup.pools.reduce((sum, p) => sum + p.capacity, 0);
    const capacities = new Map(
      setup.pools.map(p => [p.id, { capacity: p.capacity, live: true }]),
    );
    const capacity: CapacityService = { getCapacities: async () => capacities };
    const service = await DefaultGpuPoolService.create({
      store,
      config,
      capacity,
      kubernetes: newNamespacesOnly(['lab-main']),
      logger: silentLogger,
      clock: { now: () => now },
    });
    const changes: GpuPoolChange[] = [];
    service.onChange(c => changes.push(...c));

    type Event =
      | { at: number; kind: 'arrive'; job: Job }
      | { at: number; kind: 'approve'; id: string }
      | { at: number; kind: 'finish'; id: string; team: number }
      | { at: number; kind: 'tick' };
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
    for (const job of jobs) push({ at: T0 + job.arrival, kind: 'arrive', job });
    for (let t = 6 * HOUR; t < HORIZON; t += 6 * HOUR)
      push({ at: T0 + t, kind: 'tick' });

    const jobOf = new Map<string, { job: Job; lengthMs: number }>();
    let approvals = 0;
    // Grants start jobs at once (the reconciler's latency is measured by the
    // other benchmark); the job releases its lease when it is done.
    const drain = async () => {
      while (changes.length) {
        const change = changes.shift()!;
        if (change.to !== 'provisioning') continue;
        const placed = jobOf.get(change.request.id)!;
        await service.markActive(change.request.id, 'bench: job started');
        push({
          at: now + placed.lengthMs,
          kind: 'finish',
          id: change.request.id,
          team: placed.job.team,
        });
      }
    };

    while (events.length) {
      const e = events.shift()!;
      now = e.at;
      if (e.kind === 'arrive') {
        const { pool, count, lengthMs } = setup.place(e.job);
        const created = await service.createRequest(
          {
            team: teamRef(e.job.team),
            cluster: 'lab-main',
            namespace: `team-${e.job.team}-jobs`,
            gpus: [{ pool, count }],
            cpu: '8',
            memory: '64Gi',
            duration: formatDuration(Math.ceil(lengthMs / HOUR) * HOUR),
            justification: `job ${e.job.n}`,
          },
          member(e.job.team),
        );
        jobOf.set(created.id, { job: e.job, lengthMs });
        if (created.status === 'pending-approval') {
          approvals++;
          push({
            at: now + APPROVAL_DELAY_MS,
            kind: 'approve',
            id: created.id,
          });
        }
      } else if (e.kind === 'approve') {
        await service.approve(e.id, platform, 'bench: approved');
      } else if (e.kind === 'finish') {
        await service.release(e.id, member(e.team), 'bench: job done');
      } else {
        await service.processLeases();
      }
      await drain();
    }

    // Figures from the store: grant intervals and request times.
    const end = T0 + HORIZON;
    let busy = 0;
    let backlog = 0;
    let lastRelease = T0;
    for (const g of await store.read.grantIntervals()) {
      const released = g.releasedAt ?? now;
      busy +=
        g.count *
        Math.max(0, Math.min(released, end) - Math.min(g.grantedAt, end));
      backlog += g.count * Math.max(0, released - Math.max(g.grantedAt, end));
      lastRelease = Math.max(lastRelease, released);
    }
    const rows = await store.read.listRequests({});
    if (
      rows.length !== jobs.length ||
      rows.some(r => r.status !== 'released')
    ) {
      throw new Error(`${setup.name}: not every job ran and was released`);
    }
    const waits = rows
      .map(r => (r.grantedAt! - r.createdAt) / HOUR)
      .sort((a, b) => a - b);
    const q = (p: number) =>
      waits[Math.min(waits.length - 1, Math.floor(p * waits.length))];
    const finishedInWindow = rows.filter(r => {
      const placed = jobOf.get(r.id)!;
      return r.grantedAt! + placed.lengthMs <= end;
    }).length;
    return {
      name: setup.name,
      gpus: totalGpus,
      utilisation: busy / (totalGpus * HORIZON),
      meanWaitH: waits.reduce((s, w) => s + w, 0) / waits.length,
      p50WaitH: q(0.5),
      p95WaitH: q(0.95),
      maxWaitH: waits[waits.length - 1],
      waitedShare: waits.filter(w => w > 0).length / waits.length,
      doneInWindow: finishedInWindow,
      backlogGpuH: backlog / HOUR,
      drainDays: (lastRelease - T0) / DAY,
      approvals,
      wallMs: Date.now() - started,
    };
  } finally {
    await knex.destroy();
  }
}

async function main() {
  const jobs = generateTrace(SEED);
  const gpuHours = jobs.reduce((s, j) => s + (j.gpus * j.lengthMs) / HOUR, 0);
  const perTeam = Array.from({ length: TEAMS }, (_, i) =>
    jobs
      .filter(j => j.team === i)
      .reduce((s, j) => s + (j.gpus * j.lengthMs) / HOUR, 0),
  );
  console.log(
    `trace: seed ${SEED}, ${DAYS} days, ${jobs.length} jobs, ${gpuHours.toFixed(
      0,
    )} GPU-hours ` +
      `(offered load ${((100 * gpuHours) / ((GPUS * HORIZON) / HOUR)).toFixed(
        1,
      )} % of ${GPUS} GPUs)`,
  );
  console.log(
    `GPU-hours per team: ${perTeam
      .map(h => h.toFixed(0))
      .join(' / ')}; static shares: ${shares.join(' / ')}`,
  );

  const results: Result[] = [];
  for (const setup of [split, sharedPool(GPUS, 'shared pool')]) {
    results.push(await replay(setup, jobs));
  }
  // What else sharing buys: the fewest pooled GPUs whose mean wait is still
  // no worse than the static split's on 16.
  let fewest: Result | undefined;
  for (let gpus = GPUS - 1; gpus >= 4; gpus--) {
    const r = await replay(sharedPool(gpus), jobs);
    if (r.meanWaitH > results[0].meanWaitH) break;
    fewest = r;
  }
  if (fewest) results.push(fewest);
  const row = (label: string, f: (r: Result) => string) =>
    console.log(
      `${label.padEnd(36)}${results.map(r => f(r).padStart(16)).join('')}`,
    );
  console.log('');
  row('', r => r.name);
  row('GPUs', r => String(r.gpus));
  row(
    `GPU utilisation over the ${DAYS} days`,
    r => `${(100 * r.utilisation).toFixed(1)} %`,
  );
  row('mean queue wait', r => `${r.meanWaitH.toFixed(2)} h`);
  row('median queue wait', r => `${r.p50WaitH.toFixed(2)} h`);
  row('p95 queue wait', r => `${r.p95WaitH.toFixed(2)} h`);
  row('longest queue wait', r => `${r.maxWaitH.toFixed(1)} h`);
  row('jobs that waited at all', r => `${(100 * r.waitedShare).toFixed(0)} %`);
  row(
    `jobs finished within the ${DAYS} days`,
    r => `${r.doneInWindow} / ${jobs.length}`,
  );
  row('GPU-hours spilled past the window', r => r.backlogGpuH.toFixed(0));
  row('all work done after', r => `${r.drainDays.toFixed(1)} d`);
  row('requests that needed approval', r => String(r.approvals));
  row('replay wall time', r => `${(r.wallMs / 1000).toFixed(1)} s`);
  if (fewest) {
    console.log(
      `\nthe last column: the fewest pooled GPUs whose mean wait is no worse than the static split on ${GPUS}`,
    );
  }
  console.log(
    'strategy paper (shared/reference, section 6.1.3): GPUs dedicated to teams are busy 20–30 % of the time.',
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
