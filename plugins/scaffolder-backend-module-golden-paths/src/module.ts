import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createCheckPolicyAction } from './actions/checkPolicy';
import { createInstallPolicyAction } from './actions/installPolicy';
import { createPublishLocalGitAction } from './actions/publishLocalGit';
import { createWaitForCatalogAction } from './actions/waitForCatalog';
import { DefaultLocalGitRepositories } from './services/LocalGitRepositories/LocalGitRepositories';
import { LocalGitUrlReader } from './services/LocalGitRepositories/LocalGitUrlReader';

/**
 * Scaffolder actions of the golden paths.
 *
 * @public
 */
export const scaffolderModuleGoldenPaths = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-paths',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, logger, auditor, catalog }) {
        const repositories = DefaultLocalGitRepositories.fromConfig(config, {
          logger,
        });
        scaffolder.addActions(
          createPublishLocalGitAction({ repositories, auditor }),
          createCheckPolicyAction({ auditor }),
          createInstallPolicyAction({ auditor }),
          createWaitForCatalogAction({ catalog }),
        );
      },
    });
  },
});

/**
 * Adds the reader of published local repositories to every plugin's URL
 * reader, so the catalog and TechDocs can read what the scaffolder published.
 *
 * @public
 */
export const localGitUrlReaderFactory = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    return LocalGitUrlReader.factory;
  },
});
