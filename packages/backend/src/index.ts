import { createBackend } from '@backstage/backend-defaults';
import { signInProviders } from './signInProviders';
import { exitUnlessEnvironmentComplete } from './requiredEnvironment';

// Production reads its values from the environment: stop now, naming what is
// missing, rather than with a stack trace from the first plugin that needs it.
exitUnlessEnvironmentComplete();

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Sign-in: OIDC (e.g. Keycloak); the guest only when auth.environment is
// development (src/signInProviders.ts), never in production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(signInProviders);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Catalog curation: rules at ingestion, failed entities, the curation page
// and scorecards. The GitLab discovery provider does nothing until
// catalog.providers.gitlab is configured.
backend.add(import('@internal/plugin-catalog-backend-module-curation'));
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));
backend.add(import('@backstage/plugin-catalog-backend-module-gitlab'));
// The organisation from the directory (LDAP / Active Directory); does nothing
// until catalog.providers.ldapOrg is configured (app-config.production.yaml).
backend.add(import('@backstage/plugin-catalog-backend-module-ldap'));
backend.add(import('@internal/plugin-catalog-curation-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@internal/plugin-permission-backend-module-portal-policy'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Golden paths: publishing to the portal's own git storage, the policy check,
// and the URL reader the catalog uses to read what was published.
backend.add(
  import('@internal/plugin-scaffolder-backend-module-golden-paths'),
);

backend.add(import('@backstage/plugin-techdocs-backend'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

backend.add(import('@backstage/plugin-kubernetes-backend'));
// The Kubernetes tab reads the clusters of kubernetesAccess: one cluster config.
backend.add(
  import('@internal/plugin-kubernetes-backend-module-portal-clusters'),
);

// Cluster status: fleet health and GPUs; clusters and namespaces in the catalog.
backend.add(import('@internal/plugin-cluster-status-backend'));
backend.add(import('@internal/plugin-catalog-backend-module-clusters'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-events-backend'));

// GPU pool: leased GPUs and self-served namespaces, and its scaffolder actions.
backend.add(import('@internal/plugin-gpu-pool-backend'));
backend.add(import('@internal/plugin-scaffolder-backend-module-gpu-pool'));

// The portal as tools for AI agents: the portal's actions, served over MCP
// (Streamable HTTP at /api/mcp-actions/v1), each run as the calling user.
backend.add(import('@internal/plugin-portal-actions-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
