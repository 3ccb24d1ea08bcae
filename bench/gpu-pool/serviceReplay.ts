// Replays leases through the REAL GPU pool service and its store (SQLite in
// memory) on a virtual clock: a static split, a shared pool with leases, and
// the shared pool with idle reclaim. Only the bench's event loop is its own:
// admission, queue order, allowances and approvals, leases and the grant
// bookkeeping are the service's; allocation and waits are read back from the
// store. Idle reclaim applies the service's own decideIdle to the lease's
// activity and ends the lease through the service's release path.
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
import { IdlePolicy } from '../../plugins/gpu-pool-backend/src/services/Reclaim/decideIdle';
import {
  RECLAIMED_IDLE,
  gpuPoolReleasePath,
} from '../../plugins/gpu-pool-backend/src/services/Reclaim/IdleReclaimService';
import { Duty, busyMinutes, idleReclaim, resumesAt, shift } from './activity';
import { Outcome, WaitSample } from './metrics';
import { HOUR, MINUTE } from './trace';

/** A lease ready to replay: the trace row with its activity resolved. */
export interface Lease {
  n: number;
  team: string;
  submitMs: number;
  gpus: number;
  minutes: number;
  duty: Duty;
}

export interface ServiceSetup {
  kind: 'static' | 'shared' | 'reclaim';
  gpus: number;
  /** Per team: its static share, and its allowance in the shared pool. */
  shares: Map<string, number>;
  reclaim?: { policy: IdlePolicy; checkMinutes: number };
  approvalDelayMs: number;
}

const T0 = Date.UTC(2026, 0, 5);

/**
 * The service breaks ties between requests created at the same instant by
 * their random ids; a few milliseconds per lease keep the trace's order and
 * make replays repeatable.
 */
function tieBreakMs(lease: Lease) {
  return lease.n % 60_000;
}

const silentLogger: any = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
};

const groupRef = (team: string) => `group:default/${team}`;
function member(team: string): GpuPoolUser {
  return {
    credentials: {} as any,
    userEntityRef: `user:default/dev-${team}`,
    ownershipEntityRefs: [`user:default/dev-${team}`, groupRef(team)],
    isPlatformTeam: false,
  };
}
const platform: GpuPoolUser = {
  credentials: {} as any,
  userEntityRef: 'user:default/operator',
  ownershipEntityRefs: ['user:default/operator', 'group:default/platform-team'],
  isPlatformTeam: true,
};

/** A piece of a lease in the service: the original or a re-request. */
interface Run {
  lease: Lease;
  /** Activity minute this run starts at (0, or where a reclaimed lease resumed). */
  fromMin: number;
  minutes: number;
  pool: string;
  count: number;
  /** Static split: a lease wider than the share runs longer on fewer GPUs. */
  stretch: number;
  withinAllowance: boolean;
  grantedAt?: number;
  reclaimed?: boolean;
}

