import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Text of the showback page and the idle-reclaim card. English is the
 * source; Korean lives in `showbackTranslationKo.ts`.
 *
 * @alpha
 */
export const gpuPoolShowbackTranslationRef = createTranslationRef({
  id: 'plugin.gpu-pool.showback',
  messages: {
    page: {
      title: 'GPU showback',
      subtitle: 'GPU-hours granted, busy and reclaimed per team and pool',
    },
    filters: {
      period: 'Period',
      team: 'Team',
      allTeams: 'All teams I may see',
      pool: 'Pool',
      allPools: 'All pools',
      day: 'Day',
      week: 'Week',
      month: 'Month',
    },
    totals: {
      granted: 'GPU-hours granted',
      busy: 'GPU-hours busy',
      reclaimed: 'Idle GPU-hours reclaimed',
      wait: 'Mean queue wait',
      busyShare: 'busy ÷ granted',
    },
    chart: {
      hours: 'GPU-hours per period',
      wait: 'Mean queue wait per period (hours)',
      waitHours: 'Mean wait (h)',
    },
    table: {
      title: 'Per team, pool and period',
      period: 'Period',
      team: 'Team',
      pool: 'Pool',
      grants: 'Grants',
    },
    noMetrics: 'no GPU metrics',
    metricsUnavailable: 'GPU metrics unavailable',
    metricsMissing:
      'Busy GPU-hours are missing for {{clusters}}: shown as "no GPU metrics", never as 0.',
    empty: 'No GPUs were granted in this range.',
    csv: 'Download CSV',
    reclaim: {
      title: 'Idle reclaim',
      off: 'This lease is not subject to idle reclaim.',
      watching:
        'Reclaimed if every GPU stays below {{threshold}}% for {{idle}} minutes and nobody answers within {{grace}} minutes.',
      nudged:
        'The GPUs are idle. They are reclaimed at {{at}} unless you keep them.',
      kept: 'Kept until {{until}}.',
      exempt: 'Exempt from idle reclaim: {{reason}}',
      reclaimed: 'Reclaimed as idle at {{at}}.',
      lastCheck: 'Last check: {{outcome}}',
      keep: 'Keep',
      release: 'Release now',
      exemptAction: 'Exempt',
      exemptReason: 'Why may this lease stay idle?',
      asked: 'You came here from the idle notice: choose below.',
    },
    outcome: {
      busy: 'busy',
      idle: 'idle',
      'no-metrics': 'no GPU metrics',
      'metrics-unavailable': 'GPU metrics unavailable',
      'no-samples': 'no samples',
      'too-young': 'lease younger than the window',
      kept: 'kept',
      exempt: 'exempt',
      grace: 'waiting for an answer',
      nudged: 'owners notified',
      reclaimed: 'reclaimed',
    },
  },
  translations: {
    ko: () => import('./showbackTranslationKo'),
  },
});
