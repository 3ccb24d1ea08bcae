import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { catalogTranslationRef } from '@backstage/plugin-catalog/alpha';

/** Korean for the catalog's most visible text; the rest stays English. */
const catalogMessagesKo = createTranslationMessages({
  ref: catalogTranslationRef,
  messages: {
    'indexPage.title': '{{orgName}} 카탈로그',
    'indexPage.createButtonTitle': '만들기',
    'indexPage.supportButtonContent': '카탈로그의 모든 소프트웨어',
    'catalogTable.viewActionTitle': '보기',
    'catalogTable.editActionTitle': '편집',
    'catalogTable.starActionTitle': '즐겨찾기에 추가',
    'catalogTable.unStarActionTitle': '즐겨찾기에서 제거',
  },
});
export default catalogMessagesKo;
