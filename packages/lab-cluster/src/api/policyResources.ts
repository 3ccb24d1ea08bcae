// policy/v1, so that the portal's own manifests (deploy/base: a
// PodDisruptionBudget) apply to the lab with `kubectl apply --dry-run=server`
// like to a real cluster. Stored and served like any namespaced type; the lab
// runs no disruption controller, so status is whatever a client writes.
import type { ResourceType } from './resources';

export const POLICY_RESOURCES: ResourceType[] = [
  {
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    status: true,
  },
];
