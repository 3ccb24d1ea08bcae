import { ConfigReader } from '@backstage/config';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  unprocessedEntitiesDeletePermission,
  unprocessedEntitiesReadPermission,
} from '@backstage/plugin-catalog-unprocessed-entities-common';
import { catalogCurationReadPermission } from '@internal/plugin-catalog-curation-common';
import { clusterStatusNamespaceReadDetailsPermission } from '@internal/plugin-cluster-status-common';
import {
  gpuPoolRequestApprovePermission,
  gpuPoolRequestCreatePermission,
  gpuPoolRequestReleasePermission,
} from '@internal/plugin-gpu-pool-common';
import { PortalPermissionPolicy } from './PortalPermissionPolicy';

const memberships: Record<string, string[]> = {
  'user:default/hyunwoo.park': ['group:default/platform-team'],
  'user:default/jiwoo.kim': ['group:default/ml-team'],
};

function policyFor(config: object = {}) {
  const userInfo = mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const userEntityRef = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(memberships[userEntityRef] ?? []),
        ],
      };
    },
  });
  return PortalPermissionPolicy.fromConfig(new ConfigReader(config), {
    userInfo,
  });
}

function asUser(userEntityRef: string) {
  const credentials = mockCredentials.user(userEntityRef);
  return {
    credentials,
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef] },
  };
}

describe('PortalPermissionPolicy', () => {
  it('lets every signed-in user read the catalog', async () => {
    const decision = await policyFor().handle(
      { permission: catalogEntityReadPermission },
      asUser('user:default/jiwoo.kim'),
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it('denies requests without a signed-in user', async () => {
    const decision = await policyFor().handle({
      permission: catalogEntityReadPermission,
    });
    expect(decision.result).toBe(AuthorizeResult.DENY);
  });

  it.each([catalogEntityDeletePermission, catalogLocationDeletePermission])(
    'reserves $name for the platform team',
    async permission => {
      const policy = policyFor();
      await expect(
        policy.handle({ permission }, asUser('user:default/hyunwoo.park')),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
      await expect(
        policy.handle({ permission }, asUser('user:default/jiwoo.kim')),
      ).resolves.toEqual({ result: AuthorizeResult.DENY });
    },
  );

  it('reads the platform team from config', async () => {
    const policy = policyFor({
      portal: { platformTeam: 'group:default/ml-team' },
    });
    await expect(
      policy.handle(
        { permission: catalogEntityDeletePermission },
        asUser('user:default/jiwoo.kim'),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle(
        { permission: catalogEntityDeletePermission },
        asUser('user:default/hyunwoo.park'),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows permissions that no rule governs to signed-in users', async () => {
    const other = createPermission({ name: 'other.read', attributes: {} });
    await expect(
      policyFor().handle(
        { permission: other },
        asUser('user:default/jiwoo.kim'),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('PortalPermissionPolicy: catalog curation', () => {
  it.each([
    ['the curation report', catalogCurationReadPermission],
    ['deleting unprocessed entities', unprocessedEntitiesDeletePermission],
  ])('reserves %s for the platform team', async (_, permission) => {
    const policy = policyFor();
    await expect(
      policy.handle({ permission }, asUser('user:default/hyunwoo.park')),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission }, asUser('user:default/jiwoo.kim')),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(policy.handle({ permission })).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets developers read unprocessed entities of the catalog', async () => {
    await expect(
      policyFor().handle(
        { permission: unprocessedEntitiesReadPermission },
        asUser('user:default/jiwoo.kim'),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('PortalPermissionPolicy: cluster status namespaces', () => {
  it('shows the platform team every namespace in detail', async () => {
    const decision = await policyFor().handle(
      { permission: clusterStatusNamespaceReadDetailsPermission },
      asUser('user:default/hyunwoo.park'),
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });

  it("limits developers to their own teams' namespaces", async () => {
    const decision = await policyFor().handle(
      { permission: clusterStatusNamespaceReadDetailsPermission },
      asUser('user:default/jiwoo.kim'),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'cluster-status',
      resourceType: 'cluster-status-namespace',
      conditions: {
        rule: 'IS_NAMESPACE_OWNER',
        resourceType: 'cluster-status-namespace',
        params: {
          claims: ['user:default/jiwoo.kim', 'group:default/ml-team'],
        },
      },
    });
  });

  it('honours portal.platformTeam', async () => {
    const decision = await policyFor({
      portal: { platformTeam: 'group:default/ml-team' },
    }).handle(
      { permission: clusterStatusNamespaceReadDetailsPermission },
      asUser('user:default/jiwoo.kim'),
    );
    expect(decision.result).toBe(AuthorizeResult.ALLOW);
  });
});

describe('PortalPermissionPolicy: GPU pool', () => {
  it('lets only the platform team approve', async () => {
    const platform = await policyFor().handle(
      { permission: gpuPoolRequestApprovePermission },
      asUser('user:default/hyunwoo.park'),
    );
    const developer = await policyFor().handle(
      { permission: gpuPoolRequestApprovePermission },
      asUser('user:default/jiwoo.kim'),
    );
    expect(platform.result).toBe(AuthorizeResult.ALLOW);
    expect(developer.result).toBe(AuthorizeResult.DENY);
  });

  it('limits creating and releasing to members of the team', async () => {
    for (const permission of [
      gpuPoolRequestCreatePermission,
      gpuPoolRequestReleasePermission,
    ]) {
      expect(
        await policyFor().handle({ permission }, asUser('user:default/jiwoo.kim')),
      ).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'gpu-pool',
        resourceType: 'gpu-pool-team',
        conditions: {
          rule: 'IS_TEAM_MEMBER',
          resourceType: 'gpu-pool-team',
          params: {
            claims: ['user:default/jiwoo.kim', 'group:default/ml-team'],
          },
        },
      });
      expect(
        (
          await policyFor().handle(
            { permission },
            asUser('user:default/hyunwoo.park'),
          )
        ).result,
      ).toBe(AuthorizeResult.ALLOW);
    }
  });
});
