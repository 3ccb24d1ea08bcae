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
import { CurationRulesProcessor } from './processor/CurationRulesProcessor';

/**
 * Catalog rules at ingestion: owners that resolve to Groups, systems,
 * known lifecycles and unique names (config `catalog.curation`).
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
