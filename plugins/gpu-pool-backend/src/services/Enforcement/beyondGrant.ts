import { parseQuantityNumber } from '@internal/kubernetes-quantity';
import { PoolConfig } from '../../config/readGpuPoolConfig';

/** Something that holds GPUs and can be stopped: a Workload or a pod. */
export interface GpuHolder {
  namespace: string;
  name: string;
  /** Creation time in ms; the youngest are stopped first. */
  createdAt: number;
  /** GPUs per key (a pool id for Workloads, a resource name for pods). */
  gpus: Map<string, number>;
}

/**
 * Picks the youngest holders to stop until, for every key, what the rest
 * hold is within `allowed` (missing keys allow 0). Stopping a holder frees
 * all of its keys at once, so a multi-pool Workload is stopped only once.
 */
export function holdersBeyond(
  holders: GpuHolder[],
  allowed: Map<string, number>,
): GpuHolder[] {
  const total = new Map<string, number>();
  for (const h of holders) {
    for (const [key, n] of h.gpus) total.set(key, (total.get(key) ?? 0) + n);
  }
  const youngestFirst = [...holders].sort(
    (a, b) =>
      b.createdAt - a.createdAt ||
      `${b.namespace}/${b.name}`.localeCompare(`${a.namespace}/${a.name}`),
  );
  const stopped: GpuHolder[] = [];
  for (const [key] of [...total].sort(([a], [b]) => a.localeCompare(b))) {
    for (const h of youngestFirst) {
      if ((total.get(key) ?? 0) <= (allowed.get(key) ?? 0)) break;
      if (!h.gpus.get(key) || stopped.includes(h)) continue;
      stopped.push(h);
      for (const [k, n] of h.gpus) total.set(k, (total.get(k) ?? 0) - n);
    }
  }
  return stopped;
}

function condition(object: any, type: string) {
  return (
    (object?.status?.conditions ?? []).find((c: any) => c.type === type)
      ?.status === 'True'
  );
}

function createdAt(object: any) {
  const ts = object?.metadata?.creationTimestamp;
  const ms = ts ? new Date(ts).getTime() : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * A Workload that holds quota now: admitted, active, not finished. Its GPUs
 * per pool come from the flavors Kueue assigned (status.admission), so a
 * pool is only charged for what was admitted on its flavor.
 */
export function admittedWorkloadGpus(
  workload: any,
  pools: PoolConfig[],
): GpuHolder | undefined {
  if (workload?.spec?.active === false) return undefined;
  if (!workload?.status?.admission) return undefined;
  if (!condition(workload, 'Admitted') || condition(workload, 'Finished')) {
    return undefined;
  }
  const gpus = new Map<string, number>();
  for (const psa of workload.status.admission.podSetAssignments ?? []) {
    for (const [resource, flavor] of Object.entries<string>(
      psa.flavors ?? {},
    )) {
      const pool = pools.find(p => p.id === flavor && p.resource === resource);
      if (!pool) continue;
      const n =
        parseQuantityNumber(String(psa.resourceUsage?.[resource] ?? '0')) ?? 0;
      if (n > 0) gpus.set(pool.id, (gpus.get(pool.id) ?? 0) + n);
    }
  }
  if (gpus.size === 0) return undefined;
  return {
    namespace: workload.metadata.namespace,
    name: workload.metadata.name,
    createdAt: createdAt(workload),
    gpus,
  };
}

/** GPUs a pod requests per resource (requests, else limits). */
export function podGpus(pod: any, resources: string[]) {
  const gpus = new Map<string, number>();
  const containers = [
    ...(pod?.spec?.containers ?? []),
    ...(pod?.spec?.initContainers ?? []),
  ];
  for (const c of containers) {
    for (const resource of resources) {
      const raw =
        c?.resources?.requests?.[resource] ?? c?.resources?.limits?.[resource];
      const n = raw === undefined ? 0 : parseQuantityNumber(String(raw)) ?? 0;
      if (n > 0) gpus.set(resource, (gpus.get(resource) ?? 0) + n);
    }
  }
  return gpus;
}

/** A pod that holds GPUs now: not finished, not being deleted, GPUs requested. */
export function gpuPodHolder(
  pod: any,
  resources: string[],
): GpuHolder | undefined {
  const phase = pod?.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  if (pod?.metadata?.deletionTimestamp) return undefined;
  const gpus = podGpus(pod, resources);
  if (gpus.size === 0) return undefined;
  return {
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    createdAt: createdAt(pod),
    gpus,
  };
}
