import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { searchTranslationRef } from '@backstage/plugin-search';

/** Korean for the search page and the sidebar's search modal. */
const searchMessagesKo = createTranslationMessages({
  ref: searchTranslationRef,
  full: true,
  messages: {
    'searchModal.viewFullResults': '전체 결과 보기',
    'searchType.allResults': '전체 결과',
    'searchType.tabs.allTitle': '전체',
    'searchType.accordion.allTitle': '전체',
    'searchType.accordion.collapse': '접기',
    'searchType.accordion.numberOfResults': '결과 {{number}}건',
    'sidebarSearchModal.title': '검색',
  },
});
export default searchMessagesKo;
