import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  gpuMetricsConfigSchema,
  type GpuMetricsConfig,
} from '../metrics/gpuMetricsConfig';

/** Default per-request timeout when neither the cluster nor the root sets one. */
export const DEFAULT_TIMEOUT_MS = 10_000;

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Authentication settings of one cluster, as read from app-config.
 *
 * @public
 */
export type ClusterAuthConfig =
  | { provider: 'serviceAccount'; serviceAccountToken: string }
  | { provider: 'kubeconfig'; kubeconfigPath: string; context?: string }
  | { provider: 'inCluster' };

/**
 * The identities the portal holds per cluster. `reader` (from `auth`) may only
 * get, list and watch; `writer` (from `writerAuth`) is the GPU-pool
 * reconciler's, whose RBAC covers exactly the kinds it manages.
 *
 * @public
 */
export type ClusterIdentity = 'reader' | 'writer';

/**
 * One validated cluster entry of `kubernetesAccess.clusters`.
 *
 * @public
 */
export interface ClusterConfig {
  name: string;
  title?: string;
  url?: string;
  caData?: string;
  skipTLSVerify: boolean;
  timeoutMs: number;
  /** The read-only identity; every consumer that does not ask for the writer gets it. */
  auth: ClusterAuthConfig;
  /** The writer identity; absent means the cluster is read-only for the portal. */
  writerAuth?: ClusterAuthConfig;
  /** Where the cluster's GPU metrics are; absent means "no GPU metrics". */
  gpuMetrics?: GpuMetricsConfig;
}

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const authSchema = z.discriminatedUnion(
  'provider',
  [
    z
      .object({
        provider: z.literal('serviceAccount'),
        serviceAccountToken: nonEmpty,
      })
      .strict(),
    z
      .object({
        provider: z.literal('kubeconfig'),
        kubeconfigPath: nonEmpty,
        context: nonEmpty.optional(),
      })
      .strict(),
    z.object({ provider: z.literal('inCluster') }).strict(),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === 'invalid_union_discriminator'
        ? {
            message: `must be one of ${issue.options
              .map(o => String(o))
              .join(', ')}`,
          }
        : { message: ctx.defaultError },
  },
);

const timeoutSchema = z.number().int().positive().max(600_000);

const clusterSchema = z
  .object({
    name: z
      .string()
      .max(63, 'must be at most 63 characters')
      .regex(
        DNS_1123_LABEL,
        'must be a DNS-1123 label (lowercase letters, digits and "-")',
      ),
    title: nonEmpty.optional(),
    url: z
      .string()
      .url('must be a URL')
      .refine(u => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .optional(),
    caData: nonEmpty.optional(),
    skipTLSVerify: z.boolean().optional(),
    timeoutMs: timeoutSchema.optional(),
    auth: authSchema,
    writerAuth: authSchema.optional(),
    gpuMetrics: gpuMetricsConfigSchema.optional(),
  })
  .strict()
  .superRefine((cluster, ctx) => {
    for (const field of ['auth', 'writerAuth'] as const) {
      if (cluster[field]?.provider === 'serviceAccount' && !cluster.url) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['url'],
          message: `is required when ${field}.provider is serviceAccount`,
        });
      }
    }
    if (
      cluster.auth.provider === 'serviceAccount' &&
      cluster.writerAuth?.provider === 'serviceAccount' &&
      cluster.auth.serviceAccountToken ===
        cluster.writerAuth.serviceAccountToken
    ) {
      // One token for both purposes would silently give every reader the
      // writer's rights, which is what the split exists to prevent.
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['writerAuth', 'serviceAccountToken'],
        message: 'must differ from auth.serviceAccountToken',
      });
    }
  });

const rootSchema = z
  .object({
    defaultTimeoutMs: timeoutSchema.optional(),
    clusters: z.array(clusterSchema),
  })
  .strict()
  .superRefine((root, ctx) => {
    const seen = new Set<string>();
    root.clusters.forEach((cluster, index) => {
      if (seen.has(cluster.name)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['clusters', index, 'name'],
          message: `must be unique, "${cluster.name}" is used more than once`,
        });
      }
      seen.add(cluster.name);
    });
  });

function formatPath(path: Array<string | number>): string {
  return path.reduce<string>(
    (acc, part) =>
      typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${part}`,
    'kubernetesAccess',
  );
}

function formatIssue(issue: z.ZodIssue): string {
  const path = formatPath(issue.path);
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    return `${path} is required`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `${path} has unknown field(s) ${issue.keys.join(', ')}`;
  }
  return `${path} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(
    1,
  )}`;
}

/**
 * Reads and validates `kubernetesAccess` from app-config.
 *
 * Returns an empty list when the section is absent, so a backend without
 * clusters still starts; invalid entries throw an `InputError` naming every
 * offending field.
 *
 * @public
 */
export function readKubernetesAccessConfig(config: Config): {
  defaultTimeoutMs: number;
  clusters: ClusterConfig[];
} {
  const raw = config.getOptional('kubernetesAccess');
  if (raw === undefined) {
    return { defaultTimeoutMs: DEFAULT_TIMEOUT_MS, clusters: [] };
  }
  const parsed = rootSchema.safeParse(raw);
  if (!parsed.success) {
    const messages = parsed.error.issues.map(formatIssue);
    throw new InputError(
      `Invalid kubernetesAccess configuration: ${messages.join('; ')}`,
    );
  }
  const defaultTimeoutMs = parsed.data.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    defaultTimeoutMs,
    clusters: parsed.data.clusters.map(c => ({
      name: c.name,
      title: c.title,
      url: c.url?.replace(/\/+$/, ''),
      caData: c.caData,
      skipTLSVerify: c.skipTLSVerify ?? false,
      timeoutMs: c.timeoutMs ?? defaultTimeoutMs,
      auth: c.auth,
      writerAuth: c.writerAuth,
      gpuMetrics: c.gpuMetrics,
    })),
  };
}
