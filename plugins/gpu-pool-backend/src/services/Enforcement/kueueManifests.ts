import { parseEntityRef } from '@backstage/catalog-model';
import {
  formatCpu,
  formatMemory,
  parseQuantityNumber,
} from '@internal/kubernetes-quantity';
import type { CustomResourceRef } from '@internal/plugin-kubernetes-access-node';
import { GpuPoolConfig, PoolConfig } from '../../config/readGpuPoolConfig';
import { RequestRow } from '../../database/GpuPoolStore';
import { OWNER_LABEL } from '../Namespaces/namespaceOwnership';
import { OBJECT_NAME } from '../Reconciler/manifests';

/** Kueue's API group and the version the portal writes. */
export const KUEUE_GROUP = 'kueue.x-k8s.io';
export const KUEUE_VERSION = 'v1beta2';
/** The Job label that sends a Job to a LocalQueue. */
export const QUEUE_NAME_LABEL = 'kueue.x-k8s.io/queue-name';
/** The node label a pool's product is matched on (NVIDIA GPU feature discovery). */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
/** The LocalQueue of every portal namespace: Jobs carry this queue name. */
export const LOCAL_QUEUE_NAME = OBJECT_NAME;
/** The one cohort of the portal's ClusterQueues in a cluster. */
export const COHORT_NAME = 'portal-gpu-pool';
/** The flavor that covers CPU and memory (no node constraint). */
export const COMPUTE_FLAVOR = 'portal-compute';
/** Marks every object the portal manages; nothing without it is touched. */
export const MANAGED_BY = {
  'app.kubernetes.io/managed-by': 'portal-gpu-pool',
} as const;

function kueueType(plural: string, kind: string): CustomResourceRef {
  return { group: KUEUE_GROUP, version: KUEUE_VERSION, plural, kind };
}

/** The Kueue resource types the portal reads and writes. */
export const kueueTypes = {
  resourceFlavors: kueueType('resourceflavors', 'ResourceFlavor'),
  clusterQueues: kueueType('clusterqueues', 'ClusterQueue'),
  localQueues: kueueType('localqueues', 'LocalQueue'),
  workloads: kueueType('workloads', 'Workload'),
};

/** The ClusterQueue name of a team. */
export function clusterQueueName(team: string) {
  return `portal-${parseEntityRef(team).name}`;
}

/**
 * One ResourceFlavor per pool: a product pool selects its nodes by the GPU
 * product label (Kueue injects `nodeLabels` into the admitted pods'
 * nodeSelector); a MIG pool is told apart by its resource name alone.
 */
export function buildResourceFlavor(pool: PoolConfig) {
  return {
    apiVersion: `${KUEUE_GROUP}/${KUEUE_VERSION}`,
    kind: 'ResourceFlavor',
    metadata: {
      name: pool.id,
      labels: { ...MANAGED_BY, 'portal.cloud-smart.io/gpu-pool': pool.id },
    },
    spec: pool.product
      ? { nodeLabels: { [GPU_PRODUCT_LABEL]: pool.product } }
      : {},
  };
}

/** The flavor of CPU and memory, which Kueue must cover to admit any pod. */
export function buildComputeFlavor() {
  return {
    apiVersion: `${KUEUE_GROUP}/${KUEUE_VERSION}`,
    kind: 'ResourceFlavor',
    metadata: { name: COMPUTE_FLAVOR, labels: { ...MANAGED_BY } },
    spec: {},
  };
}

/** GPUs per pool a team holds through requests that hold grants. */
export function heldGpus(holding: RequestRow[]) {
  const held = new Map<string, number>();
  for (const r of holding) {
    for (const g of r.gpus) held.set(g.pool, (held.get(g.pool) ?? 0) + g.count);
  }
  return held;
}

/**
 * A team's guaranteed GPUs in a pool: its allowance, raised by active leases
 * above it for their lifetime.
 */
export function nominalGpus(
  config: GpuPoolConfig,
  team: string,
  pool: string,
  held: Map<string, number>,
) {
  const allowance = config.allowances.get(team)?.get(pool) ?? 0;
  return Math.max(allowance, held.get(pool) ?? 0);
}

/**
 * The ClusterQueue of one team on one cluster, in the cluster's cohort.
 * One resource group per GPU resource name, its flavors the pools on that
 * resource (A100, H100, L40S on `nvidia.com/gpu`), and one for CPU and
 * memory (what the team's leases grant). Only the team's namespaces may
 * submit to it.
 */
