/**
 * Connection state of one cluster as seen by the portal.
 *
 * @public
 */
export type ClusterConnectionStatus =
  | 'pending'
  | 'reachable'
  | 'unreachable'
  | 'authentication-failed';

/**
 * Allocatable versus requested amount of a resource.
 *
 * @public
 */
export interface ResourceUsage {
  /** Sum of node allocatable, in cores (CPU) or bytes (memory). */
  allocatable: number;
  /** Sum of the requests of non-terminated pods bound to nodes. */
  requested: number;
}

/**
 * GPU figures of one group (a model, a MIG profile or a whole cluster).
 *
 * @public
 */
export interface GpuCount {
  total: number;
  /** Requested by running or scheduled pods. */
  allocated: number;
  /** Unallocated on nodes that accept new pods (Ready, not cordoned, no condition taints). */
  free: number;
  /** Unallocated but on nodes that do not accept new pods. */
  unavailable: number;
}

/**
 * GPUs of one model (`nvidia.com/gpu.product`), counted as whole
 * `nvidia.com/gpu` devices.
 *
 * @public
 */
export interface GpuModelCount extends GpuCount {
  model: string;
  /** Memory per GPU in MiB, from `nvidia.com/gpu.memory`. */
  memoryMiB?: number;
}

/**
 * MIG slices of one profile (`nvidia.com/mig-<profile>` resources).
 *
 * @public
 */
export interface GpuProfileCount extends GpuCount {
  /** For example `1g.10gb`. */
  profile: string;
}

/**
 * GPU totals of a cluster.
 *
 * @public
 */
export interface GpuSummary extends GpuCount {
  byModel: GpuModelCount[];
  byProfile: GpuProfileCount[];
}

/**
 * Compact node state used by the fleet page's node grid.
 *
 * @public
 */
export interface NodeTile {
  name: string;
  health: NodeHealth;
  gpuModel?: string;
  /** Whole GPUs plus MIG slices. */
  gpuTotal: number;
  gpuAllocated: number;
}

/**
 * Health of a node: `ready`, `not-ready` (Ready is False or Unknown),
 * `pressure` (Memory/Disk/PID pressure) or `cordoned`.
 *
 * @public
 */
export type NodeHealth = 'ready' | 'not-ready' | 'pressure' | 'cordoned';

/**
 * The summary of one cluster, as listed by `GET /clusters`.
 *
 * @public
 */
export interface ClusterSummary {
  name: string;
  title: string;
  status: ClusterConnectionStatus;
  /** Kubernetes version; undefined until the cluster was reached once. */
  version?: string;
  /** ISO time of the last successful contact. */
  lastContact?: string;
  /** Why the last attempt failed, when status is not `reachable`. */
  error?: string;
  /** ISO time the cached data was last changed. */
  updatedAt?: string;
  nodes: { total: number; ready: number; notReady: number; cordoned: number };
  pods: { total: number; running: number; pending: number; failed: number };
  cpu: ResourceUsage;
  memory: ResourceUsage;
  gpus: GpuSummary;
  /** One tile per node, for the fleet page grid. */
  nodeTiles: NodeTile[];
}

/**
 * One node condition.
 *
 * @public
 */
export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * One node taint.
 *
 * @public
 */
export interface NodeTaint {
  key: string;
  value?: string;
  effect: string;
}

/**
 * A node with its GPUs, as listed by `GET /clusters/{name}`.
 *
 * @public
 */
export interface NodeDetails {
  name: string;
  health: NodeHealth;
  roles: string[];
  unschedulable: boolean;
  kubeletVersion?: string;
  conditions: NodeCondition[];
  taints: NodeTaint[];
  cpu: ResourceUsage;
  memory: ResourceUsage;
  pods: number;
  gpu?: {
    product?: string;
    /** Physical GPUs (`nvidia.com/gpu.count`). */
    count?: number;
    memoryMiB?: number;
    migStrategy?: string;
    /** Whole `nvidia.com/gpu` devices. */
    devices: GpuCount;
    /** MIG layout: slices per profile with their allocation. */
    mig: GpuProfileCount[];
  };
}

/**
 * Quota usage of one resource in a namespace.
 *
 * @public
 */
export interface QuotaUsage {
  resource: string;
  /** Kubernetes quantity strings as the quota reports them. */
  hard: string;
  used: string;
  /** used / hard in [0, 1+]; undefined when hard is zero. */
  ratio?: number;
}

/**
 * One namespace the caller may see in detail.
 *
 * @public
 */
export interface NamespaceDetails {
  name: string;
  /** Group name from the `portal.cloud-smart.io/owner` label. */
  owner?: string;
  pods: number;
  gpuRequested: number;
  quotas: QuotaUsage[];
}

/**
 * Totals of the namespaces the caller may not see in detail.
 *
 * @public
 */
export interface HiddenNamespaces {
  count: number;
  pods: number;
  gpuRequested: number;
}

/**
 * A pod that needs attention.
 *
 * @public
 */
export interface ProblemPod {
  namespace: string;
  name: string;
  /** CrashLoopBackOff, ImagePullBackOff, ErrImagePull, Unschedulable, Failed... */
  reason: string;
  message?: string;
  nodeName?: string;
  restarts: number;
  since?: string;
}

/**
 * A recent warning event.
 *
 * @public
 */
export interface WarningEvent {
  namespace?: string;
  involvedObject: { kind?: string; name?: string };
  reason?: string;
  message?: string;
  count: number;
  lastTimestamp?: string;
}

/**
 * Everything about one cluster, as answered by `GET /clusters/{name}`.
 *
 * @public
 */
export interface ClusterDetails extends ClusterSummary {
  nodeDetails: NodeDetails[];
  namespaces: NamespaceDetails[];
  hiddenNamespaces: HiddenNamespaces;
  problemPods: ProblemPod[];
  /** Problem pods in hidden namespaces, counted only. */
  hiddenProblemPods: number;
  warningEvents: WarningEvent[];
  hiddenWarningEvents: number;
}

/**
 * Message of the `cluster-status` signal channel, sent when a cluster's
 * cached state changed.
 *
 * @public
 */
export interface ClusterStatusSignal {
  [key: string]: string;
  cluster: string;
  status: ClusterConnectionStatus;
  updatedAt: string;
}

/**
 * Signal channel of live updates.
 *
 * @public
 */
export const CLUSTER_STATUS_SIGNAL_CHANNEL = 'cluster-status';

/**
 * Label naming the group that owns a namespace.
 *
 * @public
 */
export const NAMESPACE_OWNER_LABEL = 'portal.cloud-smart.io/owner';
