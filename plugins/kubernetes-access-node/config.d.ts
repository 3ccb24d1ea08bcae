export interface Config {
  /**
   * Access to the on-prem Kubernetes clusters used by the portal's backend
   * plugins (cluster status, GPU pool, scaffolder actions).
   */
  kubernetesAccess?: {
    /**
     * Default timeout in milliseconds applied to every request unless a
     * cluster overrides it. Defaults to 10000.
     */
    defaultTimeoutMs?: number;
    /**
     * The clusters the portal may talk to.
     */
    clusters: Array<{
      /**
       * Unique name of the cluster, a DNS-1123 label (for example `lab-main`).
       */
      name: string;
      /**
       * Human readable title shown in the portal.
       */
      title?: string;
      /**
       * URL of the Kubernetes API server, for example `https://10.0.0.1:6443`.
       * Required for the `serviceAccount` provider; optional for `kubeconfig`
       * and `inCluster`, where it overrides the discovered server.
       */
      url?: string;
      /**
       * Base64 encoded PEM bundle of the certificate authority that signed
       * the API server certificate.
       */
      caData?: string;
      /**
       * Disables TLS verification. Never enable this for production clusters.
       */
      skipTLSVerify?: boolean;
      /**
       * Timeout in milliseconds for each request to this cluster.
       */
      timeoutMs?: number;
      /**
       * The portal's read-only identity on the cluster: cluster status, the
       * catalog's cluster provider and the Kubernetes tab use it. Give it the
       * `portal-reader` ClusterRole of `deploy/rbac` (get, list, watch only).
       */
      auth:
        | {
            /** Authenticate with a static service account bearer token. */
            provider: 'serviceAccount';
            /**
             * The service account bearer token.
             * @visibility secret
             */
            serviceAccountToken: string;
          }
        | {
            /** Use server, CA and credentials from a kubeconfig file. */
            provider: 'kubeconfig';
            /** Path to the kubeconfig file. */
            kubeconfigPath: string;
            /** Context to use; defaults to the file's current context. */
            context?: string;
          }
        | {
            /** Use the service account of the pod the portal runs in. */
            provider: 'inCluster';
          };
      /**
       * The portal's writer identity, used only by the GPU-pool reconciler.
       * Give it the `portal-writer` ClusterRole of `deploy/rbac`. Without it,
       * every write to this cluster fails (the reader is never used instead).
       * Must not be the same token as `auth`.
       */
      writerAuth?:
        | {
            /** Authenticate with a static service account bearer token. */
            provider: 'serviceAccount';
            /**
             * The service account bearer token.
             * @visibility secret
             */
            serviceAccountToken: string;
          }
        | {
            /** Use server, CA and credentials from a kubeconfig file. */
            provider: 'kubeconfig';
            /** Path to the kubeconfig file. */
            kubeconfigPath: string;
            /** Context to use; defaults to the file's current context. */
            context?: string;
          }
        | {
            /** Use the service account of the pod the portal runs in. */
            provider: 'inCluster';
          };
      /**
       * Where the cluster's GPU metrics are: the Prometheus that scrapes its
       * NVIDIA DCGM exporters. Without it the portal shows "no GPU metrics"
       * for the cluster (never "idle") and nothing acts on GPU activity.
       */
      gpuMetrics?: {
        /** Base URL of Prometheus's HTTP API, e.g. `http://prometheus.monitoring:9090`. */
        prometheusUrl: string;
        /**
         * Extra PromQL label matchers selecting this cluster's series when one
         * Prometheus scrapes several clusters, e.g. `cluster="lab-main"`.
         */
        labelSelector?: string;
        /** Timeout of one Prometheus query in milliseconds; default 5000. */
        timeoutMs?: number;
      };
    }>;
  };
}
