// Namespace lifecycle (Terminating, content cleanup, finalizers) and the
// removal of custom resources with their CRD.
import { Entry } from '../store/store';
import type { ClusterApi } from './handler';
import { timestamp } from './meta';
import { clone } from './patch';
import { resourceKey } from './resources';
import { deleteObject } from './write';

const NS_KEY = resourceKey('', 'namespaces');

/** Marks the namespace Terminating; the namespace controller then empties and removes it. */
export function deleteNamespace(api: ClusterApi, existing: Entry): any {
  const name = existing.obj.metadata.name;
  if (existing.obj.metadata.deletionTimestamp) return existing.obj;
  const next = clone(existing.obj);
  next.metadata.deletionTimestamp = timestamp();
  next.status = { ...(next.status ?? {}), phase: 'Terminating' };
  const stored = api.store.put(NS_KEY, next).obj;
  // The namespace controller runs asynchronously in a real cluster; a short delay
  // lets clients observe the Terminating phase before the content goes away.
  setTimeout(() => finishNamespace(api, name), 20).unref();
  return stored;
}

/** Namespace controller: deletes the content, then drops the `kubernetes` finalizer. */
export function finishNamespace(api: ClusterApi, name: string): void {
  const ns = api.store.get(NS_KEY, '', name);
  if (!ns || !ns.obj.metadata.deletionTimestamp) return;
  for (const key of api.store.keysWithNamespace(name)) {
    for (const e of api.store.list(key, name)) {
      const [group, plural] = key.split('/');
      const rt = api.registry
        .all()
        .find(r => r.group === group && r.plural === plural);
      if (!rt) {
        api.store.remove(key, name, e.obj.metadata.name);
        continue;
      }
      try {
        deleteObject(api, rt, name, e.obj.metadata.name, {});
      } catch {
        // Already gone: nothing to do.
      }
    }
  }
  if (api.store.keysWithNamespace(name).length > 0) {
    // Objects held by finalizers: check again later, like the controller's requeue.
    setTimeout(() => finishNamespace(api, name), 200).unref();
    return;
  }
  const current = api.store.get(NS_KEY, '', name)!;
  const next = clone(current.obj);
  next.spec = { ...(next.spec ?? {}), finalizers: [] };
  if (next.metadata.finalizers?.length > 0) {
    api.store.put(NS_KEY, next);
    return;
  }
  api.store.remove(NS_KEY, '', name);
}

/** A deleted CRD takes its custom resources with it. */
export function dropCustomResources(api: ClusterApi, crd: any): void {
  const plural = crd?.spec?.names?.plural;
  const group = crd?.spec?.group;
  if (!plural || !group) return;
  const key = resourceKey(group, plural);
  for (const e of api.store.list(key))
    api.store.remove(key, e.obj.metadata.namespace ?? '', e.obj.metadata.name);
}