export function buildClusterQueue(options: {
  config: GpuPoolConfig;
  cluster: string;
  team: string;
  /** The team's requests on this cluster that hold grants. */
  holding: RequestRow[];
}) {
  const { config, cluster, team, holding } = options;
  const held = heldGpus(holding);
  const pools = config.pools.filter(p => p.cluster === cluster);
  const resources = [...new Set(pools.map(p => p.resource))];
  const resourceGroups: any[] = resources.map(resource => ({
    coveredResources: [resource],
    flavors: pools
      .filter(p => p.resource === resource)
      .map(p => ({
        name: p.id,
        resources: [
          {
            name: resource,
            nominalQuota: String(nominalGpus(config, team, p.id, held)),
            ...(p.borrowingLimit !== undefined
              ? { borrowingLimit: String(p.borrowingLimit) }
              : {}),
            ...(p.lendingLimit !== undefined
              ? { lendingLimit: String(p.lendingLimit) }
              : {}),
          },
        ],
      })),
  }));
  let cpu = 0;
  let memory = 0;
  for (const r of holding) {
    cpu += parseQuantityNumber(r.cpu) ?? 0;
    memory += parseQuantityNumber(r.memory) ?? 0;
  }
  resourceGroups.push({
    coveredResources: ['cpu', 'memory'],
    flavors: [
      {
        name: COMPUTE_FLAVOR,
        resources: [
          { name: 'cpu', nominalQuota: formatCpu(cpu) },
          { name: 'memory', nominalQuota: formatMemory(memory) },
        ],
      },
    ],
  });
  const teamName = parseEntityRef(team).name;
  return {
    apiVersion: `${KUEUE_GROUP}/${KUEUE_VERSION}`,
    kind: 'ClusterQueue',
    metadata: {
      name: clusterQueueName(team),
      labels: { ...MANAGED_BY, [OWNER_LABEL]: teamName },
    },
    spec: {
      cohortName: COHORT_NAME,
      namespaceSelector: { matchLabels: { [OWNER_LABEL]: teamName } },
      queueingStrategy: 'BestEffortFIFO',
      resourceGroups,
    },
  };
}

/**
 * The LocalQueue of a team namespace. `HoldAndDrain` when no grant remains
 * in the namespace: Kueue evicts what runs and admits nothing more.
 */
export function buildLocalQueue(options: {
  namespace: string;
  team: string;
  stop: boolean;
}) {
  const teamName = parseEntityRef(options.team).name;
  return {
    apiVersion: `${KUEUE_GROUP}/${KUEUE_VERSION}`,
    kind: 'LocalQueue',
    metadata: {
      name: LOCAL_QUEUE_NAME,
      namespace: options.namespace,
      labels: { ...MANAGED_BY, [OWNER_LABEL]: teamName },
    },
    spec: {
      clusterQueue: clusterQueueName(options.team),
      stopPolicy: options.stop ? 'HoldAndDrain' : 'None',
    },
  };
}

/** Whether an object carries the portal's managed-by label. */
export function isPortalManaged(object: any) {
  return (
    object?.metadata?.labels?.['app.kubernetes.io/managed-by'] ===
    MANAGED_BY['app.kubernetes.io/managed-by']
  );
}

/** Teams with a ClusterQueue on a cluster: an allowance there, or requests. */
export function teamsOf(
  config: GpuPoolConfig,
  cluster: string,
  requests: RequestRow[],
) {
  const pools = config.pools.filter(p => p.cluster === cluster);
  const teams = new Set<string>(
    requests.filter(r => r.cluster === cluster).map(r => r.team),
  );
  for (const [team, perPool] of config.allowances) {
    if (pools.some(p => (perPool.get(p.id) ?? 0) > 0)) teams.add(team);
  }
  return [...teams].sort();
}

/**
 * The most GPUs per resource name a team's ClusterQueue can ever be
 * admitted: per flavor its nominal quota plus its borrowing limit, at most
 * what the whole cohort holds (its nominal quotas summed). The namespace
 * quota uses it as a backstop for pods that bypass Kueue.
 */
export function gpuCeilings(
  config: GpuPoolConfig,
  cluster: string,
  team: string,
  /** Every request on the cluster that holds grants. */
  holding: RequestRow[],
) {
  const onCluster = holding.filter(r => r.cluster === cluster);
  const heldBy = new Map(
    teamsOf(config, cluster, onCluster).map(t => [
      t,
      heldGpus(onCluster.filter(r => r.team === t)),
    ]),
  );
  const ceilings = new Map<string, number>();
  for (const pool of config.pools.filter(p => p.cluster === cluster)) {
    let cohort = 0;
    for (const [t, held] of heldBy)
      cohort += nominalGpus(config, t, pool.id, held);
    const own = nominalGpus(
      config,
      team,
      pool.id,
      heldBy.get(team) ?? new Map(),
    );
    const most =
      pool.borrowingLimit === undefined
        ? cohort
        : Math.min(cohort, own + pool.borrowingLimit);
    ceilings.set(
      pool.resource,
      (ceilings.get(pool.resource) ?? 0) + Math.max(own, most),
    );
  }
  return ceilings;
}
