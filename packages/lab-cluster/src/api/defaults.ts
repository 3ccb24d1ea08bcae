// Defaulting the API server does on create for built-in kinds.
import { timestamp } from './meta';
import { ResourceType } from './resources';

/** What the API server fills in on create: namespace finalizers, pod phase, CRD conditions. */
export function applyDefaults(rt: ResourceType, obj: any): void {
  if (rt.group !== '' && rt.group !== 'apiextensions.k8s.io') return;
  if (rt.plural === 'namespaces') {
    obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
    obj.status = { phase: 'Active' };
    obj.metadata.labels = {
      ...(obj.metadata.labels ?? {}),
      'kubernetes.io/metadata.name': obj.metadata.name,
    };
  }
  if (rt.plural === 'pods') {
    obj.status = {
      phase: 'Pending',
      qosClass: 'BestEffort',
      ...(obj.status ?? {}),
    };
  }
  if (rt.plural === 'customresourcedefinitions') {
    obj.status = {
      conditions: [
        {
          type: 'NamesAccepted',
          status: 'True',
          reason: 'NoConflicts',
          message: 'no conflicts found',
          lastTransitionTime: timestamp(),
        },
        {
          type: 'Established',
          status: 'True',
          reason: 'InitialNamesAccepted',
          message: 'the initial names have been accepted',
          lastTransitionTime: timestamp(),
        },
      ],
      acceptedNames: obj.spec?.names ?? {},
      storedVersions: (obj.spec?.versions ?? [])
        .filter((v: any) => v.storage)
        .map((v: any) => v.name),
    };
  }
}
