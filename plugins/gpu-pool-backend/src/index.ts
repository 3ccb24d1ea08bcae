/**
 * GPU pool backend: leases of pooled GPUs and self-served namespaces, a
 * queue, and a reconciler that makes grants true in the clusters.
 *
 * @packageDocumentation
 */
export { gpuPoolPlugin as default } from './plugin';
