import type { JsonReviver } from '../transport/KubernetesTransport';

/**
 * Identifies a Kubernetes resource type on the API server.
 *
 * @public
 */
export interface ResourceType {
  /** API group; empty string for the core group. */
  group: string;
  version: string;
  /** Lower-case plural used in URLs, for example `pods`. */
  plural: string;
  /** Kind, for example `Pod`. Optional for custom resources. */
  kind?: string;
  /**
   * Whether objects live in namespaces. `undefined` (custom resources) means
   * "namespaced when a namespace is given".
   */
  namespaced?: boolean;
}

/**
 * The built-in resource types the portal uses.
 *
 * @public
 */
export const kubernetesResourceTypes = {
  namespaces: {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
  },
  resourceQuotas: {
    group: '',
    version: 'v1',
    plural: 'resourcequotas',
    kind: 'ResourceQuota',
    namespaced: true,
  },
  limitRanges: {
    group: '',
    version: 'v1',
    plural: 'limitranges',
    kind: 'LimitRange',
    namespaced: true,
  },
  networkPolicies: {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
  roleBindings: {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'rolebindings',
    kind: 'RoleBinding',
    namespaced: true,
  },
  nodes: {
    group: '',
    version: 'v1',
    plural: 'nodes',
    kind: 'Node',
    namespaced: false,
  },
  pods: {
    group: '',
    version: 'v1',
    plural: 'pods',
    kind: 'Pod',
    namespaced: true,
  },
  events: {
    group: '',
    version: 'v1',
    plural: 'events',
    kind: 'Event',
    namespaced: true,
  },
} as const satisfies Record<string, ResourceType>;

/** `apiVersion` string of a resource type, e.g. `networking.k8s.io/v1`. */
export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** Finds a built-in type by the apiVersion and kind of an object. */
export function findBuiltinType(
  apiVersion: string | undefined,
  kind: string | undefined,
): ResourceType | undefined {
  return Object.values(kubernetesResourceTypes).find(
    t => t.kind === kind && apiVersionOf(t) === apiVersion,
  );
}

/** URL path of a collection or (with a name) of one object. */
export function resourcePath(
  type: ResourceType,
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : '/api/v1';
  const ns =
    namespace && type.namespaced !== false
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  let path = `${base}${ns}/${type.plural}`;
  if (name !== undefined) {
    path += `/${encodeURIComponent(name)}`;
  }
  if (subresource) {
    path += `/${subresource}`;
  }
  return path;
}

const RFC3339 =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Timestamp fields of object metadata, valid for every kind. */
const METADATA_DATE_KEYS = ['creationTimestamp', 'deletionTimestamp'];

/**
 * Timestamp fields of the built-in kinds we expose, which client-node's model
 * types declare as `Date`.
 */
const BUILTIN_DATE_KEYS = [
  ...METADATA_DATE_KEYS,
  'time',
  'lastTransitionTime',
  'lastHeartbeatTime',
  'lastProbeTime',
  'lastUpdateTime',
  'startTime',
  'startedAt',
  'finishedAt',
  'firstTimestamp',
  'lastTimestamp',
  'eventTime',
  'lastObservedTime',
];

function createDateReviver(keys: string[]): JsonReviver {
  const set = new Set(keys);
  return (key, value) =>
    set.has(key) && typeof value === 'string' && RFC3339.test(value)
      ? new Date(value)
      : value;
}

/**
 * client-node's models type timestamps as `Date`, but a plain `JSON.parse`
 * yields strings; revive them so the declared types tell the truth. Custom
 * resources only get metadata timestamps revived because their schema is
 * unknown and converting a spec field would change it on the next apply.
 */
export const builtinReviver = createDateReviver(BUILTIN_DATE_KEYS);
/** See {@link builtinReviver}. */
export const customResourceReviver = createDateReviver(METADATA_DATE_KEYS);

/**
 * client-node's models rename JSON fields that clash with JavaScript keywords
 * (`default` becomes `_default`, `from` becomes `_from`); its own serializer
 * maps them, our raw JSON transport must do the same for the typed kinds.
 */
const RENAMED_FIELDS: Record<
  string,
  { list: (o: any) => unknown; wire: string; model: string }
> = {
  LimitRange: {
    list: o => o?.spec?.limits,
    wire: 'default',
    model: '_default',
  },
  NetworkPolicy: { list: o => o?.spec?.ingress, wire: 'from', model: '_from' },
};

function renameIn(object: unknown, kind: string | undefined, toModel: boolean) {
  const rule = kind ? RENAMED_FIELDS[kind] : undefined;
  if (!rule || !object || typeof object !== 'object') {
    return object;
  }
  const copy = structuredClone(object) as any;
  const entries = rule.list(copy);
  if (Array.isArray(entries)) {
    const [from, to] = toModel
      ? [rule.wire, rule.model]
      : [rule.model, rule.wire];
    for (const entry of entries) {
      if (entry && typeof entry === 'object' && from in entry) {
        entry[to] = entry[from];
        delete entry[from];
      }
    }
  }
  return copy;
}

/** Converts an object as sent by the API server to client-node's model shape. */
export function fromWire<T>(object: T, kind: string | undefined): T {
  return renameIn(object, kind, true) as T;
}

/** Converts a client-node model object to the API server's JSON shape. */
export function toWire<T>(object: T, kind: string | undefined): T {
  return renameIn(object, kind, false) as T;
}
