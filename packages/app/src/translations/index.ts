import { TranslationBlueprint } from '@backstage/plugin-app-react';
import {
  createFrontendModule,
  createTranslationResource,
} from '@backstage/frontend-plugin-api';
import { catalogTranslationRef } from '@backstage/plugin-catalog/alpha';
import { portalTranslationRef } from './portalTranslationRef';

export { portalTranslationRef } from './portalTranslationRef';

/** The languages the portal speaks; the first is the default. */
export const portalLanguages = ['ko', 'en'];

/** Korean translations installed in the app, loaded when Korean is chosen. */
export const translationsModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    TranslationBlueprint.make({
      name: 'portal',
      params: {
        resource: createTranslationResource({
          ref: portalTranslationRef,
          translations: { ko: () => import('./portalMessagesKo') },
        }),
      },
    }),
    TranslationBlueprint.make({
      name: 'catalog',
      params: {
        resource: createTranslationResource({
          ref: catalogTranslationRef,
          translations: { ko: () => import('./catalogMessagesKo') },
        }),
      },
    }),
  ],
});
