export interface Config {
  /** GPU pool: pooled GPUs leased to teams, and self-served namespaces. */
  gpuPool?: {
    /**
     * How often the reconciler and lease clock run, in seconds (default 5).
     * Changes made through the API are also applied at once.
     */
    reconcileIntervalSeconds?: number;
    /**
     * How long one reconcile pass may run, in seconds (default 120). A
     * replica that dies mid-pass holds the task this long; then another
     * replica takes it over.
     */
    reconcileTimeoutSeconds?: number;
    /** How often idle reclaim checks the leases, in seconds (default 60). */
    idleReclaimIntervalSeconds?: number;
    /** ISO 8601 duration before expiry at which owners are notified (default PT2H). */
    notifyBeforeExpiry?: string;
    /** The notifications the GPU pool sends to people. */
    notifications?: {
      /**
       * The language of their title and description, the portal's language:
       * `ko` (default) or `en`. Notifications carry plain text, so the
       * backend writes them in one language.
       */
      language?: 'ko' | 'en';
      /**
       * The portal's time zone, an IANA name (default `Asia/Seoul`): times
       * inside the text (lease end, stop, reclaim) are written in it with
       * their offset, e.g. `2026. 12. 1. 오후 2:41 (GMT+9)`. An unknown zone
       * stops the backend at start-up.
       */
      timeZone?: string;
    };
    /** Default CPU and memory quota and pod count of a namespace. */
    defaults?: {
      pods?: number;
    };
    /**
     * Namespaces the GPU pool never requests, writes or deletes, on top of the
     * built-in ones (`kube-*`, `default`, the GPU operator's and the portal's
     * own). A trailing `*` matches any suffix, e.g. `kueue-*`.
     */
    protectedNamespaces?: string[];
    /** CPU and memory, limited like GPUs. */
    compute?: {
      /** Most one request may ask for; more is refused (400). */
      maxPerRequest?: {
        /** Kubernetes CPU quantity, default "64". */
        cpu?: string;
        /** Kubernetes memory quantity, default "512Gi". */
        memory?: string;
      };
      /**
       * What a team without its own entry in `computeAllowances` may hold
       * (granted plus queued) before the platform team must approve.
       */
      defaultAllowance?: {
        /** Default "32". */
        cpu?: string;
        /** Default "256Gi". */
        memory?: string;
      };
    };
    /** CPU and memory a team may hold before approval, per team. */
    computeAllowances?: Array<{
      /** Group entity ref, e.g. group:default/ml-team. */
      team: string;
      /** Kubernetes CPU quantity. */
      cpu: string;
      /** Kubernetes memory quantity. */
      memory: string;
    }>;
    /** Namespace-only requests (no GPUs). */
    namespaces?: {
      /** Lease when the request names none, ISO 8601 (default P30D). */
      defaultDuration?: string;
      /** Longest lease, ISO 8601 (default P90D). */
      maxDuration?: string;
      /** Namespace-only requests a team may have open at once (default 5). */
      maxPerTeam?: number;
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
      /**
       * Idle reclaim: a lease whose GPUs all stay below `thresholdPercent`
       * engine activity for `idleMinutes` is nudged, and reclaimed when its
       * owners do not answer within `graceMinutes`. Absent: never reclaimed.
       * Minutes may be fractions (e.g. 0.25 in tests).
       */
      idleReclaim?: {
        /** Engine activity (DCGM_FI_PROF_GR_ENGINE_ACTIVE) below which a GPU is idle, percent. */
        thresholdPercent: number;
        /** How long every GPU of the lease must stay idle. */
        idleMinutes: number;
        /** How long the owners have to keep or release before the reclaim. */
        graceMinutes: number;
        /** How long "keep" stops the reclaim (default 720, 12 hours). */
        keepMinutes?: number;
      };
      /**
       * Kueue enforcement: GPUs of this pool a team's ClusterQueue may borrow
       * from the cohort beyond its nominal quota. Absent: no limit.
       */
      borrowingLimit?: number;
      /**
       * Kueue enforcement: unused guaranteed GPUs of this pool a team's
       * ClusterQueue lends to the cohort. Absent: all of them.
       */
      lendingLimit?: number;
    }>;
    /**
     * How grants are enforced per cluster. Clusters not listed use `kueue`.
     */
    clusters?: Array<{
      /** Cluster name from kubernetesAccess.clusters. */
      name: string;
      /**
       * `kueue` (default): Kueue ResourceFlavors per pool, a ClusterQueue per
       * team in one cohort per cluster, a LocalQueue per team namespace.
       * `quota`: GPU ResourceQuotas only, for clusters without Kueue; refused
       * at start-up when two pools of the cluster share a resource name.
       */
      enforcement?: 'kueue' | 'quota';
    }>;
    /**
     * ISO 8601 duration between the notice to the owners and the stop of
     * workloads beyond an ended grant (default PT5M).
     */
    stopGracePeriod?: string;
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
