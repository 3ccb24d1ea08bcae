import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The words around formatted times and the tables' own labels, English
 * with Korean.
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
    table: {
      search: 'Search',
      clearSearch: 'Clear search',
      filterAll: 'All',
    },
  },
  translations: {
    ko: () => import('./portalReactMessagesKo'),
  },
});
