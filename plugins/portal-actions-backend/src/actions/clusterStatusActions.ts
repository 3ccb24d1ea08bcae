import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import {
  PortalActionDeps,
  registerPortalAction,
  Zod,
} from '../services/PortalActions/registerPortalAction';

// Cluster status through its REST API (plugins/cluster-status-backend/src/schema/openapi.yaml).
// The cluster-status plugin decides which namespaces the caller sees in detail
// (the platform team all, developers their teams'); this file never widens that.

const PLUGIN = 'cluster-status';
const readOnly = { readOnly: true, destructive: false, idempotent: true };

function clusterName(zod: Zod) {
  return zod
    .string()
    .max(63, 'must be at most 63 characters')
    .regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
      'must be a cluster name such as "lab-main"',
    )
    .describe('클러스터 이름 / Cluster name, e.g. "lab-main"');
}

function healthSchema(zod: Zod) {
  const count = zod.object({
    total: zod.number(),
    allocated: zod.number(),
    free: zod.number(),
    unavailable: zod.number(),
  });
  return zod.object({
    name: zod.string(),
    title: zod.string(),
    status: zod
      .string()
      .describe('pending, reachable, unreachable, authentication-failed'),
    version: zod.string().optional(),
    lastContact: zod.string().optional(),
    error: zod.string().optional(),
    nodes: zod.object({
      total: zod.number(),
      ready: zod.number(),
      notReady: zod.number(),
      cordoned: zod.number(),
    }),
    pods: zod.object({
      total: zod.number(),
      running: zod.number(),
      pending: zod.number(),
      failed: zod.number(),
    }),
    gpus: count.extend({
      byModel: zod.array(count.extend({ model: zod.string() })),
    }),
  });
}

const exampleHealth = {
  name: 'lab-main',
  title: '본원 GPU 클러스터 (Main on-prem GPU cluster, lab)',
  status: 'reachable',
  version: 'v1.31.2',
  nodes: { total: 9, ready: 8, notReady: 1, cordoned: 0 },
  pods: { total: 40, running: 37, pending: 2, failed: 1 },
  gpus: {
    total: 48,
    allocated: 10,
    free: 30,
    unavailable: 8,
    byModel: [
      {
        model: 'NVIDIA-H100-80GB-HBM3',
        total: 24,
        allocated: 2,
        free: 14,
        unavailable: 8,
      },
    ],
  },
};

