import {
  PageLayout,
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import { filterPredicateToFilterFunction } from '@backstage/filter-predicates';
import { SwappableComponentBlueprint } from '@backstage/plugin-app-react';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import {
  ScaffolderTemplateFilterBlueprint,
  TemplateCard,
} from '@backstage/plugin-scaffolder-react/alpha';
import { portalTranslationRef } from '../../translations/portalTranslationRef';
import { PortalPageLayout } from './PortalPageLayout';

/**
 * The create page's template list: the scaffolder's templates sub-page with
 * the portal's list at its index (see PortalTemplateList) and its title in
 * the portal's language. The scaffolder's own element still serves the
 * wizard below it. The sub-page's config (`groups`, `templateFilter`) and
 * its `templateFilter` input apply to the portal's list as to upstream's.
 */
export const createPageModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    scaffolderPlugin.getExtension('sub-page:scaffolder/templates').override({
      factory(originalFactory, { config, inputs }) {
        const title = portalTranslationRef('pages.templates');
        const original = originalFactory({ params: { title } }).get(
          coreExtensionData.reactElement,
        );
        const useTemplateFilter = inputs.templateFilter?.get(
          ScaffolderTemplateFilterBlueprint.dataRefs.useTemplateFilter,
        );
        const groups = config.groups?.map(group => ({
          title: group.title,
          filter: filterPredicateToFilterFunction(group.filter),
        }));
        const templateFilter =
          config.templateFilter === undefined
            ? undefined
            : filterPredicateToFilterFunction(config.templateFilter);
        return originalFactory({
          params: {
            title,
            loader: async () => {
              const { PortalTemplatesSubPage } = await import(
                './PortalTemplateList'
              );
              return (
                <PortalTemplatesSubPage
                  original={original}
                  groups={groups}
                  templateFilter={templateFilter}
                  useTemplateFilter={useTemplateFilter}
                />
              );
            },
          },
        });
      },
    }),
  ],
});

/**
 * Swapped components of the app: the page layout (sub-pages as links, see
 * PortalPageLayout) replaces plugin-app's `core-page-layout`, and the
 * template card is the portal's (see PortalTemplateCard).
 */
export const createPageComponentsModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SwappableComponentBlueprint.make({
      name: 'core-page-layout',
      params: define =>
        define({
          component: PageLayout,
          // Not lazy: every page's header waits on it.
          loader: () => PortalPageLayout,
        }),
    }),
    SwappableComponentBlueprint.make({
      name: 'scaffolder-template-card',
      params: define =>
        define({
          component: TemplateCard,
          loader: () =>
            import('./PortalTemplateCard').then(m => m.PortalTemplateCard),
        }),
    }),
  ],
});
