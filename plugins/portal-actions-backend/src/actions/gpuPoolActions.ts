import {
  PortalActionDeps,
  registerPortalAction,
  Zod,
} from '../services/PortalActions/registerPortalAction';

// The GPU pool through its REST API (plugins/gpu-pool-backend/src/schema/openapi.yaml).
// Only shapes are checked here; the GPU pool checks the rest (team membership,
// namespace ownership, allowances, pool limits) and names the field itself.

const PLUGIN = 'gpu-pool';
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const readOnly = { readOnly: true, destructive: false, idempotent: true };
const changes = { readOnly: false, destructive: false, idempotent: false };

function requestId(zod: Zod) {
  return zod
    .string()
    .min(1, 'is required')
    .describe('GPU 요청 ID / The GPU request id');
}

function requestSchema(zod: Zod) {
  return zod.object({
    id: zod.string(),
    team: zod.string(),
    cluster: zod.string(),
    namespace: zod.string(),
    gpus: zod.array(zod.object({ pool: zod.string(), count: zod.number() })),
    status: zod
      .string()
      .describe(
        'pending-approval, queued, provisioning, active, expiring, released, expired, rejected, failed',
      ),
    requestedBy: zod.string(),
    decidedBy: zod.string().optional(),
    duration: zod.string().optional(),
    grantedAt: zod.string().optional(),
    expiresAt: zod.string().optional(),
    queuePosition: zod
      .number()
      .optional()
      .describe('1 = next in line; only while queued'),
    reason: zod
      .string()
      .optional()
      .describe('Why it is in its status: the last error or transition reason'),
    history: zod
      .array(
        zod.object({
          from: zod.string().optional(),
          to: zod.string(),
          actor: zod.string(),
          reason: zod.string(),
          at: zod.string(),
        }),
      )
      .optional(),
  });
}

type GpuRequest = ReturnType<typeof requestSchema>['_output'];

/** The request as the GPU pool returns it, with the reason of its status. */
function summarise(request: any): GpuRequest {
  const history: GpuRequest['history'] = request.history;
  const last = history?.[history.length - 1];
  return {
    ...request,
    reason: request.lastError ?? last?.reason,
  };
}

const exampleRequest = {
  id: '8f14e45f-ceea-467f-a0e6-1b1a4c7f9e3d',
  team: 'group:default/ml-team',
  cluster: 'lab-main',
  namespace: 'ml-llm-finetune',
  gpus: [{ pool: 'lab-main-h100', count: 2 }],
  status: 'active',
  requestedBy: 'user:default/jiwoo.kim',
  grantedAt: '2026-11-30T01:00:00.000Z',
  expiresAt: '2026-11-30T09:00:00.000Z',
  reason: 'granted',
};