/** Cluster status: health, and the problems of the caller's namespaces. */
export function registerClusterStatusActions(deps: PortalActionDeps) {
  registerPortalAction(deps, {
    name: 'get-cluster-health',
    title: '클러스터 상태 (Cluster health)',
    description:
      '클러스터의 연결 상태, 노드, 파드, GPU(전체/할당/여유/사용불가) 요약을 보여 줍니다. 이름을 빼면 모든 클러스터. / ' +
      'Shows the health of a cluster (reachability, nodes, pods, GPUs total/allocated/free/unavailable); all clusters when no name is given.',
    attributes: readOnly,
    input: zod => zod.object({ cluster: clusterName(zod).optional() }).strict(),
    output: zod => zod.object({ clusters: zod.array(healthSchema(zod)) }),
    examples: [
      {
        title: '본원 클러스터 상태 / Health of lab-main',
        input: { cluster: 'lab-main' },
        output: { clusters: [exampleHealth] },
      },
    ],
    target: input => input.cluster ?? 'all-clusters',
    handler: async ({ input, credentials, api }) => {
      if (input.cluster) {
        const cluster = await api.request<any>(credentials, {
          pluginId: PLUGIN,
          path: `/clusters/${encodeURIComponent(input.cluster)}`,
        });
        return { clusters: [cluster] };
      }
      const { items } = await api.request<{ items: any[] }>(credentials, {
        pluginId: PLUGIN,
        path: '/clusters',
      });
      return { clusters: items };
    },
  });

  registerPortalAction(deps, {
    name: 'list-namespace-problems',
    title:
      '네임스페이스 문제 (Problem pods and warning events of my namespaces)',
    description:
      '클러스터에서 내가 볼 수 있는 네임스페이스(개발자는 내 팀의 것)의 문제 파드와 경고 이벤트를 보여 줍니다. 다른 팀 네임스페이스는 거부됩니다. 클러스터에 닿지 않으면 확인할 수 없으므로 거부합니다. / ' +
      "Lists problem pods (CrashLoopBackOff, ImagePullBackOff, Unschedulable, …) and warning events of the namespaces the caller may read in detail (developers: their teams'). Another team's namespace is refused; an unreachable cluster is refused rather than reported as healthy.",
    attributes: readOnly,
    input: zod =>
      zod
        .object({
          cluster: clusterName(zod),
          namespace: zod
            .string()
            .min(1, 'is required')
            .optional()
            .describe('이 네임스페이스만 / Only this namespace'),
        })
        .strict(),
    output: zod =>
      zod.object({
        cluster: zod.string(),
        namespaces: zod.array(
          zod.object({
            name: zod.string(),
            owner: zod.string().optional(),
            pods: zod.number(),
            gpuRequested: zod.number(),
          }),
        ),
        problemPods: zod.array(
          zod.object({
            namespace: zod.string(),
            name: zod.string(),
            reason: zod.string(),
            message: zod.string().optional(),
            nodeName: zod.string().optional(),
            restarts: zod.number(),
            since: zod.string().optional(),
          }),
        ),
        warningEvents: zod.array(
          zod.object({
            namespace: zod.string().optional(),
            involvedObject: zod.object({
              kind: zod.string().optional(),
              name: zod.string().optional(),
            }),
            reason: zod.string().optional(),
            message: zod.string().optional(),
            count: zod.number(),
            lastTimestamp: zod.string().optional(),
          }),
        ),
        hiddenNamespaces: zod
          .number()
          .describe(
            '상세를 볼 수 없는 네임스페이스 수 / Namespaces not shown in detail',
          ),
      }),
    examples: [
      {
        title: 'ML팀 네임스페이스의 문제 / Problems in the ML team’s namespace',
        input: { cluster: 'lab-main', namespace: 'ml-training' },
        output: {
          cluster: 'lab-main',
          namespaces: [
            { name: 'ml-training', owner: 'ml-team', pods: 6, gpuRequested: 2 },
          ],
          problemPods: [
            {
              namespace: 'ml-training',
              name: 'trainer-7d9f-x2x',
              reason: 'CrashLoopBackOff',
              restarts: 12,
            },
          ],
          warningEvents: [],
          hiddenNamespaces: 14,
        },
      },
    ],
    target: input =>
      input.namespace ? `${input.cluster}/${input.namespace}` : input.cluster,
    handler: async ({ input, credentials, api }) => {
      const details = await api.request<any>(credentials, {
        pluginId: PLUGIN,
        path: `/clusters/${encodeURIComponent(input.cluster)}`,
      });
      if (details.status !== 'reachable') {
        throw new ServiceUnavailableError(
          `cluster ${input.cluster} is ${details.status}${
            details.error ? ` (${details.error})` : ''
          }: its pods and events cannot be checked`,
        );
      }
      let namespaces: any[] = details.namespaces;
      if (input.namespace) {
        namespaces = namespaces.filter(n => n.name === input.namespace);
        if (namespaces.length === 0) {
          throw new NotAllowedError(
            `namespace: "${input.namespace}" on ${input.cluster} is not one of the namespaces you may read in detail (your teams' namespaces), or does not exist`,
          );
        }
      }
      const names = new Set(namespaces.map(n => n.name));
      return {
        cluster: input.cluster,
        namespaces: namespaces.map(n => ({
          name: n.name,
          owner: n.owner,
          pods: n.pods,
          gpuRequested: n.gpuRequested,
        })),
        problemPods: (details.problemPods as any[]).filter(p =>
          names.has(p.namespace),
        ),
        warningEvents: (details.warningEvents as any[]).filter(
          e => e.namespace && names.has(e.namespace),
        ),
        hiddenNamespaces: details.hiddenNamespaces.count,
      };
    },
  });
}
