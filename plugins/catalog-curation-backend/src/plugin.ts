import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  catalogCurationPermissions,
  parseCurationRulesConfig,
} from '@internal/plugin-catalog-curation-common';
import { DatabaseTeamCountsStore } from './database/TeamCountsStore';
import { createRouter } from './router';
import { AuthorizedCurationService } from './services/CurationService/AuthorizedCurationService';
import { DefaultCurationService } from './services/CurationService/CurationService';
import { DefaultQualityService } from './services/QualityService/QualityService';
import { DefaultTeamCountsService } from './services/TeamCountsService/TeamCountsService';

/**
 * Catalog curation: the platform team's report (problems, orphans, failed
 * entities, duplicates, counts per team over time) and each entity's
 * quality scorecard.
 *
 * @public
 */
export const catalogCurationPlugin = createBackendPlugin({
  pluginId: 'catalog-curation',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        discovery: coreServices.discovery,
        database: coreServices.database,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger, auth, scheduler } = deps;
        deps.permissionsRegistry.addPermissions(catalogCurationPermissions);

        const rules = parseCurationRulesConfig(
          config.getOptional('catalog.curation'),
        );
        const store = await DatabaseTeamCountsStore.create({
          database: deps.database,
        });
        const teamCounts = DefaultTeamCountsService.create({
          store,
          logger,
          auditor: deps.auditor,
        });
        const curation = DefaultCurationService.create({
          catalog: deps.catalog,
          auth,
          discovery: deps.discovery,
          logger,
          rules,
          teamCounts,
        });
        const quality = DefaultQualityService.create({
          catalog: deps.catalog,
          reader: deps.urlReader,
          logger,
          lifecycles: rules.lifecycles,
        });

        const scheduleConfig = config.getOptionalConfig(
          'catalogCuration.snapshot.schedule',
        );
        await scheduler.scheduleTask({
          id: 'catalog-curation-team-counts',
          ...(scheduleConfig
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                scheduleConfig,
              )
            : {
                // One row per team and day; later runs the same day replace it.
                frequency: { hours: 6 },
                timeout: { minutes: 10 },
                initialDelay: { minutes: 1 },
              }),
          fn: async () => {
            const report = await curation.getReport();
            await teamCounts.recordSnapshot(report);
          },
        });

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            curation: AuthorizedCurationService.create({
              inner: curation,
              permissions: deps.permissions,
            }),
            quality,
          }),
        );
      },
    });
  },
});
