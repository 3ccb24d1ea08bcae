import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  ClusterGpuActivity,
  ClusterSummary,
  GpuModelActivity,
  GpuProfileActivity,
} from '@internal/plugin-cluster-status-common';
import {
  GpuActivity,
  GpuMetrics,
} from '@internal/plugin-kubernetes-access-node';
import { ClusterCache } from '../ClusterCache/ClusterCache';
import { GpuActivityService } from './GpuActivityService';

/** Defaults of `clusterStatus.gpuActivity`. */
export const DEFAULT_ACTIVITY_WINDOW_SECONDS = 60;
export const DEFAULT_BUSY_THRESHOLD_PERCENT = 5;
const DEFAULT_MAX_AGE_MS = 5_000;

/**
 * Joins the fleet cache's allocatable and allocated GPUs with the engine
 * activity each cluster's Prometheus reports. A GPU is busy when its mean
 * `DCGM_FI_PROF_GR_ENGINE_ACTIVE` over the window is at or above the
 * threshold; a cluster without gpuMetrics, or whose Prometheus fails, has no
 * busy figures at all (never zero).
 *
 * @public
 */
export class DefaultGpuActivityService implements GpuActivityService {
  private readonly reads = new Map<
    string,
    { at: number; result: Promise<GpuActivity[]> }
  >();

  private constructor(
    private readonly options: {
      cache: ClusterCache;
      gpuMetrics: GpuMetrics;
      logger: LoggerService;
      windowSeconds: number;
      busyThreshold: number;
      maxAgeMs: number;
      now: () => Date;
    },
  ) {}

  static create(options: {
    cache: ClusterCache;
    gpuMetrics: GpuMetrics;
    logger: LoggerService;
    windowSeconds?: number;
    busyThresholdPercent?: number;
    /** How long one read of a cluster's Prometheus is reused; default 5000. */
    maxAgeMs?: number;
    now?: () => Date;
  }): DefaultGpuActivityService {
    return new DefaultGpuActivityService({
      cache: options.cache,
      gpuMetrics: options.gpuMetrics,
      logger: options.logger,
      windowSeconds: options.windowSeconds ?? DEFAULT_ACTIVITY_WINDOW_SECONDS,
      busyThreshold:
        (options.busyThresholdPercent ?? DEFAULT_BUSY_THRESHOLD_PERCENT) / 100,
      maxAgeMs: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
      now: options.now ?? (() => new Date()),
    });
  }

  /** Reads `clusterStatus.gpuActivity`, refusing bad values by field name. */
  static fromConfig(
    config: Config,
    deps: {
      cache: ClusterCache;
      gpuMetrics: GpuMetrics;
      logger: LoggerService;
    },
  ): DefaultGpuActivityService {
    const windowSeconds = config.getOptionalNumber(
      'clusterStatus.gpuActivity.windowSeconds',
    );
    if (
      windowSeconds !== undefined &&
      (!Number.isInteger(windowSeconds) ||
        windowSeconds < 10 ||
        windowSeconds > 3600)
    ) {
      throw new InputError(
        'clusterStatus.gpuActivity.windowSeconds must be an integer from 10 to 3600',
      );
    }
    const busyThresholdPercent = config.getOptionalNumber(
      'clusterStatus.gpuActivity.busyThresholdPercent',
    );
    if (
      busyThresholdPercent !== undefined &&
      !(busyThresholdPercent > 0 && busyThresholdPercent <= 100)
    ) {
      throw new InputError(
        'clusterStatus.gpuActivity.busyThresholdPercent must be more than 0 and at most 100',
      );
    }
    return DefaultGpuActivityService.create({
      ...deps,
      windowSeconds,
      busyThresholdPercent,
    });
  }

  async listClusters(): Promise<ClusterGpuActivity[]> {
    return Promise.all(
      this.options.cache.listSummaries().map(s => this.forCluster(s)),
    );
  }

  private async forCluster(
    summary: ClusterSummary,
  ): Promise<ClusterGpuActivity> {
    const { gpuMetrics, windowSeconds, busyThreshold } = this.options;
    const base = {
      cluster: summary.name,
      windowSeconds,
      busyThreshold,
      updatedAt: this.options.now().toISOString(),
      byModel: summary.gpus.byModel.map(
        (m): GpuModelActivity => ({
          model: m.model,
          allocatable: m.total,
          allocated: m.allocated,
        }),
      ),
      byProfile: summary.gpus.byProfile.map(
        (p): GpuProfileActivity => ({
          profile: p.profile,
          allocatable: p.total,
          allocated: p.allocated,
        }),
      ),
    };
    if (!gpuMetrics.isConfigured(summary.name)) {
      return { ...base, status: 'not-configured' };
    }
    let activity: GpuActivity[];
    try {
      activity = await this.read(summary.name);
    } catch (error) {
      return {
        ...base,
        status: 'unavailable',
        error: (error as Error).message,
      };
    }
    const nodeModel = new Map(
      summary.nodeTiles.map(t => [t.name, t.gpuModel] as const),
    );
    // Several series can describe one device (its pod changed within the
    // window): a device is busy or reporting when any of its series is.
    const devices = new Map<
      string,
      { group: string; mig: boolean; busy: boolean; reporting: boolean }
    >();
    let free = 0;
    for (const a of activity) {
      const group = a.migProfile ?? nodeModel.get(a.node);
      if (!group) continue;
      const key = a.migProfile
        ? // Free MIG instances of one GPU share every label the interface
          // has, so each counts on its own; held ones are told apart by pod.
          `${a.node}/${a.uuid}/${a.migProfile}/${
            a.pod ? `${a.namespace}/${a.pod}` : `free-${free++}`
          }`
        : `${a.node}/${a.uuid}`;
      const reporting = a.samples > 0;
      const busy = reporting && a.meanEngineActive >= busyThreshold;
      const d = devices.get(key) ?? {
        group,
        mig: Boolean(a.migProfile),
        busy: false,
        reporting: false,
      };
      d.busy ||= busy;
      d.reporting ||= reporting;
      devices.set(key, d);
    }
    const tally = (mig: boolean, group: string) => {
      let busy = 0;
      let reporting = 0;
      for (const d of devices.values()) {
        if (d.mig === mig && d.group === group) {
          busy += d.busy ? 1 : 0;
          reporting += d.reporting ? 1 : 0;
        }
      }
      return { busy, reporting };
    };
    return {
      ...base,
      status: 'available',
      byModel: base.byModel.map(m => ({ ...m, ...tally(false, m.model) })),
      byProfile: base.byProfile.map(p => ({
        ...p,
        ...tally(true, p.profile),
      })),
    };
  }

  /** One Prometheus read per cluster per maxAgeMs, shared by concurrent callers. */
  private read(cluster: string): Promise<GpuActivity[]> {
    const now = Date.now();
    const cached = this.reads.get(cluster);
    if (cached && now - cached.at < this.options.maxAgeMs) {
      return cached.result;
    }
    const result = this.options.gpuMetrics
      .gpuActivity(cluster, { windowSeconds: this.options.windowSeconds })
      .catch(error => {
        this.options.logger.warn(
          `GPU activity of cluster ${cluster} is unavailable: ${error}`,
          { cluster },
        );
        throw error;
      });
    this.reads.set(cluster, { at: now, result });
    return result;
  }
}
