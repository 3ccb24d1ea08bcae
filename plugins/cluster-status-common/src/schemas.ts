import { z } from 'zod';

/**
 * The `{name}` path parameter: a DNS-1123 label.
 *
 * @public
 */
export const clusterNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label');
