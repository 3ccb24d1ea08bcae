import { LoggerService, UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { PolicyDecision } from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { UserPresence } from './CatalogUserPresence';
import { findPortalPolicyRule, portalPolicyRules } from './rules';
import { PolicyContext, PortalPolicyRule, deny } from './rules/types';

/**
 * The group whose members run the platform, unless configured otherwise.
 *
 * @public
 */
export const DEFAULT_PLATFORM_TEAM = 'group:default/platform-team';

/**
 * The portal's permission policy. It fails closed: requests without a
 * signed-in user are denied, and so are users who no longer exist (removed
 * from the directory, so from the catalog) whatever their token still says,
 * checked through {@link UserPresence}; then {@link portalPolicyRules} apply in order
 * (first match wins), and a permission that no rule names is denied and
 * logged once per permission name at warn level.
 *
 * Service-to-service calls never reach a policy: the permissions service
 * allows service principals itself.
 *
 * @public
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  readonly #userInfo: UserInfoService;
  readonly #userPresence: UserPresence;
  readonly #logger: LoggerService;
  readonly #platformTeam: string;
  readonly #rules: readonly PortalPolicyRule[];
  readonly #warned = new Set<string>();

  static fromConfig(
    config: Config,
    options: {
      userInfo: UserInfoService;
      userPresence: UserPresence;
      logger: LoggerService;
      rules?: readonly PortalPolicyRule[];
    },
  ): PortalPermissionPolicy {
    return new PortalPermissionPolicy({
      userInfo: options.userInfo,
      userPresence: options.userPresence,
      logger: options.logger,
      platformTeam:
        config.getOptionalString('portal.platformTeam') ??
        DEFAULT_PLATFORM_TEAM,
      rules: options.rules ?? portalPolicyRules,
    });
  }

  private constructor(options: {
    userInfo: UserInfoService;
    userPresence: UserPresence;
    logger: LoggerService;
    platformTeam: string;
    rules: readonly PortalPolicyRule[];
  }) {
    this.#userInfo = options.userInfo;
    this.#userPresence = options.userPresence;
    this.#logger = options.logger;
    this.#platformTeam = options.platformTeam.toLocaleLowerCase('en-US');
    this.#rules = options.rules;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const rule = findPortalPolicyRule(request.permission.name, this.#rules);
    if (!rule) {
      this.#warnUnknown(request.permission.name);
      return deny;
    }
    if (!user) {
      return deny;
    }
    const info = await this.#userInfo.getUserInfo(user.credentials);
    if (!(await this.#userPresence.isPresent(info.userEntityRef))) {
      this.#logger.debug(
        `Denied permission '${request.permission.name}': ${info.userEntityRef} is not in the catalog`,
        { permission: request.permission.name, userEntityRef: info.userEntityRef },
      );
      return deny;
    }
    const ownershipEntityRefs = info.ownershipEntityRefs.map(ref =>
      ref.toLocaleLowerCase('en-US'),
    );
    const context: PolicyContext = {
      request,
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs,
      isPlatformTeam: ownershipEntityRefs.includes(this.#platformTeam),
    };
    return rule.decide(context);
  }

  #warnUnknown(permissionName: string) {
    if (this.#warned.has(permissionName)) {
      return;
    }
    this.#warned.add(permissionName);
    this.#logger.warn(
      `Denied permission '${permissionName}': no rule of the portal policy names it. Add a rule in plugins/permission-backend-module-portal-policy to decide who may use it.`,
      { permission: permissionName },
    );
  }
}
