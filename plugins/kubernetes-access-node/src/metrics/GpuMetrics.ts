/**
 * Activity of one GPU, or of one MIG instance of a GPU, over a window, as
 * NVIDIA's DCGM exporter reports it through Prometheus.
 *
 * @public
 */
export interface GpuActivity {
  /** The node (the exporter's `Hostname` label). */
  node: string;
  /** The GPU index on the node (the exporter's `gpu` label). */
  gpu: string;
  /** The GPU's UUID (the exporter's `UUID` label). */
  uuid: string;
  /** The GPU model (the exporter's `modelName` label). */
  modelName: string;
  /** The MIG profile (`GPU_I_PROFILE`), only for MIG instances. */
  migProfile?: string;
  /** The namespace of the pod holding the GPU, when a pod holds it. */
  namespace?: string;
  /** The pod holding the GPU, when a pod holds it. */
  pod?: string;
  /** 0..1, the maximum of `DCGM_FI_PROF_GR_ENGINE_ACTIVE` over the window. */
  maxEngineActive: number;
  /** 0..1, the mean of `DCGM_FI_PROF_GR_ENGINE_ACTIVE` over the window. */
  meanEngineActive: number;
  /** Samples seen in the window; 0 means no data (never read it as idle). */
  samples: number;
}

/**
 * GPU activity of the clusters, read from each cluster's Prometheus
 * (`kubernetesAccess.clusters[].gpuMetrics`).
 *
 * @public
 */
export interface GpuMetrics {
  /** false when the cluster has no gpuMetrics configured */
  isConfigured(cluster: string): boolean;
  /**
   * Per-GPU activity over the last windowSeconds, optionally only GPUs held
   * by pods of one namespace.
   *
   * Throws NotFoundError for an unknown cluster, ServiceUnavailableError when
   * Prometheus fails or the cluster has no gpuMetrics configured.
   */
  gpuActivity(
    cluster: string,
    options: { windowSeconds: number; namespace?: string },
  ): Promise<GpuActivity[]>;
  /**
   * GPU-seconds of engine activity (integral of
   * DCGM_FI_PROF_GR_ENGINE_ACTIVE) of GPUs held by the namespace's pods
   * between start and end.
   */
  busyGpuSeconds(
    cluster: string,
    options: { namespace: string; start: Date; end: Date },
  ): Promise<number>;
}
