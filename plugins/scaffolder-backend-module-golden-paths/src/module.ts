import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from '@backstage/backend-defaults/urlReader';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createCheckPolicyAction } from './actions/checkPolicy';
import { createPublishLocalGitAction } from './actions/publishLocalGit';
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
      },
      async init({ scaffolder, config, logger }) {
        const repositories = DefaultLocalGitRepositories.fromConfig(config, {
          logger,
        });
        scaffolder.addActions(
          createPublishLocalGitAction({ repositories }),
          createCheckPolicyAction(),
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
