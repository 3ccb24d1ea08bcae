import {
  PageLayout,
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
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
 * wizard below it.
 */
export const createPageModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    scaffolderPlugin.getExtension('sub-page:scaffolder/templates').override({
      factory(originalFactory, { inputs }) {
        const title = portalTranslationRef('pages.templates');
        const original = originalFactory({ params: { title } }).get(
          coreExtensionData.reactElement,
        );
        const useTemplateFilter = inputs.templateFilter?.get(
          ScaffolderTemplateFilterBlueprint.dataRefs.useTemplateFilter,
        );
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
