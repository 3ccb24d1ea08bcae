import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { apiDocsTranslationRef } from '@backstage/plugin-api-docs';

/** Korean for the API explorer and the API cards of entity pages. */
const apiDocsMessagesKo = createTranslationMessages({
  ref: apiDocsTranslationRef,
  full: true,
  messages: {
    'apiDefinitionCard.error.title': 'API를 불러오지 못했습니다',
    'apiDefinitionCard.rawButtonTitle': '원본',
    'apiDefinitionDialog.closeButtonTitle': '닫기',
    'apiDefinitionDialog.tabsAriaLabel': 'API 정의 보기 방식',
    'apiDefinitionDialog.toggleButtonAriaLabel': 'API 정의 대화 상자 열기/닫기',
    'apiDefinitionDialog.rawButtonTitle': '원본',
    'defaultApiExplorerPage.title': 'API',
    'defaultApiExplorerPage.subtitle': '{{orgName}} API 탐색기',
    'defaultApiExplorerPage.pageTitleOverride': 'API',
    'defaultApiExplorerPage.createButtonTitle': '기존 API 등록',
    'defaultApiExplorerPage.supportButtonTitle': '모든 API',
    'consumedApisCard.title': '사용하는 API',
    'consumedApisCard.error.title': 'API를 불러오지 못했습니다',
    'consumedApisCard.emptyContent.title':
      '이 {{entity}}이(가) 사용하는 API가 없습니다.',
    'hasApisCard.title': 'API',
    'hasApisCard.error.title': 'API를 불러오지 못했습니다',
    'hasApisCard.emptyContent.title': '이 {{entity}}에 속한 API가 없습니다.',
    'providedApisCard.title': '제공하는 API',
    'providedApisCard.error.title': 'API를 불러오지 못했습니다',
    'providedApisCard.emptyContent.title':
      '이 {{entity}}이(가) 제공하는 API가 없습니다.',
    'apiEntityColumns.typeTitle': '유형',
    'apiEntityColumns.apiDefinitionTitle': 'API 정의',
    'consumingComponentsCard.title': '사용하는 컴포넌트',
    'consumingComponentsCard.error.title': '컴포넌트를 불러오지 못했습니다',
    'consumingComponentsCard.emptyContent.title':
      '이 API를 사용하는 컴포넌트가 없습니다.',
    'providingComponentsCard.title': '제공하는 컴포넌트',
    'providingComponentsCard.error.title': '컴포넌트를 불러오지 못했습니다',
    'providingComponentsCard.emptyContent.title':
      '이 API를 제공하는 컴포넌트가 없습니다.',
    apisCardHelpLinkTitle: '바꾸는 방법 알아보기',
  },
});
export default apiDocsMessagesKo;
