import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The words around formatted times, English with Korean.
 *
 * @public
 */
export const portalReactTranslationRef = createTranslationRef({
  id: 'plugin.portal-react.translation',
  messages: {
    time: {
      left: '{{duration}} left',
      expired: 'expired {{time}}',
    },
  },
  translations: {
    ko: () => import('./portalReactMessagesKo'),
  },
});
