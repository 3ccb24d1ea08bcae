import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  GpuAmount,
  GpuRequestStatus,
  ShowbackPeriod,
  ShowbackReport,
  ShowbackRow,
} from '@internal/plugin-gpu-pool-common';
import type { GpuMetrics } from '@internal/plugin-kubernetes-access-node';
import { Knex } from 'knex';
import { Clock, systemClock } from '../GpuPool/types';
import { Period, periodsBetween } from './periods';
import {
  HistoryEntry,
  LeaseRecord,
  leasesFromHistory,
  rowKey,
  showbackSums,
} from './showbackSums';

/** The most Prometheus range reads one report may make. */
const MAX_METRIC_READS = 2000;
/** Prometheus reads in flight at once. */
const PARALLEL_READS = 4;

type MetricsState = ShowbackReport['metrics'][string];

/** One namespace in one period: its leases' merged time and who held it. */
interface BusyRead {
  cluster: string;
  namespace: string;
  intervals: Array<[number, number]>;
  /** Row key → GPU-milliseconds granted, to split the busy time by. */
  shares: Map<string, number>;
}

/**
 * Showback: per team, pool and period, GPU-hours granted (from the
 * requests' history), busy (engine activity from the GPU metrics), reclaimed
 * as idle, and the mean queue wait.
 */
export class ShowbackService {
  private constructor(
    private readonly options: {
      db: Knex;
      metrics: GpuMetrics;
      logger: LoggerService;
      clock: Clock;
    },
  ) {}

  /** The GPU pool store runs the migrations; create it first. */
  static async create(options: {
    database: DatabaseService | { getClient(): Promise<Knex> };
    metrics: GpuMetrics;
    logger: LoggerService;
    clock?: Clock;
  }): Promise<ShowbackService> {
    return new ShowbackService({
      db: await options.database.getClient(),
      metrics: options.metrics,
      logger: options.logger,
      clock: options.clock ?? systemClock,
    });
  }

  /** Teams that ever had a request (the platform team's view). */
  async knownTeams(): Promise<string[]> {
    const rows = await this.options
      .db('gpu_pool_requests')
      .distinct('team')
      .orderBy('team');
    return rows.map(r => r.team as string);
  }

