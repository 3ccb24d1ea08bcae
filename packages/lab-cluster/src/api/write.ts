// Writes: create, update (and the commit tail PUT, PATCH and apply share)
// and delete with preconditions and finalizers.
import { admitNewObject } from '../admission/admitObject';
import { validateLabels, validateName } from '../admission/validation';
import { Entry } from '../store/store';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
} from './errors';
import type { ClusterApi } from './handler';
import { recordUpdate } from './managedFields';
import { newUid, randomSuffix, specOf, timestamp } from './meta';
import { applyDefaults } from './defaults';
import { deleteNamespace } from './namespaces';
import { clone } from './patch';
import { mustGet } from './read';
import { ResourceType, apiVersionOf, resourceKey } from './resources';

const NS_KEY = resourceKey('', 'namespaces');

function checkNamespace(
  api: ClusterApi,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
): void {
  if (!rt.namespaced) return;
  const ns = api.store.get(NS_KEY, '', namespace ?? '');
  if (!ns) throw notFound('namespaces', '', namespace ?? '');
  if (
    ns.obj.metadata.deletionTimestamp ||
    ns.obj.status?.phase === 'Terminating'
  ) {
    throw forbidden(
      rt.plural,
      rt.group,
      name,
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}

function validateNew(rt: ResourceType, obj: any): void {
  const causes = [
    ...validateName(rt.plural, obj.metadata?.name),
    ...validateLabels(obj),
  ];
  if (causes.length)
    throw invalid(rt.kind, rt.group, String(obj.metadata?.name ?? ''), causes);
}

function normalizeNew(
  rt: ResourceType,
  obj: any,
  namespace: string | undefined,
): any {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw badRequest(
      'the server rejected our request due to an error in our request: object expected',
    );
  if (obj.kind && obj.kind !== rt.kind) {
    throw badRequest(
      `the API version in the data (${
        obj.apiVersion
      }) does not match the expected API version (${apiVersionOf(rt)})`,
    );
  }
  obj.kind = rt.kind;
  obj.apiVersion = apiVersionOf(rt);
  obj.metadata = obj.metadata ?? {};
  if (rt.namespaced) {
    if (
      obj.metadata.namespace &&
      namespace &&
      obj.metadata.namespace !== namespace
    ) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = namespace ?? obj.metadata.namespace;
  } else {
    delete obj.metadata.namespace;
  }
  return obj;
}

/** Shared by POST and by server-side apply of a missing object. */
export function createObject(
  api: ClusterApi,
  rt: ResourceType,
  namespace: string | undefined,
  input: any,
  manager: string,
  dryRun = false,
  applied = false,
): any {
  const obj = normalizeNew(rt, clone(input), namespace);
  if (!obj.metadata.name && obj.metadata.generateName)
    obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;
  validateNew(rt, obj);
  const key = resourceKey(rt.group, rt.plural);
  const name = obj.metadata.name;
  if (api.store.get(key, obj.metadata.namespace ?? '', name))
    throw alreadyExists(rt.plural, rt.group, name);
  checkNamespace(api, rt, obj.metadata.namespace, name);
  applyDefaults(rt, obj);
  obj.metadata.uid = newUid();
  // Mutating admission of the lab's controllers (Job defaulting, Kueue's webhook), then validating admission.
  for (const hook of api.createHooks) hook(rt, obj);
  admitNewObject(api.store, key, obj);
  obj.metadata.creationTimestamp = timestamp();
  obj.metadata.generation = 1;
  delete obj.metadata.deletionTimestamp;
  delete obj.metadata.resourceVersion;
  if (!applied)
    recordUpdate(undefined, obj, manager, obj.apiVersion, undefined);
  if (dryRun) return obj;
  return api.store.put(key, obj).obj;
}

/**
 * Common tail of PUT, PATCH and apply: optimistic concurrency, status
 * subresource split, generation, finalizer-driven deletion, ownership.
 */
export function commit(
  api: ClusterApi,
  rt: ResourceType,
  existing: Entry,
  input: any,
  manager: string,
  subresource: string | undefined,
  applied: boolean,
): any {
  const old = existing.obj;
  const name = old.metadata.name;
  let next = input;
  if (typeof next !== 'object' || next === null)
    throw badRequest(
      'the server rejected our request due to an error in our request: object expected',
    );
  next.metadata = next.metadata ?? {};
  if (next.metadata.name !== undefined && next.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  if (
    next.metadata.resourceVersion &&
    next.metadata.resourceVersion !== old.metadata.resourceVersion
  ) {
    throw conflict(
      rt.plural,
      rt.group,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }
  if (subresource === 'status') {
    next = { ...old, status: next.status };
  } else if (rt.status && subresource !== 'finalize') {
    next = { ...next, status: old.status };
    if (next.status === undefined) delete next.status;
  }
  next.kind = rt.kind;
  next.apiVersion = apiVersionOf(rt);
  next.metadata = {
    ...next.metadata,
    name,
    uid: old.metadata.uid,
    creationTimestamp: old.metadata.creationTimestamp,
    generation: old.metadata.generation ?? 1,
    ...(old.metadata.namespace ? { namespace: old.metadata.namespace } : {}),
    ...(old.metadata.deletionTimestamp
      ? { deletionTimestamp: old.metadata.deletionTimestamp }
      : {}),
  };
  const causes = validateLabels(next);
  if (causes.length) throw invalid(rt.kind, rt.group, name, causes);
  if (specOf(next) !== specOf(old))
    next.metadata.generation = (old.metadata.generation ?? 1) + 1;
  if (!applied) recordUpdate(old, next, manager, next.apiVersion, subresource);
  const key = resourceKey(rt.group, rt.plural);
  if (
    next.metadata.deletionTimestamp &&
    !(next.metadata.finalizers?.length > 0)
  ) {
    if (rt.plural === 'namespaces' && rt.group === '') {
      // Namespaces also wait for their spec.finalizers (the content cleanup).
      if (!(next.spec?.finalizers?.length > 0))
        return api.store.remove(key, '', name)!.obj;
      return api.store.put(key, next).obj;
    }
    return api.store.remove(key, next.metadata.namespace ?? '', name)!.obj;
  }
  // Nothing changed: keep the resourceVersion, like the real server's no-op updates.
  const { resourceVersion: _a, managedFields: _b, ...nm } = next.metadata;
  const { resourceVersion: _c, managedFields: _d, ...om } = old.metadata;
  if (
    JSON.stringify({ ...next, metadata: nm }) ===
      JSON.stringify({ ...old, metadata: om }) &&
    !applied
  )
    return old;
  return api.store.put(key, next).obj;
}

export function updateObject(
  api: ClusterApi,
  rt: ResourceType,
  namespace: string,
  name: string,
  input: any,
  manager: string,
  subresource?: string,
): any {
  const existing = mustGet(api, rt, namespace, name);
  const next = clone(input);
  if (next && typeof next === 'object' && next.kind && next.kind !== rt.kind) {
    throw badRequest(
      `the API version in the data (${
        next.apiVersion
      }) does not match the expected API version (${apiVersionOf(rt)})`,
    );
  }
  return commit(api, rt, existing, next, manager, subresource, false);
}

export function deleteObject(
  api: ClusterApi,
  rt: ResourceType,
  namespace: string,
  name: string,
  options: any,
): any {
  const key = resourceKey(rt.group, rt.plural);
  const existing = mustGet(api, rt, namespace, name);
  const pre = options?.preconditions ?? {};
  if (pre.uid && pre.uid !== existing.obj.metadata.uid) {
    throw conflict(
      rt.plural,
      rt.group,
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.obj.metadata.uid}`,
    );
  }
  if (
    pre.resourceVersion &&
    pre.resourceVersion !== existing.obj.metadata.resourceVersion
  ) {
    throw conflict(
      rt.plural,
      rt.group,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.obj.metadata.resourceVersion}`,
    );
  }
  if (key === NS_KEY) return deleteNamespace(api, existing);
  if (existing.obj.metadata.finalizers?.length > 0) {
    if (existing.obj.metadata.deletionTimestamp) return existing.obj;
    const next = clone(existing.obj);
    next.metadata.deletionTimestamp = timestamp();
    next.metadata.deletionGracePeriodSeconds = 0;
    return api.store.put(key, next).obj;
  }
  const removed = api.store.remove(key, namespace, name)!;
  if (rt.plural === 'pods' && rt.group === '') return removed.obj;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: {
      name,
      group: rt.group || undefined,
      kind: rt.plural,
      uid: existing.obj.metadata.uid,
    },
  };
}
