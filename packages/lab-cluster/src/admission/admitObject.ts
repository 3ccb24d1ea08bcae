// Admission of new objects: the LimitRanger and ResourceQuota plugins for pods.
import { resourceKey } from '../api/resources';
import { ObjectStore } from '../store/store';
import { applyPodDefaults } from './limitRange';
import { admitPod } from './quota';

const POD_KEY = resourceKey('', 'pods');
const QUOTA_KEY = resourceKey('', 'resourcequotas');
const LIMIT_RANGE_KEY = resourceKey('', 'limitranges');

/** Mutating then validating admission of an object about to be created; throws the plugin's error. */
export function admitNewObject(
  store: ObjectStore,
  key: string,
  obj: any,
): void {
  if (key !== POD_KEY) return;
  const ns = obj.metadata.namespace;
  applyPodDefaults(
    obj,
    store.list(LIMIT_RANGE_KEY, ns).map(e => e.obj),
  );
  admitPod(
    obj,
    store.list(QUOTA_KEY, ns).map(e => e.obj),
    store.list(POD_KEY, ns).map(e => e.obj),
  );
}
