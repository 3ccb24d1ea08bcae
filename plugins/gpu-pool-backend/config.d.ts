export interface Config {
  /** GPU pool: pooled GPUs leased to teams, and self-served namespaces. */
  gpuPool?: {
    /**
     * How often the reconciler and lease clock run, in seconds (default 5).
     * Changes made through the API are also applied at once.
     */
    reconcileIntervalSeconds?: number;
    /** ISO 8601 duration before expiry at which owners are notified (default PT2H). */
    notifyBeforeExpiry?: string;
    /** Default CPU and memory quota and pod count of a namespace. */
    defaults?: {
      pods?: number;
    };
    /** The pools, each one GPU resource on one cluster. */
    pools?: Array<{
      /** Unique id, e.g. lab-main-h100. */
      id: string;
      /** Cluster name from kubernetesAccess.clusters. */
      cluster: string;
      /** Display name, e.g. "H100 80GB". */
      title?: string;
      /** Extended resource, e.g. nvidia.com/gpu or nvidia.com/mig-1g.10gb. */
      resource: string;
      /** Value of the nvidia.com/gpu.product node label the pool is limited to. */
      product?: string;
      /** GPUs kept out of the pool (for the platform, failures, ...). */
      reserve?: number;
      /** Most GPUs one request may ask for (default: capacity). */
      maxPerRequest?: number;
      /** Longest lease, ISO 8601 (default P7D). */
      maxDuration?: string;
      /** Lease when the request names none, ISO 8601 (default P1D). */
      defaultDuration?: string;
    }>;
    /** Guaranteed GPUs per team and pool: requests within them are approved at once. */
    allowances?: Array<{
      /** Group entity ref, e.g. group:default/ml-team. */
      team: string;
      /** Pool id. */
      pool: string;
      /** GPUs. */
      gpus: number;
    }>;
  };
}
