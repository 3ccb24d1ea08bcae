import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogEntityValidatePermission,
  catalogIngestionManagePermission,
  catalogIngestionReadPermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  unprocessedEntitiesDeletePermission,
  unprocessedEntitiesReadPermission,
} from '@backstage/plugin-catalog-unprocessed-entities-common';
import { catalogCurationReadPermission } from '@internal/plugin-catalog-curation-common';
import { PortalPolicyRule, everyoneSignedIn, platformTeamOnly } from './types';

/** The catalog, its unprocessed entities and the curation report. */
export const catalogRules: PortalPolicyRule[] = [
  {
    permissions: [
      catalogEntityDeletePermission.name,
      catalogLocationDeletePermission.name,
    ],
    who: 'platform team',
    description:
      'Unregistering or deleting catalog entities and locations removes what teams rely on: the platform team curates the catalog.',
    decide: platformTeamOnly,
  },
  {
    permissions: [catalogIngestionManagePermission.name],
    who: 'platform team',
    description:
      'Managing catalog ingestion (providers, pausing or re-running them) changes what the whole catalog holds: platform team only.',
    decide: platformTeamOnly,
  },
  {
    permissions: [unprocessedEntitiesDeletePermission.name],
    who: 'platform team',
    description:
      'Deleting entities the catalog failed to process removes their refresh state: platform team only.',
    decide: platformTeamOnly,
  },
  {
    permissions: [catalogCurationReadPermission.name],
    who: 'platform team',
    description:
      'The catalog curation report (problems, orphans, failed entities, duplicates across teams) is for the platform team; developers see their own scorecards.',
    decide: platformTeamOnly,
  },
  {
    permissions: [
      catalogEntityReadPermission.name,
      catalogLocationReadPermission.name,
      unprocessedEntitiesReadPermission.name,
      catalogIngestionReadPermission.name,
    ],
    who: 'everyone signed in',
    description:
      'The catalog is the shared map of services, APIs and owners: every signed-in user reads it, including why an entity failed to load.',
    decide: everyoneSignedIn,
  },
  {
    permissions: [
      catalogEntityCreatePermission.name,
      catalogLocationCreatePermission.name,
      catalogLocationAnalyzePermission.name,
      catalogEntityRefreshPermission.name,
      catalogEntityValidatePermission.name,
    ],
    who: 'everyone signed in',
    description:
      "Teams register, validate and refresh their own components (self-service); which kinds a user's location may hold and where files are read from is restricted by the catalog's rules, not here.",
    decide: everyoneSignedIn,
  },
];
