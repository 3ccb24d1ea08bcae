import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { searchReactTranslationRef } from '@backstage/plugin-search-react';

/** Korean for the search bar, filters and result pages. */
const searchReactMessagesKo = createTranslationMessages({
  ref: searchReactTranslationRef,
  full: true,
  messages: {
    'searchBar.title': '검색',
    'searchBar.placeholder': '{{org}}에서 검색',
    'searchBar.clearButtonTitle': '지우기',
    'searchFilter.allOptionTitle': '전체',
    'searchPagination.limitLabel': '페이지당 결과:',
    'searchPagination.limitText': '(전체 {{num}}건)',
    noResultsDescription: '결과가 없습니다',
    'searchResultGroup.linkTitle': '모두 보기',
    'searchResultGroup.addFilterButtonTitle': '필터 추가',
    'searchResultPager.previous': '이전',
    'searchResultPager.next': '다음',
  },
});
export default searchReactMessagesKo;
