import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { readKubernetesAccessConfig } from '../registry/readKubernetesAccessConfig';
import { GpuActivity, GpuMetrics } from './GpuMetrics';
import { GpuMetricsConfig } from './gpuMetricsConfig';
import { PrometheusClient, PrometheusSample } from './PrometheusClient';

/** The DCGM field that says how busy a GPU (or MIG instance) is, 0..1. */
export const ENGINE_ACTIVE_METRIC = 'DCGM_FI_PROF_GR_ENGINE_ACTIVE';

/**
 * How far before the window series are still listed, with `samples: 0`, so
 * that a GPU whose exporter stopped answering shows up as "no data" rather
 * than disappearing.
 */
const MISSING_LOOKBACK_SECONDS = 3600;
const MAX_WINDOW_SECONDS = 31 * 24 * 3600;
/** Prometheus refuses range queries of more than 11,000 points per series. */
const MAX_RANGE_POINTS = 5000;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Reads GPU activity from the Prometheus configured per cluster under
 * `kubernetesAccess.clusters[].gpuMetrics`.
 *
 * @public
 */
export class DefaultGpuMetrics implements GpuMetrics {
  private constructor(
    private readonly clusters: Map<string, GpuMetricsConfig | undefined>,
    private readonly logger: LoggerService,
    private readonly now: () => Date,
  ) {}

  /** Reads every cluster's `gpuMetrics` from `kubernetesAccess.clusters`. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService; now?: () => Date },
  ): DefaultGpuMetrics {
    return DefaultGpuMetrics.create({
      ...options,
      clusters: readKubernetesAccessConfig(config).clusters,
    });
  }

  /** From clusters already validated (`readKubernetesAccessConfig`). */
  static create(options: {
    clusters: Array<{ name: string; gpuMetrics?: GpuMetricsConfig }>;
    logger: LoggerService;
    now?: () => Date;
  }): DefaultGpuMetrics {
    return new DefaultGpuMetrics(
      new Map(options.clusters.map(c => [c.name, c.gpuMetrics])),
      options.logger,
      options.now ?? (() => new Date()),
    );
  }

  isConfigured(cluster: string): boolean {
    return this.clusters.get(cluster) !== undefined;
  }

  async gpuActivity(
    cluster: string,
    options: { windowSeconds: number; namespace?: string },
  ): Promise<GpuActivity[]> {
    const { windowSeconds, namespace } = options;
    if (
      !Number.isInteger(windowSeconds) ||
      windowSeconds < 1 ||
      windowSeconds > MAX_WINDOW_SECONDS
    ) {
      throw new InputError(
        `windowSeconds must be an integer from 1 to ${MAX_WINDOW_SECONDS}, got ${windowSeconds}`,
      );
    }
    if (namespace !== undefined) checkNamespace(namespace);
    const { client, selector } = this.clientFor(cluster, namespace);
    const series = `${ENGINE_ACTIVE_METRIC}${selector}`;
    const range = `[${windowSeconds}s]`;
    const time = this.now();
    const [max, mean, count, known] = await this.guard(cluster, () =>
      Promise.all([
        client.query(`max_over_time(${series}${range})`, time),
        client.query(`avg_over_time(${series}${range})`, time),
        client.query(`count_over_time(${series}${range})`, time),
        client.query(
          `last_over_time(${series}[${
            windowSeconds + MISSING_LOOKBACK_SECONDS
          }s])`,
          time,
        ),
      ]),
    );
    const byKey = new Map<string, GpuActivity>();
    for (const sample of known) {
      byKey.set(seriesKey(sample), toActivity(sample.metric));
    }
    const merge = (
      samples: PrometheusSample[],
      field: 'maxEngineActive' | 'meanEngineActive' | 'samples',
    ) => {
      for (const sample of samples) {
        const key = seriesKey(sample);
        const activity = byKey.get(key) ?? toActivity(sample.metric);
        activity[field] = sample.value;
        byKey.set(key, activity);
      }
    };
    merge(max, 'maxEngineActive');
    merge(mean, 'meanEngineActive');
    merge(count, 'samples');
    return [...byKey.values()].sort(
      (a, b) =>
        a.node.localeCompare(b.node) ||
        Number(a.gpu) - Number(b.gpu) ||
        a.uuid.localeCompare(b.uuid) ||
        (a.pod ?? '').localeCompare(b.pod ?? ''),
    );
  }

