import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { finalStatuses } from '@internal/plugin-gpu-pool-common';
import { GpuPoolClient } from './GpuPoolClient';
import { examples } from './ensureNamespaceAction.examples';

/**
 * `gpu-pool:namespace:ensure`: makes sure a team has a namespace (without
 * GPUs) on a cluster, through the gpu-pool backend, which provisions it with
 * owner labels, quota, limits, default-deny network policy and RoleBinding.
 * Idempotent: an existing request of the team for that namespace is reused.
 * The namespace is leased like GPUs (it expires); an existing namespace the
 * portal did not create waits for the platform team (`pending-approval`).
 *
 * @public
 */
export function createEnsureNamespaceAction(options: { client: GpuPoolClient; pollIntervalMs?: number }) {
  const { client } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  return createTemplateAction({
    id: 'gpu-pool:namespace:ensure',
    description: 'Ensures a team namespace without GPUs exists on a cluster, with quota, limits, network policy and RoleBinding.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        team: z => z.string().describe('Owning team, e.g. group:default/payments-team'),
        cluster: z => z.string().describe('Cluster name'),
        namespace: z => z.string().describe('Namespace name (DNS-1123 label)'),
        cpu: z => z.string().default('4').describe('CPU quota'),
        memory: z => z.string().default('16Gi').describe('Memory quota'),
        duration: z =>
          z
            .string()
            .optional()
            .describe(
              "ISO 8601 lease of the namespace, e.g. P30D; the GPU pool's default for namespaces when omitted. Namespaces expire like GPU leases.",
            ),
        waitTimeoutSeconds: z => z.number().int().min(0).max(900).default(60).describe('How long to wait for active'),
      },
      output: {
        requestId: z => z.string().describe('Id of the namespace request'),
        status: z => z.string().describe('active; provisioning when the cluster is slow; pending-approval when adopting an existing namespace'),
        namespace: z => z.string().describe('The namespace'),
        created: z => z.boolean().describe('False when an existing request was reused'),
      },
    },
    async handler(ctx) {
      const { waitTimeoutSeconds, ...input } = ctx.input;
      ctx.output('namespace', input.namespace);
      if (ctx.isDryRun) {
        ctx.output('requestId', 'dry-run');
        ctx.output('status', 'dry-run');
        ctx.output('created', false);
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const result = await ctx.checkpoint({
        key: `gpu-pool-namespace-${input.cluster}-${input.namespace}`,
        fn: async () => {
          const existing = (await client.listTeamRequests(credentials)).find(
            r =>
              r.cluster === input.cluster &&
              r.namespace === input.namespace &&
              r.team === input.team.toLocaleLowerCase('en-US') &&
              !finalStatuses.includes(r.status),
          );
          if (existing) return { id: existing.id, created: false };
          const r = await client.createRequest(credentials, { ...input, gpus: [], justification: 'namespace from a template' });
          return { id: r.id, created: true };
        },
      });
      let request = await client.getRequest(credentials, result.id);
      const deadline = Date.now() + waitTimeoutSeconds * 1000;
      while (request.status === 'provisioning' && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, pollIntervalMs));
        request = await client.getRequest(credentials, result.id);
      }
      ctx.output('requestId', request.id);
      ctx.output('status', request.status);
      ctx.output('created', result.created);
    },
  });
}
