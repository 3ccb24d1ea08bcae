import { z } from 'zod';
import { parseDuration } from './duration';
import { parseQuantityNumber } from '@internal/kubernetes-quantity';
import type { components } from './generated/openapi';
import type { Exactly } from './exactly';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Schema of the body of `POST /requests`. Checks the shape; the backend then
 * checks it against config, the catalog and the cluster.
 *
 * @public
 */
export const createGpuRequestSchema = z
  .object({
    team: z
      .string()
      .regex(/^group:[^/]+\/.+$/, 'must be a group entity ref, e.g. group:default/ml-team')
      .describe('Owning team, a catalog Group the requester belongs to'),
    cluster: z.string().min(1, 'is required').describe('Cluster name'),
    namespace: z
      .string()
      .max(63, 'must be at most 63 characters')
      .regex(DNS_1123_LABEL, 'must be a DNS-1123 label (lower case letters, digits and "-")')
      .describe('New namespace, or one the team already owns'),
    gpus: z
      .array(
        z.object({
          pool: z.string().min(1, 'is required').describe('Pool id'),
          count: z
            .number({ invalid_type_error: 'must be a number' })
            .int('must be a whole number')
            .positive('must be at least 1')
            .describe('Number of GPUs (or MIG slices)'),
        }),
      )
      .default([])
      .refine(
        gpus => new Set(gpus.map(g => g.pool)).size === gpus.length,
        'names a pool twice',
      )
      .describe('GPUs by pool; empty for a namespace without GPUs'),
    cpu: z
      .string()
      .refine(v => (parseQuantityNumber(v) ?? 0) > 0, 'must be a positive CPU quantity such as "8" or "500m"')
      .default('4')
      .describe('CPU requests quota'),
    memory: z
      .string()
      .refine(v => (parseQuantityNumber(v) ?? 0) > 0, 'must be a positive memory quantity such as "64Gi"')
      .default('16Gi')
      .describe('Memory requests quota'),
    duration: z
      .string()
      .refine(v => parseDuration(v) !== undefined, 'must be an ISO 8601 duration such as "P2D" or "PT8H"')
      .optional()
      .describe("Lease length; the pool's default when omitted"),
    justification: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .default('')
      .describe('Why the GPUs are needed; required when approval is needed'),
    ephemeral: z
      .boolean()
      .default(false)
      .describe(
        'Delete the namespace when the lease ends (only a namespace the portal created for this request)',
      ),
    priority: z
      .number()
      .int('must be a whole number')
      .min(0, 'must be between 0 and 10')
      .max(10, 'must be between 0 and 10')
      .optional()
      .describe('Queue priority (higher first); set by the platform team only'),
  })
  .strict();

/** @public */
export type CreateGpuRequest = z.input<typeof createGpuRequestSchema>;
/**
 * The body of `POST /requests` once parsed, defaults filled in; the compiler
 * holds it to the spec's `CreateRequest`, so that the form's schema and the
 * router's cannot drift apart.
 *
 * @public
 */
export type ParsedCreateGpuRequest = Exactly<
  z.output<typeof createGpuRequestSchema>,
  components['schemas']['CreateRequest']
>;

/**
 * Body of `POST /requests/{id}/extend`.
 *
 * @public
 */
export const extendGpuRequestSchema = z
  .object({
    duration: z
      .string()
      .refine(v => parseDuration(v) !== undefined, 'must be an ISO 8601 duration such as "P1D"')
      .describe('Time added to the current expiry'),
    justification: z.string().max(2000).optional(),
  })
  .strict();

/**
 * Body of `POST /requests/{id}/approve|reject|release`.
 *
 * @public
 */
export const decisionSchema = z
  .object({ reason: z.string().max(2000).optional() })
  .strict();

/**
 * Query of `GET /requests`.
 *
 * @public
 */
export const listRequestsQuerySchema = z.object({
  scope: z.enum(['mine', 'team', 'all']).default('mine'),
  status: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform(v => (v === undefined ? undefined : ([] as string[]).concat(v))),
});

/**
 * Turns a zod error into one message naming each failing field, e.g.
 * `gpus[0].count must be at least 1`.
 *
 * @public
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const field = issue.path
        .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`))
        .join('');
      if (issue.code === 'unrecognized_keys') {
        return `unknown field ${issue.keys.join(', ')}`;
      }
      if (issue.code === 'invalid_type' && issue.received === 'undefined') {
        return `${field} is required`;
      }
      return `${field || 'body'} ${issue.message}`;
    })
    .join('; ');
}
