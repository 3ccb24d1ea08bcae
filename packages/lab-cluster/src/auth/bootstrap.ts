// The RBAC objects a fresh lab cluster starts with, mirroring kube-apiserver's
// bootstrap policy for the parts the lab serves (cluster-admin, discovery,
// self access reviews), plus the lab's own read-only role.
import {
  AUTHENTICATED_GROUP,
  MASTERS_GROUP,
  READ_ONLY_IDENTITY,
} from './identity';

const API_VERSION = 'rbac.authorization.k8s.io/v1';
const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

function clusterRole(name: string, rules: object[]): Record<string, any> {
  return {
    apiVersion: API_VERSION,
    kind: 'ClusterRole',
    metadata: { name, labels: BOOTSTRAP_LABELS },
    rules,
  };
}

function clusterRoleBinding(
  name: string,
  subjects: object[],
): Record<string, any> {
  return {
    apiVersion: API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: BOOTSTRAP_LABELS },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name,
    },
    subjects,
  };
}

const [, readOnlyNamespace, readOnlyName] =
  /^system:serviceaccount:([^:]+):([^:]+)$/.exec(READ_ONLY_IDENTITY.user)!;

export function bootstrapRbacObjects(): Array<Record<string, any>> {
  const group = (name: string) => ({
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'Group',
    name,
  });
  return [
    clusterRole('cluster-admin', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]),
    clusterRoleBinding('cluster-admin', [group(MASTERS_GROUP)]),
    clusterRole('system:discovery', [
      {
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/openapi',
          '/openapi/*',
          '/version',
          '/version/',
          '/healthz',
          '/livez',
          '/readyz',
        ],
        verbs: ['get'],
      },
    ]),
    clusterRoleBinding('system:discovery', [group(AUTHENTICATED_GROUP)]),
    clusterRole('system:basic-user', [
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        verbs: ['create'],
      },
      {
        apiGroups: ['authentication.k8s.io'],
        resources: ['selfsubjectreviews'],
        verbs: ['create'],
      },
    ]),
    clusterRoleBinding('system:basic-user', [group(AUTHENTICATED_GROUP)]),
    clusterRole('lab:read-only', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
    ]),
    clusterRoleBinding('lab:read-only', [
      {
        kind: 'ServiceAccount',
        name: readOnlyName,
        namespace: readOnlyNamespace,
      },
    ]),
  ];
}
