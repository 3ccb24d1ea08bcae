import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { GpuRequest } from '@internal/plugin-gpu-pool-common';
import { GpuPoolClient } from './GpuPoolClient';
import { examples } from './createGpuRequestAction.examples';

/** Statuses after which waiting makes no sense. */
const FAILED = ['rejected', 'failed', 'expired', 'released'];

/**
 * `gpu-pool:request:create`: requests GPUs for a team through the gpu-pool
 * backend, on behalf of the user running the template. Waits until the
 * grant is active; a request that waits for approval or in the queue is
 * returned at once with its status.
 *
 * @public
 */
export function createGpuRequestAction(options: {
  client: GpuPoolClient;
  /** Poll interval while provisioning (default 500 ms). */
  pollIntervalMs?: number;
}) {
  const { client } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  return createTemplateAction({
    id: 'gpu-pool:request:create',
    description:
      'Requests pooled GPUs (and the namespace they go to) for a team; waits until active, or returns the request id with its queued or pending status.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        team: z =>
          z.string().describe('Owning team, e.g. group:default/ml-team'),
        cluster: z => z.string().describe('Cluster name, e.g. lab-main'),
        namespace: z =>
          z.string().describe('New namespace, or one the team owns'),
        gpus: z =>
          z
            .array(
              z.object({
                pool: z.string().describe('Pool id'),
                count: z.number().int().positive().describe('GPUs'),
              }),
            )
            .min(1)
            .describe('GPUs by pool'),
        cpu: z => z.string().default('8').describe('CPU quota, e.g. "8"'),
        memory: z =>
          z.string().default('64Gi').describe('Memory quota, e.g. "64Gi"'),
        duration: z =>
          z
            .string()
            .optional()
            .describe(
              "ISO 8601 lease, e.g. P2D; the pool's default when omitted",
            ),
        justification: z =>
          z.string().default('').describe('Why; required above the allowance'),
        ephemeral: z =>
          z
            .boolean()
            .default(false)
            .describe('Delete the namespace when the lease ends'),
        waitTimeoutSeconds: z =>
          z
            .number()
            .int()
            .min(0)
            .max(900)
            .default(120)
            .describe('How long to wait for active'),
      },
      output: {
        requestId: z => z.string().describe('Id of the request'),
        status: z =>
          z
            .string()
            .describe('active, provisioning, queued or pending-approval'),
        queuePosition: z =>
          z.number().optional().describe('Position in the queue, when queued'),
        expiresAt: z =>
          z.string().optional().describe('End of the lease, when granted'),
        url: z => z.string().describe('Path of the request page in the portal'),
        gpuProduct: z =>
          z
            .string()
            .describe(
              "nvidia.com/gpu.product of the first pool when it is a whole-GPU pool, else empty: a Job's nodeSelector on it keeps Kueue to that GPU model",
            ),
      },
    },
    async handler(ctx) {
      const { waitTimeoutSeconds, ...body } = ctx.input;
      if (ctx.isDryRun) {
        ctx.output('requestId', 'dry-run');
        ctx.output('status', 'dry-run');
        ctx.output('url', '/gpu-pool');
        ctx.output('gpuProduct', '');
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      // Kueue assigns the first flavor with room among those the pod can
      // use: pinning the product keeps a Job to the pool it was granted.
      const pools = await client.listPools(credentials);
      const pool = pools.find(
        p => p.id === body.gpus[0].pool && p.cluster === body.cluster,
      );
      if (!pool) {
        throw new InputError(
          `gpus[0].pool: no GPU pool ${body.gpus[0].pool} on cluster ${body.cluster}`,
        );
      }
      const created = await ctx.checkpoint({
        key: `gpu-pool-request-${body.cluster}-${body.namespace}`,
        fn: async () => {
          const r = await client.createRequest(credentials, body);
          return { id: r.id, status: r.status };
        },
      });
      ctx.logger.info(`GPU request ${created.id} is ${created.status}`);
      let request: GpuRequest = await client.getRequest(
        credentials,
        created.id,
      );
      const deadline = Date.now() + waitTimeoutSeconds * 1000;
      while (request.status === 'provisioning' && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, pollIntervalMs));
        request = await client.getRequest(credentials, created.id);
      }
      if (FAILED.includes(request.status)) {
        throw new InputError(
          `GPU request ${request.id} ended ${request.status}: ${
            request.lastError ?? request.history?.at(-1)?.reason ?? ''
          }`,
        );
      }
      ctx.output('requestId', request.id);
      ctx.output('status', request.status);
      if (request.queuePosition !== undefined)
        ctx.output('queuePosition', request.queuePosition);
      if (request.expiresAt) ctx.output('expiresAt', request.expiresAt);
      ctx.output('url', `/gpu-pool/requests/${request.id}`);
      ctx.output('gpuProduct', pool.product ?? '');
    },
  });
}
