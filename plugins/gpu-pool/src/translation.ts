import { createTranslationRef } from '@backstage/frontend-plugin-api';
import {
  GpuPoolReasonKey,
  gpuPoolReasonTemplates,
} from '@internal/plugin-gpu-pool-common';

/**
 * The backend's reason texts: the English is the catalog's template, its
 * `{name}` placeholders as i18next's `{{name}}`.
 */
const reasonMessages = Object.fromEntries(
  Object.entries(gpuPoolReasonTemplates).map(([key, template]) => [
    key,
    template.replace(/\{(\w+)\}/g, '{{$1}}'),
  ]),
) as { [K in GpuPoolReasonKey]: string };

/**
 * Text of the GPU pool pages. English is the source; Korean lives in
 * `translationKo.ts`.
 *
 * @public
 */
export const gpuPoolTranslationRef = createTranslationRef({
  id: 'plugin.gpu-pool.translation',
  messages: {
    nav: { title: 'GPU pool' },
    page: {
      title: 'Request GPUs',
      subtitle: 'Shared GPUs, leased for a time and given back when done',
      approvals: 'Approvals',
      jobs: 'Jobs',
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
      duration: 'Lease',
      durationUnit: 'Unit',
      hours: 'hours',
      days: 'days',
      durationHelp: 'Up to {{max}}',
      justification: 'Justification',
      ephemeral: 'Delete the namespace when the lease ends',
      submit: 'Request',
      noTeam: 'You are not a member of any team.',
      invalid: 'Correct the marked fields to send the request.',
      outcome: {
        immediate: 'Within your allowance: granted at once.',
        approval:
          'Above your allowance: the platform team must approve (justification required).',
        queue: 'Approved, but the pool is full: the request will queue.',
      },
    },
    validation: {
      team: 'Choose one of your teams.',
      cluster: 'Choose a pool.',
      namespace:
        'Lower-case letters, digits and "-", at most 63 characters, starting and ending with a letter or digit (e.g. ml-exp).',
      count: 'A whole number of GPUs, at least 1.',
      countMax: 'At most {{max}} per request in this pool.',
      cpu: 'A CPU amount such as 8 or 500m.',
      memory: 'A memory amount such as 64Gi.',
      duration: 'A whole number of hours or days, at least 1.',
      durationMax: 'At most {{max}} in this pool.',
      justification: 'At most 2000 characters.',
      justificationRequired:
        'Above your allowance: say why the GPUs are needed (read by the platform team).',
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
    requests: {
      title: "My team's requests",
      team: 'Team',
    },
    approvals: {
      title: 'Approvals inbox',
      empty: 'Nothing waits for approval.',
      approve: 'Approve',
      reject: 'Reject',
      requestedBy: 'Requested by',
      justification: 'Justification',
    },
    jobs: {
      title: "My team's jobs",
      subtitle:
        'Jobs queue in Kueue and hold GPUs only while they run. Updated live.',
      empty:
        'No jobs of your teams. Create one from the GPU training job template, or submit a Job labelled kueue.x-k8s.io/queue-name: portal-gpu-pool in a team namespace.',
      job: 'Job',
      team: 'Team',
      state: 'State',
      position: 'Queue position',
      positionValue:
        '#{{local}} in the namespace, #{{cluster}} in the team queue',
      gpus: 'GPUs',
      timing: 'Start / end',
      reason: 'Reason',
      cluster: 'Cluster',
      estimatedStart: 'starts {{time}} (estimate)',
      startUnknown: 'start not known yet',
      expectedEnd: 'ends {{time}}',
      admittedAt: 'admitted {{time}}',
      finishedAt: 'finished {{time}}',
      clusterErrors: 'Not shown: {{clusters}} did not answer.',
      conditions: 'Kueue conditions',
      conditionTime: 'Since',
    },
    workloadState: {
      pending: 'queued',
      admitted: 'admitted',
      running: 'running',
      finished: 'finished',
      evicted: 'evicted',
      inactive: 'stopped',
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
    reasons: reasonMessages,
  },
  translations: {
    ko: () => import('./translationKo'),
  },
});
