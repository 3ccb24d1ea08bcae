import { createPermission } from '@backstage/plugin-permission-common';
import { z } from 'zod';
import { GPU_POOL_TEAM_RESOURCE_TYPE } from './permissions';

/**
 * Read a team's showback (GPU-hours granted, busy, reclaimed, queue wait).
 * Resource ref: the team's entity ref. The platform team reads every team's.
 *
 * @public
 */
export const gpuPoolShowbackReadPermission = createPermission({
  name: 'gpu-pool.showback.read',
  attributes: { action: 'read' },
  resourceType: GPU_POOL_TEAM_RESOURCE_TYPE,
});

/**
 * Showback periods.
 *
 * @public
 */
export const showbackPeriods = ['day', 'week', 'month'] as const;

/** @public */
export type ShowbackPeriod = (typeof showbackPeriods)[number];

/**
 * Query of `GET /showback` and `GET /showback.csv`.
 *
 * @public
 */
export const showbackQuerySchema = z
  .object({
    period: z
      .enum(showbackPeriods, {
        errorMap: () => ({ message: 'must be day, week or month' }),
      })
      .default('day'),
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
      .optional(),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
      .optional(),
    team: z
      .string()
      .regex(/^group:[^/]+\/.+$/, 'must be a group entity ref')
      .optional(),
    pool: z.string().min(1).optional(),
  })
  .strict();

/** @public */
export type ShowbackQuery = z.infer<typeof showbackQuerySchema>;

/**
 * One row of showback: one team, one pool, one period (UTC).
 *
 * @public
 */
export interface ShowbackRow {
  team: string;
  pool: string;
  cluster: string;
  period: ShowbackPeriod;
  /** Start of the period, ISO 8601 date (UTC); weeks start on Monday. */
  periodStart: string;
  /** GPU-hours of leases granted, within the period. */
  grantedGpuHours: number;
  /**
   * GPU-hours the engines were busy (integral of engine activity), or
   * undefined when the cluster has no GPU metrics or they could not be read.
   */
  busyGpuHours?: number;
  /** Why busy GPU-hours are missing. */
  busyMissing?: 'no-metrics' | 'metrics-unavailable';
  /** GPU-hours of leases ended early as idle: the time they had left. */
  reclaimedGpuHours: number;
  /** Leases granted in the period. */
  grants: number;
  /** Mean time from queued to granted of the grants in the period, seconds. */
  meanQueueWaitSeconds?: number;
}

/**
 * The answer of `GET /showback`.
 *
 * @public
 */
export interface ShowbackReport {
  period: ShowbackPeriod;
  from: string;
  to: string;
  /** Teams the caller may see (all teams for the platform team). */
  teams: string[];
  /**
   * Per cluster in the report: whether busy GPU-hours could be read.
   * `no-metrics`: the cluster has no GPU metrics configured;
   * `metrics-unavailable`: its Prometheus did not answer.
   */
  metrics: Record<string, 'ok' | 'no-metrics' | 'metrics-unavailable'>;
  rows: ShowbackRow[];
}

/**
 * Columns of the CSV export, in order.
 *
 * @public
 */
export const showbackCsvColumns = [
  'period',
  'period_start',
  'team',
  'pool',
  'cluster',
  'granted_gpu_hours',
  'busy_gpu_hours',
  'busy_missing',
  'reclaimed_gpu_hours',
  'grants',
  'mean_queue_wait_seconds',
] as const;