export async function replayService(
  setup: ServiceSetup,
  leases: Lease[],
): Promise<Outcome> {
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
    const teams = [...setup.shares.keys()];
    const pools =
      setup.kind === 'static'
        ? teams.map(t => ({ id: t, capacity: setup.shares.get(t)! }))
        : [{ id: 'shared', capacity: setup.gpus }];
    const config = readGpuPoolConfig(
      new ConfigReader({
        gpuPool: {
          pools: pools.map(p => ({
            id: p.id,
            cluster: 'lab-main',
            resource: 'nvidia.com/gpu',
            maxPerRequest: p.capacity,
            maxDuration: 'P30D',
            defaultDuration: 'P1D',
          })),
          allowances: teams.map(t => ({
            team: groupRef(t),
            pool: setup.kind === 'static' ? t : 'shared',
            // A team's own pool in the split needs no approval.
            gpus: setup.kind === 'static' ? 1000 : setup.shares.get(t)!,
          })),
          // The replay measures GPU sharing: CPU and memory never need approval.
          compute: { defaultAllowance: { cpu: '100000', memory: '1000Ti' } },
        },
      }),
    );
    const capacities = new Map(
      pools.map(p => [p.id, { capacity: p.capacity, live: true }]),
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
    // Idle reclaim ends leases the way the reclaim service does.
    const releasePath = gpuPoolReleasePath(service);

    type Event =
      | { at: number; kind: 'arrive'; run: Run }
      | { at: number; kind: 'approve'; id: string }
      | { at: number; kind: 'finish'; id: string }
      | { at: number; kind: 'reclaim'; id: string; atMin: number }
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
    const held = new Map<string, number>(); // team → GPUs held or queued
    const place = (lease: Lease, fromMin: number, minutes: number): Run => {
      const share = setup.shares.get(lease.team)!;
      const count =
        setup.kind === 'static' ? Math.min(lease.gpus, share) : lease.gpus;
      const stretch = lease.gpus / count;
      return {
        lease,
        fromMin,
        minutes: Math.ceil(minutes * stretch),
        pool: setup.kind === 'static' ? lease.team : 'shared',
        count,
        stretch,
        withinAllowance: false,
      };
    };
    for (const lease of leases) {
      push({
        at: T0 + lease.submitMs + tieBreakMs(lease),
        kind: 'arrive',
        run: place(lease, 0, lease.minutes),
      });
    }
    const lastSubmit = Math.max(...leases.map(l => l.submitMs));
    for (let t = 6 * HOUR; t < lastSubmit; t += 6 * HOUR) {
      push({ at: T0 + t, kind: 'tick' });
    }

    const runs = new Map<string, Run>();
    let approvals = 0;
    let nudges = 0;
    let withdrawn = 0;
    let reclaims = 0;
    let falseReclaims = 0;
    let reclaimedGpuH = 0;
    let busyGpuMin = 0;
    // Grants start at once (the reconciler's latency is the other
    // benchmark's); a lease is released when its time is up.
    const drain = async () => {
      while (changes.length) {
        const change = changes.shift()!;
        if (change.to !== 'provisioning') continue;
        const id = change.request.id;
        const run = runs.get(id)!;
        run.grantedAt = now;
        await service.markActive(id, 'bench: lease in use');
        push({ at: now + run.minutes * MINUTE, kind: 'finish', id });
        if (setup.reclaim) {
          const r = idleReclaim(
            shift(run.lease.duty, run.fromMin),
            run.minutes,
            setup.reclaim.policy,
            setup.reclaim.checkMinutes,
          );
          nudges += r.nudges;
          withdrawn += r.withdrawn;
          if (r.reclaimAtMin !== undefined) {
            push({
              at: now + r.reclaimAtMin * MINUTE,
              kind: 'reclaim',
              id,
              atMin: r.reclaimAtMin,
            });
          }
        }
      }
    };
    const ended = (run: Run, heldMin: number) => {
      held.set(run.lease.team, held.get(run.lease.team)! - run.count);
      busyGpuMin +=
        run.count *
        busyMinutes(
          shift(run.lease.duty, run.fromMin),
          0,
          heldMin,
          run.stretch,
        );
    };

    while (events.length) {
      const e = events.shift()!;
      now = e.at;
      if (e.kind === 'arrive') {
        const { run } = e;
        const team = run.lease.team;
        const before = held.get(team) ?? 0;
        run.withinAllowance = before + run.count <= setup.shares.get(team)!;
        held.set(team, before + run.count);
        const created = await service.createRequest(
          {
            team: groupRef(team),
            cluster: 'lab-main',
            namespace: `${team}-work`,
            gpus: [{ pool: run.pool, count: run.count }],
            cpu: '8',
            memory: '64Gi',
            duration: formatDuration(
              Math.max(1, Math.ceil((run.minutes * MINUTE) / HOUR)) * HOUR,
            ),
            justification: `lease ${run.lease.n}`,
          },
          member(team),
        );
        runs.set(created.id, run);
        if (setup.kind !== 'static') {
          // The bench's "within allowance" is the service's own verdict.
          const serviceSays = created.status !== 'pending-approval';
          if (serviceSays !== run.withinAllowance) {
            throw new Error(
              `lease ${run.lease.n}: the bench counts ${before} GPUs of ${team} but the service decided ${created.status}`,
            );
          }
        }
        if (created.status === 'pending-approval') {
          approvals++;
          push({
            at: now + setup.approvalDelayMs,
            kind: 'approve',
            id: created.id,
          });
        }
      } else if (e.kind === 'approve') {
        await service.approve(e.id, platform, 'bench: approved');
      } else if (e.kind === 'finish') {
        const run = runs.get(e.id)!;
        if (!run.reclaimed) {
          await service.release(e.id, member(run.lease.team), 'bench: done');
          ended(run, run.minutes);
        }
      } else if (e.kind === 'reclaim') {
        const run = runs.get(e.id)!;
        run.reclaimed = true;
        const released = await releasePath.releaseAsSystem(
          e.id,
          `${RECLAIMED_IDLE}: idle below ${
            setup.reclaim!.policy.thresholdPercent
          }% for ${setup.reclaim!.policy.idleMinutes} min, no answer within ${
            setup.reclaim!.policy.graceMinutes
          } min (bench)`,
        );
        if (!released)
          throw new Error(`lease ${run.lease.n}: reclaim found it ended`);
        reclaims++;
        reclaimedGpuH += (run.count * (run.minutes - e.atMin)) / 60;
        ended(run, e.atMin);
        // Work resuming after the reclaim is a false reclaim: the team asks
        // again, for the rest of its lease, the moment it needs the GPUs.
        const resumed = resumesAt(
          shift(run.lease.duty, run.fromMin),
          e.atMin,
          run.minutes,
          setup.reclaim!.policy.thresholdPercent,
        );
        if (resumed !== undefined) {
          falseReclaims++;
          push({
            at: now + (resumed - e.atMin) * MINUTE + tieBreakMs(run.lease),
            kind: 'arrive',
            run: place(run.lease, run.fromMin + resumed, run.minutes - resumed),
          });
        }
      } else {
        await service.processLeases();
      }
      await drain();
    }

    const rows = await store.read.listRequests({});
    const unreleased = rows.filter(r => r.status !== 'released');
    if (unreleased.length) {
      throw new Error(
        `${setup.kind} on ${setup.gpus} GPUs: ${
          unreleased.length
        } leases were not released (${[
          ...new Set(unreleased.map(r => r.status)),
        ].join(', ')})`,
      );
    }
    let allocatedGpuMs = 0;
    let lastRelease = T0;
    for (const g of await store.read.grantIntervals()) {
      allocatedGpuMs += g.count * ((g.releasedAt ?? now) - g.grantedAt);
      lastRelease = Math.max(lastRelease, g.releasedAt ?? now);
    }
    const waits: WaitSample[] = rows.map(r => ({
      hours: (r.grantedAt! - r.createdAt) / HOUR,
      withinAllowance: runs.get(r.id)!.withinAllowance,
    }));
    return {
      gpus: setup.gpus,
      allocatedGpuH: allocatedGpuMs / HOUR,
      busyGpuH: busyGpuMin / 60,
      waits,
      requests: rows.length,
      approvals,
      nudges,
      withdrawnNudges: withdrawn,
      reclaims,
      falseReclaims,
      reclaimedGpuH,
      makespanH: (lastRelease - T0) / HOUR,
      wallMs: Date.now() - started,
    };
  } finally {
    await knex.destroy();
  }
}