  /** Granted leases of the teams, from their requests' history. */
  async leases(teams: string[]): Promise<LeaseRecord[]> {
    if (teams.length === 0) return [];
    const { db } = this.options;
    const requests = await db('gpu_pool_requests')
      .whereIn('team', teams)
      .whereNot('gpus', '[]')
      .select('id', 'team', 'cluster', 'namespace', 'gpus', 'expires_at');
    const history: HistoryEntry[] = [];
    const ids = requests.map(r => r.id as string);
    // Chunks keep the IN list within every database's limits.
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db('gpu_pool_transitions')
        .whereIn('request_id', ids.slice(i, i + 500))
        .orderBy('id')
        .select('request_id', 'from_status', 'to_status', 'reason', 'at');
      for (const r of rows) {
        history.push({
          requestId: r.request_id,
          from: (r.from_status ?? undefined) as GpuRequestStatus | undefined,
          to: r.to_status,
          reason: r.reason,
          at: Number(r.at),
        });
      }
    }
    return leasesFromHistory(
      requests.map(r => ({
        id: r.id,
        team: r.team,
        cluster: r.cluster,
        namespace: r.namespace,
        gpus: JSON.parse(r.gpus) as GpuAmount[],
        expiresAt:
          r.expires_at === null || r.expires_at === undefined
            ? undefined
            : Number(r.expires_at),
      })),
      history,
    );
  }

  /** The report for the given teams (already authorized). */
  async report(options: {
    teams: string[];
    period: ShowbackPeriod;
    from?: string;
    to?: string;
    pool?: string;
  }): Promise<ShowbackReport> {
    const now = this.options.clock.now();
    const periods = periodsBetween(
      options.period,
      now,
      options.from,
      options.to,
    );
    const leases = (await this.leases(options.teams)).filter(
      l => !options.pool || l.gpus.some(g => g.pool === options.pool),
    );
    const sums = showbackSums(leases, periods, options.period, now);
    const { busy, metrics } = await this.busy(leases, periods, now);
    const rows: ShowbackRow[] = [];
    for (const [key, s] of sums) {
      if (options.pool && s.pool !== options.pool) continue;
      const { waitSum, ...row } = s;
      const b = busy.get(key);
      const state = metrics[row.cluster] ?? 'ok';
      let missing = b?.missing;
      if (!b && state !== 'ok') missing = state;
      rows.push(
        missing
          ? { ...row, busyMissing: missing }
          : { ...row, busyGpuHours: b?.hours ?? 0 },
      );
    }
    rows.sort(
      (a, b) =>
        a.periodStart.localeCompare(b.periodStart) ||
        a.team.localeCompare(b.team) ||
        a.pool.localeCompare(b.pool),
    );
    return {
      period: options.period,
      from: periods[0].label,
      to: periods[periods.length - 1].label,
      teams: options.teams,
      metrics,
      rows,
    };
  }

  /**
   * Busy GPU-hours per row. The metrics are per namespace, so per
   * namespace and period the busy time over the union of its leases is read
   * once and split over the pools in proportion to their granted GPU-hours.
   * A row with any namespace whose metrics are missing is missing as a whole.
   */
  private async busy(leases: LeaseRecord[], periods: Period[], now: number) {
    const { metrics, logger } = this.options;
    const state: Record<string, MetricsState> = {};
    for (const l of leases) {
      state[l.cluster] ??= metrics.isConfigured(l.cluster)
        ? 'ok'
        : 'no-metrics';
    }
    // (cluster, namespace, period) → the merged intervals of its leases and
    // the GPU-hours of each (team, pool) in them.
    const reads = new Map<string, BusyRead>();
    for (const l of leases) {
      const end = Math.min(l.endedAt ?? now, now);
      for (const p of periods) {
        const start = Math.max(l.grantedAt, p.start);
        const stop = Math.min(end, p.end);
        if (stop <= start) continue;
        const key = `${l.cluster}/${l.namespace}/${p.label}`;
        let read = reads.get(key);
        if (!read) {
          read = {
            cluster: l.cluster,
            namespace: l.namespace,
            intervals: [],
            shares: new Map(),
          };
          reads.set(key, read);
        }
        read.intervals.push([start, stop]);
        for (const g of l.gpus) {
          const rk = rowKey(l.team, g.pool, p.label);
          read.shares.set(
            rk,
            (read.shares.get(rk) ?? 0) + g.count * (stop - start),
          );
        }
      }
    }
    const jobs: Array<{ read: BusyRead; start: number; end: number }> = [];
    for (const read of reads.values()) {
      for (const [start, end] of merge(read.intervals))
        jobs.push({ read, start, end });
    }
    if (
      jobs.filter(j => state[j.read.cluster] === 'ok').length > MAX_METRIC_READS
    ) {
      throw new InputError(
        `from: the report needs more than ${MAX_METRIC_READS} metric reads; narrow the range or pick a team`,
      );
    }
    const seconds = new Map<BusyRead, number>();
    const missing = new Set<BusyRead>();
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        const { cluster, namespace } = job.read;
        if (state[cluster] !== 'ok') {
          missing.add(job.read);
          continue;
        }
        try {
          const s = await metrics.busyGpuSeconds(cluster, {
            namespace,
            start: new Date(job.start),
            end: new Date(job.end),
          });
          seconds.set(job.read, (seconds.get(job.read) ?? 0) + s);
        } catch (error) {
          logger.warn(
            `Showback cannot read busy GPU time of ${cluster}: ${error}`,
            {
              cluster,
              namespace,
            },
          );
          state[cluster] = 'metrics-unavailable';
          missing.add(job.read);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_READS }, worker));
    const busy = new Map<
      string,
      { hours: number; missing?: 'no-metrics' | 'metrics-unavailable' }
    >();
    for (const read of reads.values()) {
      const total = [...read.shares.values()].reduce((a, b) => a + b, 0);
      for (const [rk, share] of read.shares) {
        const b = busy.get(rk) ?? { hours: 0 };
        if (missing.has(read)) {
          const s = state[read.cluster];
          b.missing = s === 'ok' ? 'metrics-unavailable' : s;
        } else if (total > 0) {
          b.hours += ((seconds.get(read) ?? 0) * share) / total / 3600;
        }
        busy.set(rk, b);
      }
    }
    return { busy, metrics: state };
  }
}

/** Merges overlapping [start, end) intervals. */
function merge(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
