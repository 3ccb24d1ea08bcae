import type { ClusterClient } from '@internal/plugin-kubernetes-access-node';
import {
  NAMESPACE_OWNER_LABEL,
  NodeCondition,
  NodeTaint,
} from '@internal/plugin-cluster-status-common';
import { parseQuantityNumber } from '@internal/kubernetes-quantity';

// The access layer's model types, named without importing the client library.
type Model<K extends keyof ClusterClient> = ClusterClient[K] extends {
  get(...args: any[]): Promise<infer T>;
}
  ? T
  : never;
/** A Node as the access layer returns it. */
export type NodeObject = Model<'nodes'>;
/** A Pod as the access layer returns it. */
export type PodObject = Model<'pods'>;
/** A Namespace as the access layer returns it. */
export type NamespaceObject = Model<'namespaces'>;
/** A ResourceQuota as the access layer returns it. */
export type QuotaObject = Model<'resourceQuotas'>;
/** An Event as the access layer returns it. */
export type EventObject = Model<'events'>;

const GPU_RESOURCE = 'nvidia.com/gpu';
const MIG_PREFIX = 'nvidia.com/mig-';

/**
 * Only the fields the views need are kept: the cache of a 5,000-node fleet
 * then fits in a fraction of what the full objects would take.
 */
export interface NodeRecord {
  name: string;
  roles: string[];
  unschedulable: boolean;
  kubeletVersion?: string;
  conditions: NodeCondition[];
  taints: NodeTaint[];
  cpu: number;
  memory: number;
  gpuProduct?: string;
  gpuCount?: number;
  gpuMemoryMiB?: number;
  migStrategy?: string;
  gpus: number;
  mig: Record<string, number>;
}

export interface Requests {
  cpu: number;
  memory: number;
  gpus: number;
  mig: Record<string, number>;
}

export interface PodRecord {
  namespace: string;
  name: string;
  nodeName?: string;
  phase: string;
  requests: Requests;
  problem?: {
    reason: string;
    message?: string;
    restarts: number;
    since?: string;
  };
}

export interface NamespaceRecord {
  name: string;
  owner?: string;
}

export interface QuotaRecord {
  namespace: string;
  name: string;
  hard: Record<string, string>;
  used: Record<string, string>;
}

export interface EventRecord {
  key: string;
  namespace?: string;
  involvedObject: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  count: number;
  lastTimestamp?: string;
  warning: boolean;
}

/** Timestamps arrive as Date (built-in kinds) or strings. */
export function toIso(value: unknown): string | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  }
  return typeof value === 'string' ? value : undefined;
}

function labelNumber(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function migResources(resources: Record<string, unknown> | undefined) {
  const mig: Record<string, number> = {};
  for (const [key, value] of Object.entries(resources ?? {})) {
    if (key.startsWith(MIG_PREFIX)) {
      const amount = parseQuantityNumber(String(value)) ?? 0;
      if (amount > 0) {
        mig[key.slice(MIG_PREFIX.length)] = amount;
      }
    }
  }
  return mig;
}

export function toNodeRecord(node: NodeObject): NodeRecord {
  const labels = node.metadata?.labels ?? {};
  const allocatable = (node.status?.allocatable ?? {}) as Record<
    string,
    string
  >;
  const roles = Object.keys(labels)
    .filter(l => l.startsWith('node-role.kubernetes.io/'))
    .map(l => l.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean);
  return {
    name: node.metadata?.name ?? '',
    roles,
    unschedulable: node.spec?.unschedulable === true,
    kubeletVersion: node.status?.nodeInfo?.kubeletVersion,
    conditions: (node.status?.conditions ?? []).map(c => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: toIso(c.lastTransitionTime),
    })),
    taints: (node.spec?.taints ?? []).map(t => ({
      key: t.key,
      value: t.value,
      effect: t.effect,
    })),
    cpu: parseQuantityNumber(allocatable.cpu) ?? 0,
    memory: parseQuantityNumber(allocatable.memory) ?? 0,
    gpuProduct: labels['nvidia.com/gpu.product'],
    gpuCount: labelNumber(labels['nvidia.com/gpu.count']),
    gpuMemoryMiB: labelNumber(labels['nvidia.com/gpu.memory']),
    migStrategy: labels['nvidia.com/mig.strategy'],
    gpus: parseQuantityNumber(allocatable[GPU_RESOURCE]) ?? 0,
    mig: migResources(allocatable),
  };
}

