// Kueue's visibility API (visibility.kueue.x-k8s.io/v1beta2): the pending
// workloads of a ClusterQueue or a LocalQueue as a PendingWorkloadsSummary,
// with positionInClusterQueue and positionInLocalQueue (0 is next).
import { badRequest, notFound } from '../api/errors';
import { ResourceType } from '../api/resources';
import type { ParsedRequest } from '../api/routing';
import { ObjectStore } from '../store/store';
import {
  CLUSTER_QUEUE_KEY,
  LOCAL_QUEUE_KEY,
  VISIBILITY_GROUP,
  WORKLOAD_KEY,
} from './names';
import { isPending, isReserving, queueOrder } from './workloadState';

const VERSION = 'v1beta2';
/** Kueue's constants.DefaultPendingWorkloadsLimit and MaxPendingWorkloadsLimit. */
const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 4000;

/** A ClusterQueue's pending workloads in queue order. */
export function pendingInClusterQueue(store: ObjectStore, cq: string): any[] {
  const lqs = new Map(
    store
      .list(LOCAL_QUEUE_KEY)
      .map(e => [`${e.obj.metadata.namespace}/${e.obj.metadata.name}`, e.obj]),
  );
  return store
    .list(WORKLOAD_KEY)
    .map(e => e.obj)
    .filter(
      wl =>
        isPending(wl) &&
        !isReserving(wl) &&
        lqs.get(`${wl.metadata.namespace}/${wl.spec?.queueName}`)?.spec
          ?.clusterQueue === cq,
    )
    .sort(queueOrder);
}

function item(
  wl: any,
  positionInClusterQueue: number,
  positionInLocalQueue: number,
): any {
  const refs = (wl.metadata.ownerReferences ?? []).map((r: any) => ({
    apiVersion: r.apiVersion,
    kind: r.kind,
    name: r.name,
    uid: r.uid,
  }));
  return {
    metadata: {
      name: wl.metadata.name,
      namespace: wl.metadata.namespace,
      creationTimestamp: wl.metadata.creationTimestamp,
      ...(refs.length ? { ownerReferences: refs } : {}),
    },
    priority: Number(wl.spec?.priority ?? 0),
    localQueueName: wl.spec?.queueName,
    positionInClusterQueue,
    positionInLocalQueue,
  };
}

function bounded(q: URLSearchParams): { limit: number; offset: number } {
  const num = (name: string, fallback: number) => {
    const raw = q.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n))
      throw badRequest(`${name}: Invalid value: "${raw}": must be an integer`);
    return n;
  };
  const limit = Math.min(
    Math.max(num('limit', DEFAULT_LIMIT) || DEFAULT_LIMIT, 0),
    MAX_LIMIT,
  );
  return { limit, offset: Math.max(num('offset', 0), 0) };
}

function summary(items: any[]): any {
  return {
    kind: 'PendingWorkloadsSummary',
    apiVersion: `${VISIBILITY_GROUP}/${VERSION}`,
    metadata: { creationTimestamp: null },
    items,
  };
}

/** GET …/clusterqueues/{name}/pendingworkloads */
export function clusterQueuePending(
  store: ObjectStore,
  name: string,
  q: URLSearchParams,
): any {
  if (!store.get(CLUSTER_QUEUE_KEY, '', name))
    throw notFound('clusterqueue', VISIBILITY_GROUP, name);
  const { limit, offset } = bounded(q);
  const perLq = new Map<string, number>();
  const all = pendingInClusterQueue(store, name).map((wl, i) => {
    const key = `${wl.metadata.namespace}/${wl.spec?.queueName}`;
    const pos = perLq.get(key) ?? 0;
    perLq.set(key, pos + 1);
    return item(wl, i, pos);
  });
  return summary(all.slice(offset, offset + limit));
}

/** GET …/namespaces/{ns}/localqueues/{name}/pendingworkloads */
export function localQueuePending(
  store: ObjectStore,
  namespace: string,
  name: string,
  q: URLSearchParams,
): any {
  const lq = store.get(LOCAL_QUEUE_KEY, namespace, name);
  const cq = lq?.obj.spec?.clusterQueue;
  if (!lq || !store.get(CLUSTER_QUEUE_KEY, '', cq))
    throw notFound('localqueue', VISIBILITY_GROUP, name);
  const { limit, offset } = bounded(q);
  const mine = pendingInClusterQueue(store, cq)
    .map((wl, i) => ({ wl, i }))
    .filter(
      ({ wl }) =>
        wl.metadata.namespace === namespace && wl.spec?.queueName === name,
    );
  return summary(
    mine
      .slice(offset, offset + limit)
      .map(({ wl, i }, k) => item(wl, i, offset + k)),
  );
}

function visibilityType(plural: 'clusterqueues' | 'localqueues'): ResourceType {
  return {
    group: VISIBILITY_GROUP,
    version: VERSION,
    plural,
    singular: plural.slice(0, -1),
    kind: plural === 'clusterqueues' ? 'ClusterQueue' : 'LocalQueue',
    namespaced: plural === 'localqueues',
    status: false,
  };
}

/**
 * Routes a request under /apis/visibility.kueue.x-k8s.io/v1beta2 (path parts
 * after the version). RBAC sees it as `get` on `clusterqueues/pendingworkloads`
 * or `localqueues/pendingworkloads` in that group, as for the real aggregated API.
 */
export function parseVisibilityRequest(
  store: ObjectStore,
  method: string,
  rest: string[],
  q: URLSearchParams,
): ParsedRequest | undefined {
  let namespace: string | undefined;
  let parts = rest;
  if (parts[0] === 'namespaces' && parts.length === 5) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [plural, name, sub] = parts;
  if (parts.length !== 3 || sub !== 'pendingworkloads') return undefined;
  if (plural !== 'clusterqueues' && plural !== 'localqueues') return undefined;
  if ((plural === 'localqueues') !== (namespace !== undefined))
    return undefined;
  const serve = () => {
    if (method !== 'GET')
      return {
        status: 405,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `the server does not allow this method on the requested resource`,
          reason: 'MethodNotAllowed',
          code: 405,
        },
      };
    try {
      const body =
        plural === 'clusterqueues'
          ? clusterQueuePending(store, name, q)
          : localQueuePending(store, namespace!, name, q);
      return { status: 200, body };
    } catch (e) {
      const err = e as { code: number; toStatus(): unknown };
      return { status: err.code, body: err.toStatus() };
    }
  };
  return {
    verb: method === 'GET' ? 'get' : method.toLowerCase(),
    resource: `${plural}/pendingworkloads`,
    rt: visibilityType(plural),
    namespace,
    name,
    subresource: 'pendingworkloads',
    aggregated: true,
    nonResource: serve,
  };
}
