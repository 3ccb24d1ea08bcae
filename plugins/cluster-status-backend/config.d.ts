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
  };
}
