import type { components } from './generated/openapi';

// The wire shapes below are the backend's OpenAPI spec
// (plugins/cluster-status-backend/src/schema/openapi.yaml), whose responses
// the contract tests check; these names only keep the package's vocabulary.
type Schemas = components['schemas'];

/**
 * Connection state of one cluster as seen by the portal.
 *
 * @public
 */
export type ClusterConnectionStatus = Schemas['ClusterStatus'];

/**
 * Allocatable versus requested amount of a resource.
 *
 * @public
 */
export type ResourceUsage = Schemas['ResourceUsage'];

/**
 * GPU figures of one group (a model, a MIG profile or a whole cluster).
 *
 * @public
 */
export type GpuCount = Schemas['GpuCount'];

/**
 * GPUs of one model (`nvidia.com/gpu.product`), counted as whole
 * `nvidia.com/gpu` devices.
 *
 * @public
 */
export type GpuModelCount = Schemas['GpuModelCount'];

/**
 * MIG slices of one profile (`nvidia.com/mig-<profile>` resources).
 *
 * @public
 */
export type GpuProfileCount = Schemas['GpuProfileCount'];

/**
 * GPU totals of a cluster.
 *
 * @public
 */
export type GpuSummary = Schemas['GpuSummary'];

/**
 * Compact node state used by the fleet page's node grid.
 *
 * @public
 */
export type NodeTile = Schemas['NodeTile'];

/**
 * Health of a node: `ready`, `not-ready` (Ready is False or Unknown),
 * `pressure` (Memory/Disk/PID pressure) or `cordoned`.
 *
 * @public
 */
export type NodeHealth = Schemas['NodeHealth'];

/**
 * The summary of one cluster, as listed by `GET /clusters`.
 *
 * @public
 */
export type ClusterSummary = Schemas['ClusterSummary'];

/**
 * One node condition.
 *
 * @public
 */
export type NodeCondition = NodeDetails['conditions'][number];

/**
 * One node taint.
 *
 * @public
 */
export type NodeTaint = NodeDetails['taints'][number];

/**
 * A node with its GPUs, as listed by `GET /clusters/{name}`.
 *
 * @public
 */
export type NodeDetails = Schemas['NodeDetails'];

/**
 * Quota usage of one resource in a namespace.
 *
 * @public
 */
export type QuotaUsage = NamespaceDetails['quotas'][number];

/**
 * One namespace the caller may see in detail.
 *
 * @public
 */
export type NamespaceDetails = Schemas['NamespaceDetails'];

/**
 * Totals of the namespaces the caller may not see in detail.
 *
 * @public
 */
export type HiddenNamespaces = ClusterDetails['hiddenNamespaces'];

/**
 * A pod that needs attention.
 *
 * @public
 */
export type ProblemPod = Schemas['ProblemPod'];

/**
 * A recent warning event.
 *
 * @public
 */
export type WarningEvent = Schemas['WarningEvent'];

/**
 * Everything about one cluster, as answered by `GET /clusters/{name}`.
 *
 * @public
 */
export type ClusterDetails = Schemas['ClusterDetails'];

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
