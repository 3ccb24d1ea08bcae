import { TranslationBlueprint } from '@backstage/plugin-app-react';
import {
  AppRootElementBlueprint,
  createFrontendModule,
  createTranslationResource,
} from '@backstage/frontend-plugin-api';
import { portalTranslationRef } from './portalTranslationRef';
import { upstreamKorean } from './upstreamTranslations';
import { DocumentLanguage } from './DocumentLanguage';

export { portalTranslationRef } from './portalTranslationRef';

/** The languages the portal speaks; the first is the default. */
export const portalLanguages = ['ko', 'en'];

/** Korean translations installed in the app, loaded when Korean is chosen. */
export const translationsModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    AppRootElementBlueprint.make({
      name: 'document-language',
      params: { element: <DocumentLanguage /> },
    }),
    TranslationBlueprint.make({
      name: 'portal',
      params: {
        resource: createTranslationResource({
          ref: portalTranslationRef,
          translations: { ko: () => import('./portalMessagesKo') },
        }),
      },
    }),
    ...upstreamKorean.map(({ name, ref, ko }) =>
      TranslationBlueprint.make({
        name,
        params: {
          resource: createTranslationResource({
            ref,
            translations: { ko },
          }),
        },
      }),
    ),
  ],
});
