import {
  finalStatuses,
  GpuAmount,
  GpuRequestStatus,
  ShowbackPeriod,
  ShowbackRow,
} from '@internal/plugin-gpu-pool-common';
import { Period } from './periods';

/** Reasons of leases ended as idle start with this (see services/Reclaim). */
const RECLAIMED_IDLE = 'reclaimed-idle';

/** One transition of a request's history, times in epoch ms. */
export interface HistoryEntry {
  requestId: string;
  from?: GpuRequestStatus;
  to: GpuRequestStatus;
  reason: string;
  at: number;
}

/** A granted lease as its history tells it. */
export interface LeaseRecord {
  id: string;
  team: string;
  cluster: string;
  namespace: string;
  gpus: GpuAmount[];
  /** When it last entered the queue (created within the allowance, or approved). */
  queuedAt?: number;
  grantedAt: number;
  /** When it ended; undefined while it holds its GPUs. */
  endedAt?: number;
  expiresAt?: number;
  /** Ended as idle (`reclaimed-idle`). */
  reclaimed: boolean;
}

/**
 * Turns requests and their histories into granted leases: granted at the
 * transition to `provisioning`, ended at the first transition into a final
 * status after that. Requests never granted are left out.
 */
export function leasesFromHistory(
  requests: Array<{
    id: string;
    team: string;
    cluster: string;
    namespace: string;
    gpus: GpuAmount[];
    expiresAt?: number;
  }>,
  history: HistoryEntry[],
): LeaseRecord[] {
  const byRequest = new Map<string, HistoryEntry[]>();
  for (const h of history) {
    const list = byRequest.get(h.requestId) ?? [];
    list.push(h);
    byRequest.set(h.requestId, list);
  }
  const out: LeaseRecord[] = [];
  for (const r of requests) {
    if (r.gpus.length === 0) continue;
    const entries = byRequest.get(r.id) ?? [];
    const granted = entries.find(
      h => h.to === 'provisioning' && h.from !== 'provisioning',
    );
    if (!granted) continue;
    const queued = entries
      .filter(h => h.to === 'queued' && h.at <= granted.at)
      .at(-1);
    const ended = entries.find(
      h => h.at >= granted.at && finalStatuses.includes(h.to) && h !== granted,
    );
    out.push({
      id: r.id,
      team: r.team,
      cluster: r.cluster,
      namespace: r.namespace,
      gpus: r.gpus,
      queuedAt: queued?.at,
      grantedAt: granted.at,
      endedAt: ended?.at,
      expiresAt: r.expiresAt,
      reclaimed: ended?.reason.startsWith(RECLAIMED_IDLE) ?? false,
    });
  }
  return out;
}

const HOUR = 3_600_000;

/** Rows keyed by team, pool and period, without busy hours. */
export type ShowbackSums = Map<
  string,
  Omit<ShowbackRow, 'busyGpuHours' | 'busyMissing'> & { waitSum: number }
>;

/** Key of a row. */
export function rowKey(team: string, pool: string, periodStart: string) {
  return `${team}\u0000${pool}\u0000${periodStart}`;
}

/**
 * Sums granted GPU-hours (the part of each lease inside each period),
 * reclaimed GPU-hours (GPUs × time the lease had left when ended as idle, in
 * the period it ended), grants and queue wait (in the period of the grant)
 * per team, pool and period. Leases still running count up to `now`.
 */
export function showbackSums(
  leases: LeaseRecord[],
  periods: Period[],
  period: ShowbackPeriod,
  now: number,
): ShowbackSums {
  const sums: ShowbackSums = new Map();
  const row = (l: LeaseRecord, pool: string, p: Period) => {
    const key = rowKey(l.team, pool, p.label);
    let r = sums.get(key);
    if (!r) {
      r = {
        team: l.team,
        pool,
        cluster: l.cluster,
        period,
        periodStart: p.label,
        grantedGpuHours: 0,
        reclaimedGpuHours: 0,
        grants: 0,
        waitSum: 0,
      };
      sums.set(key, r);
    }
    return r;
  };
  for (const l of leases) {
    const end = Math.min(l.endedAt ?? now, now);
    for (const p of periods) {
      const overlap = Math.max(
        0,
        Math.min(end, p.end) - Math.max(l.grantedAt, p.start),
      );
      const grantedHere = l.grantedAt >= p.start && l.grantedAt < p.end;
      const reclaimedHere =
        l.reclaimed &&
        l.endedAt !== undefined &&
        l.endedAt >= p.start &&
        l.endedAt < p.end;
      if (overlap === 0 && !grantedHere && !reclaimedHere) continue;
      for (const g of l.gpus) {
        const r = row(l, g.pool, p);
        r.grantedGpuHours += (g.count * overlap) / HOUR;
        if (grantedHere) {
          r.grants += 1;
          if (l.queuedAt !== undefined) {
            r.waitSum += (l.grantedAt - l.queuedAt) / 1000;
          }
        }
        if (reclaimedHere && l.expiresAt !== undefined) {
          r.reclaimedGpuHours +=
            (g.count * Math.max(0, l.expiresAt - l.endedAt!)) / HOUR;
        }
      }
    }
  }
  for (const r of sums.values()) {
    r.meanQueueWaitSeconds = r.grants ? r.waitSum / r.grants : undefined;
  }
  return sums;
}
