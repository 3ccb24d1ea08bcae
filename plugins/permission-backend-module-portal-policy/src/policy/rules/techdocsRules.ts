import { techdocsActionsReadPermission } from '@backstage/plugin-techdocs-common/alpha';
import { PortalPolicyRule, everyoneSignedIn } from './types';

/** TechDocs. */
export const techdocsRules: PortalPolicyRule[] = [
  {
    permissions: [techdocsActionsReadPermission.name],
    who: 'everyone signed in',
    description:
      "TechDocs' actions in the actions registry (for MCP clients) only read documentation metadata, and the catalog still decides which entities a user reads.",
    decide: everyoneSignedIn,
  },
];
