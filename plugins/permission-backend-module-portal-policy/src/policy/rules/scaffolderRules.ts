import {
  RESOURCE_TYPE_SCAFFOLDER_ACTION,
  RESOURCE_TYPE_SCAFFOLDER_TASK,
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  PortalPolicyRule,
  everyoneSignedIn,
  platformTeamOnly,
  platformTeamOr,
} from './types';

/**
 * Rule names of plugin-scaffolder-backend 4.2 (`scaffolderTaskConditions`,
 * `scaffolderActionConditions`); the scaffolder evaluates them, so a wrong
 * name fails the request instead of allowing it.
 */
const IS_TASK_OWNER = 'IS_TASK_OWNER';
const HAS_ACTION_ID = 'HAS_ACTION_ID';

/**
 * Actions whose effect reaches beyond the user's own work. `notification:send`
 * can broadcast to every user of the portal.
 */
export const PLATFORM_ONLY_SCAFFOLDER_ACTIONS: readonly [string, ...string[]] =
  ['notification:send'];

function hasActionId(actionId: string) {
  return {
    rule: HAS_ACTION_ID,
    resourceType: RESOURCE_TYPE_SCAFFOLDER_ACTION,
    params: { actionId },
  };
}

const [firstPlatformOnlyAction, ...otherPlatformOnlyActions] =
  PLATFORM_ONLY_SCAFFOLDER_ACTIONS;

/** Templates, tasks and actions of the scaffolder (golden paths). */
export const scaffolderRules: PortalPolicyRule[] = [
  {
    permissions: [taskReadPermission.name, taskCancelPermission.name],
    who: 'owner or platform team',
    description:
      "A scaffolder task's parameters, events and logs may hold a team's secrets: reading, cancelling and retrying a task (retry needs read) is for its creator and the platform team.",
    decide: context =>
      platformTeamOr(context, 'scaffolder', {
        rule: IS_TASK_OWNER,
        resourceType: RESOURCE_TYPE_SCAFFOLDER_TASK,
        params: { createdBy: [context.userEntityRef] },
      }),
  },
  {
    permissions: [
      templateManagementPermission.name,
      templateDryRunPermission.name,
    ],
    who: 'platform team',
    description:
      "Managing templates and dry runs (the template editor) execute arbitrary template steps with the portal's credentials: platform team only.",
    decide: platformTeamOnly,
  },
  {
    permissions: [actionExecutePermission.name],
    who: 'everyone signed in',
    description: `Running the steps of listed golden-path templates is self-service; actions that reach every user (${PLATFORM_ONLY_SCAFFOLDER_ACTIONS.join(
      ', ',
    )}) run only for the platform team.`,
    decide: context =>
      platformTeamOr(context, 'scaffolder', {
        not: {
          anyOf: [
            hasActionId(firstPlatformOnlyAction),
            ...otherPlatformOnlyActions.map(hasActionId),
          ],
        },
      }),
  },
  {
    permissions: [
      taskCreatePermission.name,
      templateParameterReadPermission.name,
      templateStepReadPermission.name,
    ],
    who: 'everyone signed in',
    description:
      'Golden paths are self-service: every signed-in user runs the templates the platform team publishes.',
    decide: everyoneSignedIn,
  },
];
