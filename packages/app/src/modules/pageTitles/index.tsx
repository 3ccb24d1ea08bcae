import {
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { portalTranslationRef } from '../../translations/portalTranslationRef';

/**
 * Headers and tabs of upstream pages in the portal's language. Their plugins
 * give them English strings (`title: "Catalog"` in
 * `@backstage/plugin-catalog/dist/alpha/pages.esm.js`, `"Create"`,
 * `"Templates"`, ... in `@backstage/plugin-scaffolder/dist/alpha/extensions.esm.js`);
 * since 1.57 PageBlueprint, SubPageBlueprint and EntityContentBlueprint take a
 * message of a translation ref instead, resolved again when the language
 * changes. Each override changes only the `title` param; the rest of the
 * plugin's params are kept.
 */
export const catalogPageTitlesModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [
    // The index page also gets the portal's table (see PortalCatalogPage):
    // the plugin's loader with the same inputs and config, another table.
    catalogPlugin.getExtension('page:catalog').override({
      factory(originalFactory, { inputs, config }) {
        return originalFactory({
          params: {
            title: portalTranslationRef('pages.catalog'),
            loader: async () => {
              const { PortalCatalogPage } = await import(
                '../catalogIndex/PortalCatalogPage'
              );
              const filters = inputs.filters.map(filter =>
                filter.get(coreExtensionData.reactElement),
              );
              return (
                <PortalCatalogPage
                  filters={<>{filters}</>}
                  pagination={config.pagination}
                />
              );
            },
          },
        });
      },
    }),
    // The entity page has no title of its own: its header shows the
    // plugin's, "Catalog".
    catalogPlugin.getExtension('page:catalog/entity').override({
      params: { title: portalTranslationRef('pages.catalog') },
    }),
    catalogPlugin.getExtension('entity-content:catalog/overview').override({
      params: { title: portalTranslationRef('pages.entityOverview') },
    }),
  ],
});

/** The create page and its tabs; see {@link catalogPageTitlesModule}. */
export const scaffolderPageTitlesModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    scaffolderPlugin.getExtension('page:scaffolder').override({
      params: { title: portalTranslationRef('pages.create') },
    }),
    // The templates tab's title is set with its list, in modules/create.
    scaffolderPlugin.getExtension('sub-page:scaffolder/tasks').override({
      params: { title: portalTranslationRef('pages.tasks') },
    }),
    scaffolderPlugin.getExtension('sub-page:scaffolder/actions').override({
      params: { title: portalTranslationRef('pages.actions') },
    }),
    scaffolderPlugin.getExtension('sub-page:scaffolder/editor').override({
      params: { title: portalTranslationRef('pages.templateEditor') },
    }),
    scaffolderPlugin
      .getExtension('sub-page:scaffolder/templating-extensions')
      .override({
        params: { title: portalTranslationRef('pages.templatingExtensions') },
      }),
  ],
});
