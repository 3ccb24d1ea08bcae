import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * Text of the cluster status plugin; English here, Korean in
 * `translationKo.ts`.
 *
 * @public
 */
export const clusterStatusTranslationRef = createTranslationRef({
  id: 'plugin.cluster-status.translation',
  messages: {
    nav: { title: 'Clusters' },
    fleet: {
      title: 'Cluster status',
      subtitle: 'Every on-prem cluster, its nodes and its GPUs at a glance',
      empty: 'No clusters are configured.',
      emptyHint: 'Add clusters under kubernetesAccess.clusters in app-config.',
      live: 'Live',
    },
    status: {
      pending: 'Connecting',
      reachable: 'Reachable',
      unreachable: 'Unreachable',
      'authentication-failed': 'Authentication failed',
    },
    summary: {
      version: 'Version',
      lastContact: 'Last contact',
      never: 'never',
      nodes: 'Nodes',
      ready: 'ready',
      notReady: 'not ready',
      cordoned: 'cordoned',
      pods: 'Pods',
      running: 'running',
      pending: 'pending',
      failed: 'failed',
      cpu: 'CPU requested',
      memory: 'Memory requested',
      gpus: 'GPUs',
      gpuFigures: '{{allocated}} allocated · {{free}} free of {{total}}',
      byModel: 'By model',
      byProfile: 'By MIG profile',
      noGpus: 'No GPUs',
      staleData: 'Showing the last known state.',
      nodeGrid: 'Nodes',
      open: 'Details',
    },
    health: {
      ready: 'Ready',
      'not-ready': 'Not ready',
      pressure: 'Under pressure',
      cordoned: 'Cordoned',
    },
    cluster: {
      back: 'All clusters',
      nodes: 'Nodes',
      namespaces: 'Namespaces',
      problemPods: 'Problem pods',
      events: 'Warning events',
      filterModel: 'GPU model',
      filterCondition: 'Condition',
      all: 'All',
      noProblemPods: 'No problem pods.',
      noEvents: 'No recent warning events.',
      noNamespaces: 'No namespaces to show.',
      hiddenNamespaces:
        '{{hidden}} other namespaces ({{pods}} pods, {{gpus}} GPUs requested) belong to other teams.',
      hiddenItems: '{{hidden}} more in other teams’ namespaces.',
      notFound: 'Cluster not found.',
      columns: {
        name: 'Name',
        health: 'Health',
        gpuModel: 'GPU model',
        gpus: 'GPUs (allocated/total)',
        mig: 'MIG layout',
        conditions: 'Conditions',
        taints: 'Taints',
        pods: 'Pods',
        owner: 'Owner',
        quota: 'Quota',
        namespace: 'Namespace',
        pod: 'Pod',
        reason: 'Reason',
        message: 'Message',
        restarts: 'Restarts',
        object: 'Object',
        count: 'Count',
        last: 'Last seen',
      },
    },
    entity: {
      cardTitle: 'Cluster status',
      tabTitle: 'Cluster status',
      noAnnotation: 'This entity does not name a cluster.',
    },
    activity: {
      title: 'GPU activity',
      busyFigures:
        '{{busy}} busy · {{idle}} allocated but idle · {{allocated}} allocated of {{total}}',
      threshold:
        'Busy: mean engine activity of at least {{percent}}% over the last {{seconds}} s (NVIDIA DCGM)',
      reporting: '{{reporting}} of {{total}} GPUs report metrics',
      noMetrics: 'No GPU metrics',
      notConfigured:
        'This cluster has no GPU metrics (gpuMetrics is not configured), so busy GPUs cannot be told from idle ones.',
      unavailable: 'GPU metrics are unavailable; busy and idle are unknown',
      loadFailed: 'GPU activity could not be loaded',
    },
    error: { title: 'Could not load cluster status' },
  },
  translations: {
    ko: () => import('./translationKo'),
  },
});