/** GPU pool: pools, requests, extension, release and the platform team's decisions. */
export function registerGpuPoolActions(deps: PortalActionDeps) {
  registerPortalAction(deps, {
    name: 'list-gpu-pools',
    title: 'GPU 풀 목록 (List GPU pools)',
    description:
      'GPU 풀과 지금 쓸 수 있는 GPU 수, 대기열, 팀별 보장량을 실시간으로 보여 줍니다. / ' +
      'Lists the GPU pools with live capacity, allocated and available GPUs, queue length, and the guaranteed allowance of each team.',
    attributes: readOnly,
    input: zod =>
      zod
        .object({
          cluster: zod
            .string()
            .optional()
            .describe('이 클러스터의 풀만 / Only pools of this cluster'),
        })
        .strict(),
    output: zod =>
      zod.object({
        pools: zod.array(
          zod.object({
            id: zod.string(),
            cluster: zod.string(),
            title: zod.string().optional(),
            resource: zod.string(),
            model: zod.string(),
            capacity: zod.number(),
            allocated: zod.number(),
            available: zod.number(),
            queued: zod.number(),
            maxPerRequest: zod.number().optional(),
            maxDuration: zod.string().optional(),
            defaultDuration: zod.string().optional(),
            allowances: zod.record(zod.number()).optional(),
            live: zod
              .boolean()
              .optional()
              .describe(
                'false: the cluster could not be read, figures are the last known',
              ),
          }),
        ),
      }),
    examples: [
      {
        title: '지금 비어 있는 GPU / What GPUs are free now',
        input: { cluster: 'lab-main' },
        output: {
          pools: [
            {
              id: 'lab-main-h100',
              cluster: 'lab-main',
              title: 'H100 80GB',
              resource: 'nvidia.com/gpu',
              model: 'NVIDIA-H100-80GB-HBM3',
              capacity: 16,
              allocated: 2,
              available: 14,
              queued: 0,
              allowances: { 'group:default/ml-team': 4 },
              live: true,
            },
          ],
        },
      },
    ],
    target: input => input.cluster ?? 'all-clusters',
    handler: async ({ input, credentials, api }) => {
      const { items } = await api.request<{ items: any[] }>(credentials, {
        pluginId: PLUGIN,
        path: '/pools',
      });
      return {
        pools: items.filter(p => !input.cluster || p.cluster === input.cluster),
      };
    },
  });

  registerPortalAction(deps, {
    name: 'request-gpus',
    title: 'GPU 요청 (Request GPUs for my team)',
    description:
      '내 팀을 위해 GPU(또는 GPU 없는 네임스페이스)를 요청합니다. 팀 보장량 안이면 자동 승인되고, 넘으면 플랫폼팀 승인을 기다립니다(사유 필수). / ' +
      "Requests GPUs (or a namespace without GPUs) for a team the caller belongs to. Within the team's allowance it is granted automatically; above it, it waits for the platform team and needs a justification.",
    attributes: changes,
    input: zod =>
      zod
        .object({
          team: zod
            .string()
            .regex(
              /^group:[^/]+\/.+$/,
              'must be a group entity ref, e.g. group:default/ml-team',
            )
            .describe('요청하는 팀 / The team, a Group the caller belongs to'),
          cluster: zod
            .string()
            .min(1, 'is required')
            .describe('클러스터 / Cluster name'),
          namespace: zod
            .string()
            .max(63, 'must be at most 63 characters')
            .regex(
              DNS_1123_LABEL,
              'must be a DNS-1123 label (lower case letters, digits and "-")',
            )
            .describe(
              '새 네임스페이스 또는 팀이 가진 네임스페이스 / A new namespace, or one the team owns',
            ),
          gpus: zod
            .array(
              zod
                .object({
                  pool: zod
                    .string()
                    .min(1, 'is required')
                    .describe('풀 ID / Pool id'),
                  count: zod
                    .number({ invalid_type_error: 'must be a number' })
                    .int('must be a whole number')
                    .positive('must be at least 1')
                    .describe('GPU 수 / Number of GPUs or MIG slices'),
                })
                .strict(),
            )
            .default([])
            .describe(
              '풀별 GPU 수 / GPUs by pool; empty for a namespace without GPUs',
            ),
          cpu: zod
            .string()
            .optional()
            .describe('CPU 쿼터 / CPU quota, e.g. "8"'),
          memory: zod
            .string()
            .optional()
            .describe('메모리 쿼터 / Memory quota, e.g. "64Gi"'),
          duration: zod
            .string()
            .optional()
            .describe(
              '임대 기간 (ISO 8601) / Lease length, e.g. "PT8H"; the pool default when omitted',
            ),
          justification: zod
            .string()
            .max(2000, 'must be at most 2000 characters')
            .optional()
            .describe('사유 / Why; required above the allowance'),
          ephemeral: zod
            .boolean()
            .optional()
            .describe(
              '끝나면 네임스페이스 삭제 / Delete the namespace when the lease ends',
            ),
        })
        .strict(),
    output: requestSchema,
    examples: [
      {
        title: 'ML팀에 H100 2장, 8시간 / Two H100 for the ML team for 8 hours',
        input: {
          team: 'group:default/ml-team',
          cluster: 'lab-main',
          namespace: 'ml-llm-finetune',
          gpus: [{ pool: 'lab-main-h100', count: 2 }],
          duration: 'PT8H',
          justification: 'LLM fine-tuning',
        },
        output: {
          ...exampleRequest,
          status: 'queued',
          reason: 'within allowance',
        },
      },
    ],
    target: input => `${input.team} ${input.cluster}/${input.namespace}`,
    handler: async ({ input, credentials, api }) =>
      summarise(
        await api.request(credentials, {
          pluginId: PLUGIN,
          method: 'POST',
          path: '/requests',
          body: input,
        }),
      ),
  });

  registerPortalAction(deps, {
    name: 'list-gpu-requests',
    title: 'GPU 요청 목록 (My and my teams’ GPU requests)',
    description:
      '내 GPU 요청(또는 내 팀의 요청)과 상태, 대기 순번, 사유를 보여 줍니다. / ' +
      "Lists the caller's GPU requests (or their teams') with status, queue position and the reason of the status.",
    attributes: readOnly,
    input: zod =>
      zod
        .object({
          scope: zod
            .enum(['mine', 'team'])
            .default('mine')
            .describe(
              'mine: 내 요청 / my requests; team: 내 팀들의 요청 / my teams’ requests',
            ),
          status: zod
            .array(zod.string())
            .optional()
            .describe(
              '이 상태만 / Only these statuses, e.g. ["active", "queued"]',
            ),
        })
        .strict(),
    output: zod => zod.object({ requests: zod.array(requestSchema(zod)) }),
    examples: [
      {
        title: '진행 중인 내 요청 / My live requests',
        input: { scope: 'mine', status: ['queued', 'provisioning', 'active'] },
        output: { requests: [exampleRequest] },
      },
    ],
    target: input => `scope=${input.scope}`,
    handler: async ({ input, credentials, api }) => {
      const { items } = await api.request<{ items: any[] }>(credentials, {
        pluginId: PLUGIN,
        path: '/requests',
        query: { scope: input.scope, status: input.status?.join(',') },
      });
      return { requests: items.map(summarise) };
    },
  });

  registerPortalAction(deps, {
    name: 'get-gpu-request',
    title: 'GPU 요청 상태 (Status of a GPU request)',
    description:
      'GPU 요청 하나의 상태, 대기 순번, 사유와 이력을 보여 줍니다. / ' +
      'Shows one GPU request: its status, queue position, the reason of its status and its history.',
    attributes: readOnly,
    input: zod => zod.object({ id: requestId(zod) }).strict(),
    output: requestSchema,
    examples: [
      {
        title: '활성화됐는지 확인 / Is it active yet',
        input: { id: exampleRequest.id },
        output: exampleRequest,
      },
    ],
    target: input => input.id,
    handler: async ({ input, credentials, api }) =>
      summarise(
        await api.request(credentials, {
          pluginId: PLUGIN,
          path: `/requests/${encodeURIComponent(input.id)}`,
        }),
      ),
  });

  registerPortalAction(deps, {
    name: 'extend-gpu-request',
    title: 'GPU 임대 연장 (Extend a GPU lease)',
    description:
      'GPU 임대를 연장합니다. 풀의 최대 기간 안에서만, 보장량을 넘는 팀은 플랫폼팀만 연장할 수 있습니다. / ' +
      "Extends a lease within the pool's maximum duration; a team above its allowance needs the platform team to extend.",
    attributes: changes,
    input: zod =>
      zod
        .object({
          id: requestId(zod),
          duration: zod
            .string()
            .min(1, 'is required')
            .describe(
              '더할 기간 (ISO 8601) / Time added to the expiry, e.g. "P1D"',
            ),
          justification: zod
            .string()
            .max(2000, 'must be at most 2000 characters')
            .optional(),
        })
        .strict(),
    output: requestSchema,
    examples: [
      {
        title: '하루 연장 / One more day',
        input: { id: exampleRequest.id, duration: 'P1D' },
        output: { ...exampleRequest, expiresAt: '2026-12-01T09:00:00.000Z' },
      },
    ],
    target: input => input.id,
    handler: async ({ input, credentials, api }) =>
      summarise(
        await api.request(credentials, {
          pluginId: PLUGIN,
          method: 'POST',
          path: `/requests/${encodeURIComponent(input.id)}/extend`,
          body: {
            duration: input.duration,
            justification: input.justification,
          },
        }),
      ),
  });

  registerPortalAction(deps, {
    name: 'release-gpu-request',
    title: 'GPU 반납 (Release GPUs)',
    description:
      'GPU를 반납하거나 대기 중인 요청을 철회합니다. GPU 쿼터가 0이 되고, 임시 네임스페이스는 삭제됩니다. / ' +
      'Gives the GPUs back, or withdraws a waiting request. The GPU quota goes to 0; an ephemeral namespace is deleted.',
    attributes: { readOnly: false, destructive: true, idempotent: false },
    input: zod =>
      zod
        .object({
          id: requestId(zod),
          reason: zod
            .string()
            .max(2000, 'must be at most 2000 characters')
            .optional(),
        })
        .strict(),
    output: requestSchema,
    examples: [
      {
        title: '학습이 끝나 반납 / Training done',
        input: { id: exampleRequest.id, reason: 'training finished' },
        output: {
          ...exampleRequest,
          status: 'released',
          reason: 'training finished',
        },
      },
    ],
    target: input => input.id,
    handler: async ({ input, credentials, api }) =>
      summarise(
        await api.request(credentials, {
          pluginId: PLUGIN,
          method: 'POST',
          path: `/requests/${encodeURIComponent(input.id)}/release`,
          body: input.reason === undefined ? {} : { reason: input.reason },
        }),
      ),
  });

  registerPortalAction(deps, {
    name: 'decide-gpu-request',
    title: 'GPU 요청 승인/반려 (Approve or reject a GPU request)',
    description:
      '보장량을 넘는 GPU 요청을 승인하거나 반려합니다. 플랫폼팀만 할 수 있고, 자기 요청은 승인할 수 없습니다. / ' +
      'Approves or rejects a GPU request above an allowance. Platform team only; nobody decides their own request.',
    attributes: changes,
    input: zod =>
      zod
        .object({
          id: requestId(zod),
          decision: zod
            .enum(['approve', 'reject'])
            .describe('승인 / approve, 반려 / reject'),
          reason: zod
            .string()
            .max(2000, 'must be at most 2000 characters')
            .optional(),
        })
        .strict(),
    output: requestSchema,
    examples: [
      {
        title: '승인 / Approve',
        input: {
          id: exampleRequest.id,
          decision: 'approve',
          reason: 'quarterly model release',
        },
        output: {
          ...exampleRequest,
          status: 'queued',
          decidedBy: 'user:default/minho.lee',
        },
      },
    ],
    target: input => `${input.id} ${input.decision}`,
    handler: async ({ input, credentials, api }) =>
      summarise(
        await api.request(credentials, {
          pluginId: PLUGIN,
          method: 'POST',
          path: `/requests/${encodeURIComponent(input.id)}/${input.decision}`,
          body: input.reason === undefined ? {} : { reason: input.reason },
        }),
      ),
  });
}
