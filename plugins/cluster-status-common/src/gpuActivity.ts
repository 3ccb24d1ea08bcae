import type { components } from './generated/openapi';

/**
 * Whether a cluster's GPU activity could be read: `available`,
 * `not-configured` (no `gpuMetrics` for the cluster: "no GPU metrics", never
 * idle) or `unavailable` (its Prometheus failed; the error says why).
 *
 * @public
 */
export type GpuMetricsStatus = ClusterGpuActivity['status'];

/**
 * Busy against allocated for one group of GPUs (a model or a MIG profile):
 * the fields `GpuModelActivity` and `GpuProfileActivity` share, which the
 * spec does not name on its own.
 *
 * @public
 */
export type GpuBusyCount = Omit<GpuModelActivity, 'model'>;

/**
 * Busy against allocated for the whole `nvidia.com/gpu` devices of one model.
 *
 * @public
 */
export type GpuModelActivity = components['schemas']['GpuModelActivity'];

/**
 * Busy against allocated for the MIG instances of one profile.
 *
 * @public
 */
export type GpuProfileActivity = components['schemas']['GpuProfileActivity'];

/**
 * GPU activity of one cluster, from NVIDIA DCGM's engine activity.
 *
 * @public
 */
export type ClusterGpuActivity = components['schemas']['ClusterGpuActivity'];
