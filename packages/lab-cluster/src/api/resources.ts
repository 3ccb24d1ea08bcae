// The catalogue of resource types the lab cluster serves. Built-in types are
// static; custom resources are derived from stored CRDs on demand.
import { POLICY_RESOURCES } from './policyResources';

export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Whether a `/status` subresource exists; the main resource then ignores status writes. */
  status: boolean;
  /** Printer columns declared by a CRD (additionalPrinterColumns). */
  printerColumns?: Array<{
    name: string;
    type: string;
    jsonPath: string;
    description?: string;
    priority?: number;
  }>;
}

export function resourceKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

export function apiVersionOf(
  rt: Pick<ResourceType, 'group' | 'version'>,
): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}

function makeType(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    plural,
    kind,
    namespaced,
    singular: kind.toLowerCase(),
    status: false,
    ...extra,
  };
}

export const BUILTIN_RESOURCES: ResourceType[] = [
  makeType('', 'v1', 'namespaces', 'Namespace', false, {
    shortNames: ['ns'],
    status: true,
  }),
  makeType('', 'v1', 'nodes', 'Node', false, {
    shortNames: ['no'],
    status: true,
  }),
  makeType('', 'v1', 'pods', 'Pod', true, {
    shortNames: ['po'],
    categories: ['all'],
    status: true,
  }),
  makeType('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  makeType('', 'v1', 'resourcequotas', 'ResourceQuota', true, {
    shortNames: ['quota'],
    status: true,
  }),
  makeType('', 'v1', 'limitranges', 'LimitRange', true, {
    shortNames: ['limits'],
  }),
  makeType('', 'v1', 'serviceaccounts', 'ServiceAccount', true, {
    shortNames: ['sa'],
  }),
  makeType('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  makeType('', 'v1', 'secrets', 'Secret', true),
  makeType('', 'v1', 'services', 'Service', true, {
    shortNames: ['svc'],
    categories: ['all'],
    status: true,
  }),
  makeType('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'] }),
  makeType('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, {
    shortNames: ['pvc'],
    status: true,
  }),
  makeType('apps', 'v1', 'deployments', 'Deployment', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    status: true,
  }),
  makeType('apps', 'v1', 'replicasets', 'ReplicaSet', true, {
    shortNames: ['rs'],
    categories: ['all'],
    status: true,
  }),
  makeType('apps', 'v1', 'statefulsets', 'StatefulSet', true, {
    shortNames: ['sts'],
    categories: ['all'],
    status: true,
  }),
  makeType('apps', 'v1', 'daemonsets', 'DaemonSet', true, {
    shortNames: ['ds'],
    categories: ['all'],
    status: true,
  }),
  makeType('batch', 'v1', 'jobs', 'Job', true, {
    categories: ['all'],
    status: true,
  }),
  makeType('batch', 'v1', 'cronjobs', 'CronJob', true, {
    shortNames: ['cj'],
    categories: ['all'],
    status: true,
  }),
  makeType(
    'autoscaling',
    'v2',
    'horizontalpodautoscalers',
    'HorizontalPodAutoscaler',
    true,
    {
      shortNames: ['hpa'],
      categories: ['all'],
      status: true,
    },
  ),
  makeType(
    'networking.k8s.io',
    'v1',
    'networkpolicies',
    'NetworkPolicy',
    true,
    { shortNames: ['netpol'] },
  ),
  makeType('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, {
    shortNames: ['ing'],
    status: true,
  }),
  makeType('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  makeType(
    'rbac.authorization.k8s.io',
    'v1',
    'rolebindings',
    'RoleBinding',
    true,
  ),
  makeType(
    'rbac.authorization.k8s.io',
    'v1',
    'clusterroles',
    'ClusterRole',
    false,
  ),
  makeType(
    'rbac.authorization.k8s.io',
    'v1',
    'clusterrolebindings',
    'ClusterRoleBinding',
    false,
  ),
  makeType(
    'apiextensions.k8s.io',
    'v1',
    'customresourcedefinitions',
    'CustomResourceDefinition',
    false,
    {
      shortNames: ['crd', 'crds'],
      status: true,
    },
  ),
  ...POLICY_RESOURCES,
];

export const CRD_KEY = resourceKey(
  'apiextensions.k8s.io',
  'customresourcedefinitions',
);

/** Derives the served resource types of a CRD object (one per served version). */
export function resourcesFromCrd(crd: any): ResourceType[] {
  const spec = crd?.spec ?? {};
  const names = spec.names ?? {};
  const versions: any[] = Array.isArray(spec.versions) ? spec.versions : [];
  return versions
    .filter(v => v.served !== false)
    .map(v => ({
      group: spec.group,
      version: v.name,
      plural: names.plural,
      singular: names.singular ?? String(names.kind ?? '').toLowerCase(),
      kind: names.kind,
      namespaced: spec.scope !== 'Cluster',
      shortNames: names.shortNames,
      categories: names.categories,
      status: Boolean(v.subresources?.status),
      printerColumns: v.additionalPrinterColumns,
    }));
}
