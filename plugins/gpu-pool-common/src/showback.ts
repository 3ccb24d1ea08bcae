import { createPermission } from '@backstage/plugin-permission-common';
import { z } from 'zod';
import { GPU_POOL_TEAM_RESOURCE_TYPE } from './permissions';
import type { components } from './generated/openapi';
import type { Exactly } from './exactly';

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

/**
 * A showback period; the compiler holds {@link showbackPeriods} to the
 * spec's `ShowbackReport.period` enum.
 *
 * @public
 */
export type ShowbackPeriod = Exactly<
  (typeof showbackPeriods)[number],
  components['schemas']['ShowbackReport']['period']
>;

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
export type ShowbackRow = components['schemas']['ShowbackRow'];

/**
 * The answer of `GET /showback`.
 *
 * @public
 */
export type ShowbackReport = components['schemas']['ShowbackReport'];

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
