import { parseEntityRef } from '@backstage/catalog-model';
import {
  formatCpu,
  formatMemory,
  parseQuantityNumber,
} from '@internal/kubernetes-quantity';
import { PoolConfig } from '../../config/readGpuPoolConfig';
import { RequestRow } from '../../database/GpuPoolStore';
import {
  CREATED_FOR_ANNOTATION,
  OWNER_LABEL,
} from '../Namespaces/namespaceOwnership';

/** Label naming the request a namespace was last provisioned for. */
export const REQUEST_LABEL = 'portal.cloud-smart.io/gpu-request';
/** Name of the ResourceQuota, LimitRange, NetworkPolicy and RoleBinding. */
export const OBJECT_NAME = 'portal-gpu-pool';

/** The objects that make a namespace's grants true. */
export interface NamespaceManifests {
  namespace: any;
  resourceQuota: any;
  limitRange: any;
  networkPolicy: any;
  roleBinding: any;
}

/**
 * Builds the desired objects of one namespace from the requests that hold
 * it. GPU resources of every pool of the cluster appear in the quota, at 0
 * when nothing is held: leaving a field out would lift the limit instead.
 */
export function buildManifests(options: {
  cluster: string;
  namespace: string;
  team: string;
  holding: RequestRow[];
  fallback?: RequestRow;
  pools: PoolConfig[];
  pods: number;
  /**
   * The request the portal created the namespace for. Applied on every pass
   * so that server-side apply keeps the marker; absent for adopted ones.
   */
  createdFor?: string;
  /**
   * Kueue enforcement: GPU limits per resource name from the team's
   * ClusterQueue ceiling instead of the namespace's grants (Kueue admits
   * borrowed and guaranteed GPUs the grants do not list).
   */
  gpuCeilings?: Map<string, number>;
}): NamespaceManifests {
  const { namespace, team, holding, pools } = options;
  const teamName = parseEntityRef(team).name;
  const labels = {
    'app.kubernetes.io/managed-by': 'portal-gpu-pool',
    [OWNER_LABEL]: teamName,
  };
  const hard: Record<string, string> = {};
  for (const pool of pools.filter(p => p.cluster === options.cluster)) {
    hard[`requests.${pool.resource}`] = '0';
  }
  let cpu = 0;
  let memory = 0;
  for (const row of holding) {
    for (const g of row.gpus) {
      const pool = pools.find(p => p.id === g.pool);
      if (!pool) continue;
      const key = `requests.${pool.resource}`;
      hard[key] = String(Number(hard[key] ?? 0) + g.count);
    }
    cpu += parseQuantityNumber(row.cpu) ?? 0;
    memory += parseQuantityNumber(row.memory) ?? 0;
  }
  if (holding.length === 0 && options.fallback) {
    // GPUs withdrawn; CPU and memory of the last lease stay for the data left behind.
    cpu = parseQuantityNumber(options.fallback.cpu) ?? 0;
    memory = parseQuantityNumber(options.fallback.memory) ?? 0;
  }
  for (const [resource, ceiling] of options.gpuCeilings ?? []) {
    hard[`requests.${resource}`] = String(ceiling);
  }
  hard['requests.cpu'] = formatCpu(cpu);
  hard['requests.memory'] = formatMemory(memory);
  hard.pods = String(options.pods);
  const latest =
    [...holding].sort((a, b) => b.createdAt - a.createdAt)[0] ??
    options.fallback;
  return {
    namespace: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: namespace,
        ...(options.createdFor
          ? { annotations: { [CREATED_FOR_ANNOTATION]: options.createdFor } }
          : {}),
        labels: {
          ...labels,
          ...(latest ? { [REQUEST_LABEL]: latest.id } : {}),
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    },
    resourceQuota: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: OBJECT_NAME, namespace, labels },
      spec: { hard },
    },
    limitRange: {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: OBJECT_NAME, namespace, labels },
      spec: {
        limits: [
          {
            type: 'Container',
            defaultRequest: { cpu: '250m', memory: '256Mi' },
            default: { cpu: '1', memory: '1Gi' },
          },
        ],
      },
    },
    networkPolicy: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: OBJECT_NAME, namespace, labels },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [
          { to: [{ podSelector: {} }] },
          {
            to: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
                },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      },
    },
    roleBinding: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: OBJECT_NAME, namespace, labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'edit',
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: teamName,
        },
      ],
    },
  };
}
