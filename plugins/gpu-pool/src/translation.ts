import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Text of the GPU pool pages. English is the source; Korean lives in
 * `translationKo.ts`.
 *
 * @alpha
 */
export const gpuPoolTranslationRef = createTranslationRef({
  id: 'plugin.gpu-pool.translation',
  messages: {
    nav: { title: 'GPU pool' },
    page: {
      title: 'Request GPUs',
      subtitle: 'Shared GPUs, leased for a time and given back when done',
      approvals: 'Approvals',
      back: 'Back to the GPU pool',
    },
    availability: {
      title: 'Availability',
      pool: 'Pool',
      cluster: 'Cluster',
      model: 'Model / profile',
      capacity: 'Capacity',
      allocated: 'Allocated',
      available: 'Available',
      queued: 'Queued',
      stale: 'last known',
      empty: 'No pools are configured.',
    },
    form: {
      title: 'New request',
      team: 'Team',
      cluster: 'Cluster',
      namespace: 'Namespace',
      pool: 'Pool',
      count: 'GPUs',
      cpu: 'CPU',
      memory: 'Memory',
      duration: 'Duration (ISO 8601, e.g. P2D)',
      justification: 'Justification',
      ephemeral: 'Delete the namespace when the lease ends',
      submit: 'Request',
      noTeam: 'You are not a member of any team.',
      outcome: {
        immediate: 'Within your allowance: granted at once.',
        approval:
          'Above your allowance: the platform team must approve (justification required).',
        queue: 'Approved, but the pool is full: the request will queue.',
      },
    },
    grants: {
      title: "My team's grants",
      empty: 'Your teams hold no GPUs.',
      timeLeft: 'Time left',
      release: 'Release',
      extend: 'Extend 1 day',
      gpus: 'GPUs',
      status: 'Status',
      namespace: 'Namespace',
    },
    request: {
      title: 'Request',
      status: 'Status',
      position: 'Queue position',
      expires: 'Expires',
      history: 'History',
      error: 'Last error',
    },
    approvals: {
      title: 'Approvals inbox',
      empty: 'Nothing waits for approval.',
      approve: 'Approve',
      reject: 'Reject',
      requestedBy: 'Requested by',
      justification: 'Justification',
    },
    pool: {
      chart: 'Allocation over the last 24 hours',
      noHistory: 'No allocation recorded yet.',
    },
    status: {
      'pending-approval': 'pending approval',
      queued: 'queued',
      provisioning: 'provisioning',
      active: 'active',
      expiring: 'expiring',
      released: 'released',
      expired: 'expired',
      rejected: 'rejected',
      failed: 'failed',
    },
  },
  translations: {
    ko: () => import('./translationKo'),
  },
});
