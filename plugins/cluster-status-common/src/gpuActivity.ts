/**
 * Whether a cluster's GPU activity could be read: `available`,
 * `not-configured` (no `gpuMetrics` for the cluster: "no GPU metrics", never
 * idle) or `unavailable` (its Prometheus failed; the error says why).
 *
 * @public
 */
export type GpuMetricsStatus = 'available' | 'not-configured' | 'unavailable';

/**
 * Busy against allocated for one group of GPUs (a model or a MIG profile).
 *
 * @public
 */
export interface GpuBusyCount {
  /** GPUs (or MIG instances) the nodes offer. */
  allocatable: number;
  /** Requested by running or scheduled pods, as the fleet counts them. */
  allocated: number;
  /**
   * GPUs whose mean engine activity over the window is at or above the busy
   * threshold. Absent unless the cluster's status is `available`.
   */
  busy?: number;
  /** GPUs that reported samples in the window; absent unless `available`. */
  reporting?: number;
}

/**
 * Busy against allocated for the whole `nvidia.com/gpu` devices of one model.
 *
 * @public
 */
export interface GpuModelActivity extends GpuBusyCount {
  /** The `nvidia.com/gpu.product` node label, as in the fleet's GPU counts. */
  model: string;
}

/**
 * Busy against allocated for the MIG instances of one profile.
 *
 * @public
 */
export interface GpuProfileActivity extends GpuBusyCount {
  /** For example `1g.10gb`. */
  profile: string;
}

/**
 * GPU activity of one cluster, from NVIDIA DCGM's engine activity.
 *
 * @public
 */
export interface ClusterGpuActivity {
  cluster: string;
  status: GpuMetricsStatus;
  /** Why the metrics are unavailable. */
  error?: string;
  /** Length of the window the activity is averaged over, in seconds. */
  windowSeconds: number;
  /** Engine activity (0..1) at or above which a GPU counts as busy. */
  busyThreshold: number;
  /** When the figures were read. */
  updatedAt: string;
  byModel: GpuModelActivity[];
  byProfile: GpuProfileActivity[];
}
