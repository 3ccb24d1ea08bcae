export interface Config {
  /** Cluster status plugin. Clusters come from `kubernetesAccess.clusters`. */
  clusterStatus?: {
    /**
     * Seconds between two reachability probes of a cluster (one tiny list
     * request each). A cluster that goes away shows as unreachable within
     * about this time plus the cluster's request timeout. Default 10.
     */
    probeIntervalSeconds?: number;
    /**
     * Minimum milliseconds between two live-update signals per cluster.
     * Default 2000.
     */
    signalThrottleMs?: number;
    /**
     * Busy against allocated GPUs on the fleet page, from each cluster's
     * `kubernetesAccess.clusters[].gpuMetrics`.
     */
    gpuActivity?: {
      /** Seconds the engine activity is averaged over (10..3600). Default 60. */
      windowSeconds?: number;
      /**
       * Mean DCGM_FI_PROF_GR_ENGINE_ACTIVE, in percent, at or above which a
       * GPU counts as busy. Default 5.
       */
      busyThresholdPercent?: number;
    };
  };
}
