import {
  kubernetesClustersReadPermission,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  clusterStatusNamespaceReadDetailsPermission,
  clusterStatusReadPermission,
  isNamespaceOwner,
} from '@internal/plugin-cluster-status-common';
import {
  PortalPolicyRule,
  everyoneSignedIn,
  platformTeamOnly,
  platformTeamOr,
} from './types';

/** The upstream Kubernetes plugin and the portal's cluster status. */
export const kubernetesRules: PortalPolicyRule[] = [
  {
    permissions: [kubernetesProxyPermission.name],
    who: 'platform team',
    description:
      "The Kubernetes proxy forwards any API call, writes and deletes included, with the portal's cluster credentials: platform team only.",
    decide: platformTeamOnly,
  },
  {
    permissions: [
      kubernetesClustersReadPermission.name,
      kubernetesResourcesReadPermission.name,
    ],
    who: 'everyone signed in',
    description:
      "The Kubernetes tab shows the workloads of catalog entities, read with the portal's read-only cluster identity: every signed-in user, like the catalog.",
    decide: everyoneSignedIn,
  },
  {
    permissions: [clusterStatusReadPermission.name],
    who: 'everyone signed in',
    description:
      'The fleet view (cluster health, node, pod and GPU totals) helps everyone plan their work: every signed-in user.',
    decide: everyoneSignedIn,
  },
  {
    permissions: [clusterStatusNamespaceReadDetailsPermission.name],
    who: 'owner or platform team',
    description:
      "A namespace's pods, quotas, problem pods and events are shown to its owning team and the platform team; others see counts and totals only.",
    decide: context =>
      platformTeamOr(
        context,
        'cluster-status',
        isNamespaceOwner({ claims: context.ownershipEntityRefs }),
      ),
  },
];
