import { z } from 'zod';

/** Default timeout of one Prometheus query when `gpuMetrics.timeoutMs` is unset. */
export const DEFAULT_GPU_METRICS_TIMEOUT_MS = 5_000;

const LABEL_NAME = '[a-zA-Z_][a-zA-Z0-9_]*';
const MATCHER = `${LABEL_NAME}\\s*(?:=~|!~|!=|=)\\s*"(?:[^"\\\\]|\\\\.)*"`;
/** One or more PromQL label matchers separated by commas, e.g. `cluster="lab-main",env!~"dev.*"`. */
const MATCHERS = new RegExp(`^\\s*${MATCHER}(?:\\s*,\\s*${MATCHER})*\\s*$`);

/**
 * Where one cluster's GPU metrics are, as read from
 * `kubernetesAccess.clusters[].gpuMetrics`.
 *
 * @public
 */
export interface GpuMetricsConfig {
  /** Base URL of the Prometheus that scrapes the cluster's DCGM exporters. */
  prometheusUrl: string;
  /** Extra PromQL matchers selecting this cluster's series, e.g. `cluster="lab-main"`. */
  labelSelector?: string;
  /** Timeout of one Prometheus query in milliseconds. */
  timeoutMs: number;
}

/** Schema of `kubernetesAccess.clusters[].gpuMetrics`, used by the cluster config reader. */
export const gpuMetricsConfigSchema = z
  .object({
    prometheusUrl: z
      .string()
      .url('must be a URL')
      .refine(u => /^https?:\/\//.test(u), 'must be an http(s) URL'),
    labelSelector: z
      .string()
      .regex(
        MATCHERS,
        'must be PromQL label matchers such as cluster="lab-main" (comma separated)',
      )
      .optional(),
    timeoutMs: z.number().int().positive().max(600_000).optional(),
  })
  .strict()
  .transform(
    (c): GpuMetricsConfig => ({
      prometheusUrl: c.prometheusUrl.replace(/\/+$/, ''),
      labelSelector: c.labelSelector?.trim(),
      timeoutMs: c.timeoutMs ?? DEFAULT_GPU_METRICS_TIMEOUT_MS,
    }),
  );
