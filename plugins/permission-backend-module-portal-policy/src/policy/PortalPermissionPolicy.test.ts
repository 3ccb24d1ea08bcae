import { techdocsPermissions } from '@backstage/plugin-techdocs-common/alpha';
import { ConfigReader } from '@backstage/config';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
  createPermission,
} from '@backstage/plugin-permission-common';
import { catalogPermissions } from '@backstage/plugin-catalog-common/alpha';
import { unprocessedEntitiesPermissions } from '@backstage/plugin-catalog-unprocessed-entities-common';
import { kubernetesPermissions } from '@backstage/plugin-kubernetes-common';
import {
  scaffolderPermissions,
  taskCancelPermission,
  taskReadPermission,
  actionExecutePermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { catalogCurationPermissions } from '@internal/plugin-catalog-curation-common';
import {
  clusterStatusNamespaceReadDetailsPermission,
  clusterStatusPermissions,
} from '@internal/plugin-cluster-status-common';
import {
  gpuPoolPermissions,
  gpuPoolRequestCreatePermission,
  gpuPoolRequestExtendPermission,
  gpuPoolRequestReleasePermission,
  gpuPoolWorkloadReadPermission,
  gpuPoolReclaimExemptPermission,
  gpuPoolShowbackReadPermission,
} from '@internal/plugin-gpu-pool-common';
import { PortalPermissionPolicy } from './PortalPermissionPolicy';
import { isPermissionCovered, portalPolicyRules } from './rules';
import { PortalPolicyRule, allow, deny } from './rules/types';

const PLATFORM = 'user:default/hyunwoo.park';
const DEVELOPER = 'user:default/jiwoo.kim';

const memberships: Record<string, string[]> = {
  [PLATFORM]: ['group:default/platform-team'],
  [DEVELOPER]: ['group:default/ml-team'],
};

function policyFor(
  config: object = {},
  options: { rules?: PortalPolicyRule[]; absent?: string[] } = {},
) {
  const logger = mockServices.logger.mock();
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
  // The users of these tests exist, unless named absent (removed from the directory).
  const userPresence = {
    isPresent: async (ref: string) => !(options.absent ?? []).includes(ref),
  };
  const policy = PortalPermissionPolicy.fromConfig(new ConfigReader(config), {
    userInfo,
    userPresence,
    logger,
    rules: options.rules,
  });
  return { policy, logger };
}

function asUser(userEntityRef: string) {
  return {
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef] },
  };
}

async function resultFor(permission: Permission, user: string) {
  const { policy } = policyFor();
  return (await policy.handle({ permission }, asUser(user))).result;
}

const { ALLOW, DENY, CONDITIONAL } = AuthorizeResult;

/**
 * What the README's table promises, per permission: [developer, platform].
 * Written out by hand so that a changed rule fails here.
 */
const expected: Record<string, [AuthorizeResult, AuthorizeResult]> = {
  'catalog.entity.read': [ALLOW, ALLOW],
  'catalog.entity.create': [ALLOW, ALLOW],
  'catalog.entity.refresh': [ALLOW, ALLOW],
  'catalog.entity.validate': [ALLOW, ALLOW],
  'catalog.entity.delete': [DENY, ALLOW],
  'catalog.location.read': [ALLOW, ALLOW],
  'catalog.location.create': [ALLOW, ALLOW],
  'catalog.location.analyze': [ALLOW, ALLOW],
  'catalog.location.delete': [DENY, ALLOW],
  'catalog.ingestion.read': [ALLOW, ALLOW],
  'catalog.ingestion.manage': [DENY, ALLOW],
  'catalog.entities.unprocessed.read': [ALLOW, ALLOW],
  'catalog.entities.unprocessed.delete': [DENY, ALLOW],
  'catalog-curation.report.read': [DENY, ALLOW],
  'techdocs.actions.read': [ALLOW, ALLOW],
  'scaffolder.task.create': [ALLOW, ALLOW],
  'scaffolder.task.read': [CONDITIONAL, ALLOW],
  'scaffolder.task.cancel': [CONDITIONAL, ALLOW],
  'scaffolder.template.parameter.read': [ALLOW, ALLOW],
  'scaffolder.template.step.read': [ALLOW, ALLOW],
  'scaffolder.action.execute': [CONDITIONAL, ALLOW],
  'scaffolder.template.dry-run': [DENY, ALLOW],
  'scaffolder.template.management': [DENY, ALLOW],
  'kubernetes.proxy': [DENY, ALLOW],
  'kubernetes.clusters.read': [ALLOW, ALLOW],
  'kubernetes.resources.read': [ALLOW, ALLOW],
  'cluster-status.cluster.read': [ALLOW, ALLOW],
  'cluster-status.namespace.read.details': [CONDITIONAL, ALLOW],
  'gpu-pool.request.create': [CONDITIONAL, ALLOW],
  'gpu-pool.request.extend': [CONDITIONAL, ALLOW],
  'gpu-pool.request.release': [CONDITIONAL, ALLOW],
  'gpu-pool.request.approve': [DENY, ALLOW],
  'gpu-pool.audit.read': [DENY, ALLOW],
  'gpu-pool.showback.read': [CONDITIONAL, ALLOW],
  'gpu-pool.reclaim.exempt': [DENY, ALLOW],
  'gpu-pool.workload.read': [CONDITIONAL, ALLOW],
};