type ContainerLike = {
  resources?: { requests?: Record<string, unknown> };
};

function requestsOf(container: ContainerLike): Requests {
  const requests = container.resources?.requests ?? {};
  return {
    cpu: parseQuantityNumber(requests.cpu as string | undefined) ?? 0,
    memory: parseQuantityNumber(requests.memory as string | undefined) ?? 0,
    gpus:
      parseQuantityNumber(requests[GPU_RESOURCE] as string | undefined) ?? 0,
    mig: migResources(requests),
  };
}

function combine(
  a: Requests,
  b: Requests,
  op: (x: number, y: number) => number,
): Requests {
  const mig: Record<string, number> = { ...a.mig };
  for (const [k, v] of Object.entries(b.mig)) {
    mig[k] = op(mig[k] ?? 0, v);
  }
  return {
    cpu: op(a.cpu, b.cpu),
    memory: op(a.memory, b.memory),
    gpus: op(a.gpus, b.gpus),
    mig,
  };
}

const NONE: Requests = { cpu: 0, memory: 0, gpus: 0, mig: {} };

/**
 * Effective requests as the scheduler counts them: the larger of the sum of
 * the app containers and the largest init container, plus pod overhead.
 */
export function podRequests(pod: PodObject): Requests {
  const containers = (pod.spec?.containers ?? []).reduce(
    (acc, c) => combine(acc, requestsOf(c), (x, y) => x + y),
    NONE,
  );
  const init = (pod.spec?.initContainers ?? []).reduce(
    (acc, c) => combine(acc, requestsOf(c), Math.max),
    NONE,
  );
  const overhead = requestsOf({
    resources: { requests: pod.spec?.overhead as Record<string, unknown> },
  });
  return combine(combine(containers, init, Math.max), overhead, (x, y) => x + y);
}

const WAITING_PROBLEMS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'InvalidImageName',
  'RunContainerError',
]);

function problemOf(pod: PodObject): PodRecord['problem'] {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    if (waiting?.reason && WAITING_PROBLEMS.has(waiting.reason)) {
      return { reason: waiting.reason, message: waiting.message, restarts };
    }
  }
  const phase = pod.status?.phase;
  if (phase === 'Pending') {
    const scheduled = pod.status?.conditions?.find(
      c => c.type === 'PodScheduled',
    );
    if (scheduled?.status === 'False') {
      return {
        reason: scheduled.reason ?? 'Unschedulable',
        message: scheduled.message,
        restarts,
        since: toIso(scheduled.lastTransitionTime),
      };
    }
  }
  if (phase === 'Failed') {
    return {
      reason: pod.status?.reason ?? 'Failed',
      message: pod.status?.message,
      restarts,
    };
  }
  return undefined;
}

export function toPodRecord(pod: PodObject): PodRecord {
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    nodeName: pod.spec?.nodeName,
    phase: pod.status?.phase ?? 'Unknown',
    requests: podRequests(pod),
    problem: problemOf(pod),
  };
}

export function toNamespaceRecord(ns: NamespaceObject): NamespaceRecord {
  return {
    name: ns.metadata?.name ?? '',
    owner: ns.metadata?.labels?.[NAMESPACE_OWNER_LABEL],
  };
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((value ?? {}) as object)) {
    out[k] = String(v);
  }
  return out;
}

export function toQuotaRecord(quota: QuotaObject): QuotaRecord {
  return {
    namespace: quota.metadata?.namespace ?? '',
    name: quota.metadata?.name ?? '',
    hard: stringMap(quota.status?.hard ?? quota.spec?.hard),
    used: stringMap(quota.status?.used),
  };
}

export function toEventRecord(event: EventObject): EventRecord {
  return {
    key: `${event.metadata?.namespace ?? ''}/${event.metadata?.name ?? ''}`,
    namespace: event.metadata?.namespace,
    involvedObject: {
      kind: event.involvedObject?.kind,
      name: event.involvedObject?.name,
      namespace: event.involvedObject?.namespace,
    },
    reason: event.reason,
    message: event.message,
    count: event.count ?? event.series?.count ?? 1,
    lastTimestamp:
      toIso(event.lastTimestamp) ??
      toIso(event.eventTime) ??
      toIso(event.metadata?.creationTimestamp),
    warning: event.type === 'Warning',
  };
}