  async busyGpuSeconds(
    cluster: string,
    options: { namespace: string; start: Date; end: Date },
  ): Promise<number> {
    const { namespace, start, end } = options;
    checkNamespace(namespace);
    for (const [field, value] of [
      ['start', start],
      ['end', end],
    ] as const) {
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
        throw new InputError(`${field} must be a valid date`);
      }
    }
    if (end.getTime() <= start.getTime()) {
      throw new InputError('end must be after start');
    }
    const { client, selector } = this.clientFor(cluster, namespace);
    const durationSeconds = (end.getTime() - start.getTime()) / 1000;
    const stepSeconds = Math.max(
      1,
      Math.ceil(durationSeconds / MAX_RANGE_POINTS),
    );
    const result = await this.guard(cluster, () =>
      client.queryRange(`sum(${ENGINE_ACTIVE_METRIC}${selector})`, {
        start,
        end,
        stepSeconds,
      }),
    );
    // Each point stands for the step that follows it (the last one is cut at
    // `end`): Prometheus evaluates a point from the latest sample before it,
    // and a GPU whose pod ended is marked stale, so it stops counting.
    const endSeconds = end.getTime() / 1000;
    let total = 0;
    for (const series of result) {
      for (const [t, value] of series.values) {
        total += value * Math.max(0, Math.min(stepSeconds, endSeconds - t));
      }
    }
    return total;
  }

  private clientFor(
    cluster: string,
    namespace: string | undefined,
  ): { client: PrometheusClient; selector: string } {
    if (!this.clusters.has(cluster)) {
      throw new NotFoundError(`Cluster "${cluster}" is not configured`);
    }
    const config = this.clusters.get(cluster);
    if (!config) {
      throw new ServiceUnavailableError(
        `Cluster "${cluster}" has no GPU metrics (kubernetesAccess.clusters[].gpuMetrics is not configured)`,
      );
    }
    const matchers = [
      config.labelSelector,
      namespace === undefined ? undefined : `namespace="${namespace}"`,
    ].filter((m): m is string => Boolean(m));
    return {
      client: PrometheusClient.create({
        cluster,
        baseUrl: config.prometheusUrl,
        timeoutMs: config.timeoutMs,
      }),
      selector: matchers.length ? `{${matchers.join(',')}}` : '',
    };
  }

  private async guard<T>(cluster: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      this.logger.warn(
        `GPU metrics query failed: ${(error as Error).message}`,
        {
          cluster,
        },
      );
      throw error;
    }
  }
}

function checkNamespace(namespace: string) {
  if (
    typeof namespace !== 'string' ||
    namespace.length > 63 ||
    !DNS_1123_LABEL.test(namespace)
  ) {
    throw new InputError(
      `namespace must be a DNS-1123 label, got ${JSON.stringify(namespace)}`,
    );
  }
}

/** The labels that tell one GPU (or MIG instance) held by one pod from another. */
const KEY_LABELS = [
  'Hostname',
  'gpu',
  'UUID',
  'GPU_I_ID',
  'GPU_I_PROFILE',
  'namespace',
  'pod',
  'container',
];

function seriesKey(sample: PrometheusSample): string {
  return KEY_LABELS.map(l => sample.metric[l] ?? '').join('\u0000');
}

function toActivity(metric: Record<string, string>): GpuActivity {
  return {
    node: metric.Hostname ?? '',
    gpu: metric.gpu ?? '',
    uuid: metric.UUID ?? '',
    modelName: metric.modelName ?? '',
    ...(metric.GPU_I_PROFILE ? { migProfile: metric.GPU_I_PROFILE } : {}),
    ...(metric.namespace ? { namespace: metric.namespace } : {}),
    ...(metric.pod ? { pod: metric.pod } : {}),
    maxEngineActive: 0,
    meanEngineActive: 0,
    samples: 0,
  };
}