const registered: Permission[] = [
  ...catalogPermissions,
  ...Object.values(unprocessedEntitiesPermissions),
  ...catalogCurationPermissions,
  ...scaffolderPermissions,
  ...kubernetesPermissions,
  ...clusterStatusPermissions,
  ...gpuPoolPermissions,
  gpuPoolShowbackReadPermission,
  gpuPoolReclaimExemptPermission,
  gpuPoolWorkloadReadPermission,
  ...techdocsPermissions,
];

describe('PortalPermissionPolicy: every rule', () => {
  it('names every permission of the installed plugins', () => {
    const uncovered = registered
      .map(p => p.name)
      .filter(name => !isPermissionCovered(name));
    expect(uncovered).toEqual([]);
  });

  it('has an expectation for every permission a rule names', () => {
    const named = portalPolicyRules.flatMap(r => r.permissions).sort();
    expect(named).toEqual(Object.keys(expected).sort());
  });

  it.each(registered.map(p => [p.name, p] as const))(
    'decides %s as the table says',
    async (name, permission) => {
      const [developer, platform] = expected[name];
      expect(await resultFor(permission, DEVELOPER)).toBe(developer);
      expect(await resultFor(permission, PLATFORM)).toBe(platform);
    },
  );

  it('gives every rule a reason and an audience', () => {
    for (const rule of portalPolicyRules) {
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.who).toBeTruthy();
      expect(rule.permissions.length).toBeGreaterThan(0);
    }
  });

  it('names each permission in one rule only, so the order cannot hide one', () => {
    const names = portalPolicyRules.flatMap(r => r.permissions);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('PortalPermissionPolicy: fails closed', () => {
  it('denies requests without a signed-in user', async () => {
    const { policy } = policyFor();
    for (const permission of registered) {
      expect((await policy.handle({ permission })).result).toBe(DENY);
    }
  });

  it('denies every permission to a user who is no longer in the catalog, whatever their token says', async () => {
    const { policy } = policyFor({}, { absent: [PLATFORM] });
    // Both are allowed or conditional to a developer, never denied.
    const read = catalogPermissions.find(p => p.name === 'catalog.entity.read')!;
    for (const permission of [read, gpuPoolRequestCreatePermission]) {
      expect(await policy.handle({ permission }, asUser(PLATFORM))).toEqual(
        deny,
      );
      // The same permission for someone still present is decided by the rules.
      expect(
        (await policy.handle({ permission }, asUser(DEVELOPER))).result,
      ).toBe(expected[permission.name][0]);
    }
  });

  it('denies a permission no rule names and warns once per name', async () => {
    const { policy, logger } = policyFor();
    const other = createPermission({ name: 'other.delete', attributes: {} });
    const another = createPermission({ name: 'another.read', attributes: {} });
    for (let i = 0; i < 3; i++) {
      expect(
        await policy.handle({ permission: other }, asUser(PLATFORM)),
      ).toEqual(deny);
    }
    expect(await policy.handle({ permission: another })).toEqual(deny);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining("'other.delete'"),
      { permission: 'other.delete' },
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining("'another.read'"),
      { permission: 'another.read' },
    );
  });

  it('does not warn about permissions a rule names', async () => {
    const { policy, logger } = policyFor();
    for (const permission of registered) {
      await policy.handle({ permission }, asUser(DEVELOPER));
    }
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('applies the first rule that names the permission', async () => {
    const permission = createPermission({ name: 'x.read', attributes: {} });
    const { policy } = policyFor(
      {},
      {
        rules: [
          {
            permissions: ['x.read'],
            who: 'nobody',
            description: 'first',
            decide: () => deny,
          },
          {
            permissions: ['x.read'],
            who: 'everyone signed in',
            description: 'second',
            decide: () => allow,
          },
        ],
      },
    );
    expect(await policy.handle({ permission }, asUser(PLATFORM))).toEqual(deny);
  });

  it('reads the platform team from config', async () => {
    const { policy } = policyFor({
      portal: { platformTeam: 'group:default/ml-team' },
    });
    const proxy = kubernetesPermissions.find(
      p => p.name === 'kubernetes.proxy',
    )!;
    expect(
      (await policy.handle({ permission: proxy }, asUser(DEVELOPER))).result,
    ).toBe(ALLOW);
    expect(
      (await policy.handle({ permission: proxy }, asUser(PLATFORM))).result,
    ).toBe(DENY);
  });
});

describe('PortalPermissionPolicy: conditions', () => {
  it.each([taskReadPermission, taskCancelPermission])(
    'limits $name to the task creator',
    async permission => {
      const { policy } = policyFor();
      expect(await policy.handle({ permission }, asUser(DEVELOPER))).toEqual({
        result: CONDITIONAL,
        pluginId: 'scaffolder',
        resourceType: 'scaffolder-task',
        conditions: {
          rule: 'IS_TASK_OWNER',
          resourceType: 'scaffolder-task',
          params: { createdBy: [DEVELOPER] },
        },
      });
    },
  );

  it('keeps notification:send from developers and lets them run other actions', async () => {
    const { policy } = policyFor();
    expect(
      await policy.handle(
        { permission: actionExecutePermission },
        asUser(DEVELOPER),
      ),
    ).toEqual({
      result: CONDITIONAL,
      pluginId: 'scaffolder',
      resourceType: 'scaffolder-action',
      conditions: {
        not: {
          anyOf: [
            {
              rule: 'HAS_ACTION_ID',
              resourceType: 'scaffolder-action',
              params: { actionId: 'notification:send' },
            },
          ],
        },
      },
    });
  });

  it("limits developers to their own teams' namespaces", async () => {
    const { policy } = policyFor();
    expect(
      await policy.handle(
        { permission: clusterStatusNamespaceReadDetailsPermission },
        asUser(DEVELOPER),
      ),
    ).toEqual({
      result: CONDITIONAL,
      pluginId: 'cluster-status',
      resourceType: 'cluster-status-namespace',
      conditions: {
        rule: 'IS_NAMESPACE_OWNER',
        resourceType: 'cluster-status-namespace',
        params: { claims: [DEVELOPER, 'group:default/ml-team'] },
      },
    });
  });

  it.each([
    gpuPoolRequestCreatePermission,
    gpuPoolRequestExtendPermission,
    gpuPoolRequestReleasePermission,
  ])('limits $name to members of the team', async permission => {
    const { policy } = policyFor();
    expect(await policy.handle({ permission }, asUser(DEVELOPER))).toEqual({
      result: CONDITIONAL,
      pluginId: 'gpu-pool',
      resourceType: 'gpu-pool-team',
      conditions: {
        rule: 'IS_TEAM_MEMBER',
        resourceType: 'gpu-pool-team',
        params: { claims: [DEVELOPER, 'group:default/ml-team'] },
      },
    });
  });

  it('denies instead of returning a condition for a basic permission', async () => {
    const basic = createPermission({
      name: 'scaffolder.task.read',
      attributes: {},
    });
    const { policy } = policyFor();
    expect(
      await policy.handle({ permission: basic }, asUser(DEVELOPER)),
    ).toEqual(deny);
  });
});
