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
