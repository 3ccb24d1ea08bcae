import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** The platform team's member: the only user the test permissions allow. */
export const platformUser = 'user:default/hyunwoo.park';

/** A small catalog: a team, its system, namespace and two services. */
export const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'ml-team', namespace: 'default' },
    spec: { type: 'team' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'document-ai', namespace: 'default' },
    spec: { owner: 'ml-team' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'ml-team',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-namespace': 'ml-team' },
    },
    spec: { type: 'kubernetes-namespace', owner: 'ml-team' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/ml-team' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'ocr-inference',
      namespace: 'default',
      uid: 'uid-ocr',
      annotations: {
        'backstage.io/kubernetes-id': 'ocr-inference',
        'backstage.io/kubernetes-namespace': 'ml-team',
        'portal.cloud-smart.io/pipeline-stages': 'sast,sbom',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'ml-team',
      system: 'document-ai',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'old-batch',
      namespace: 'default',
      uid: 'uid-old',
      annotations: { 'backstage.io/orphan': 'true' },
    },
    spec: { type: 'service', lifecycle: 'beta', owner: 'ml-team' },
  },
];

/**
 * The catalog as an in-memory mock of those entities; unregistering is a
 * jest mock the tests can inspect.
 */
export function curationCatalogMock() {
  const inMemory = catalogServiceMock({ entities });
  return catalogServiceMock.mock({
    getEntities: (...args) => inMemory.getEntities(...args),
    getEntitiesByRefs: (...args) => inMemory.getEntitiesByRefs(...args),
    getEntityByRef: (...args) => inMemory.getEntityByRef(...args),
    removeEntityByUid: jest.fn(async () => {}),
  });
}

/** Permissions that allow the platform team's member and deny everyone else. */
export function platformOnlyPermissions() {
  return mockServices.permissions.mock({
    authorize: async (requests, options) =>
      requests.map(() => ({
        result:
          (options?.credentials.principal as { userEntityRef?: string })
            ?.userEntityRef === platformUser
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      })),
  });
}
