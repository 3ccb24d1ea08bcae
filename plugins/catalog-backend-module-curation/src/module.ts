import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { parseCurationRulesConfig } from '@internal/plugin-catalog-curation-common';
import { CachedCatalogIndex } from './processor/CachedCatalogIndex';
import { ConfiguredFilesOnlyProcessor } from './processor/ConfiguredFilesOnlyProcessor';
import { CurationRulesProcessor } from './processor/CurationRulesProcessor';

/**
 * Catalog rules at ingestion: owners that resolve to Groups, systems,
 * known lifecycles and unique names (config `catalog.curation`); and file
 * locations only from `catalog.locations` (no host file is read for users).
 *
 * @public
 */
export const catalogModuleCuration = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'curation',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        processing: catalogProcessingExtensionPoint,
      },
      async init({ config, logger, auth, catalog, processing }) {
        const rules = parseCurationRulesConfig(
          config.getOptional('catalog.curation'),
        );
        const index = CachedCatalogIndex.create({ catalog, auth, logger });
        processing.addProcessor(
          ConfiguredFilesOnlyProcessor.fromConfig(config, { logger }),
          CurationRulesProcessor.create({ index, config: rules, logger }),
        );
        logger.info('Catalog curation rules active', {
          enforce: rules.enforce,
          lifecycles: rules.lifecycles.join(','),
        });
      },
    });
  },
});
