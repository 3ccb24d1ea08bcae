import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { catalogGraphTranslationRef } from '@backstage/plugin-catalog-graph';

/** Korean for the relations card and the catalog graph page. */
const catalogGraphMessagesKo = createTranslationMessages({
  ref: catalogGraphTranslationRef,
  full: true,
  messages: {
    'catalogGraphCard.title': '관계',
    'catalogGraphCard.deepLinkTitle': '그래프 보기',
    'catalogGraphPage.title': '카탈로그 그래프',
    'catalogGraphPage.filterToggleButtonTitle': '필터',
    'catalogGraphPage.supportButtonDescription':
      '컴포넌트를 소프트웨어 카탈로그에 추가해 관계를 추적하세요.',
    'catalogGraphPage.simplifiedSwitchLabel': '간단히',
    'catalogGraphPage.mergeRelationsSwitchLabel': '관계 합치기',
    'catalogGraphPage.zoomOutDescription':
      '핀치와 확대/축소로 다이어그램을 움직입니다. 누르면 선택한 노드가 바뀌고, Shift와 함께 누르면 엔티티로 갑니다.',
    'catalogGraphPage.curveFilter.title': '곡선',
    'catalogGraphPage.curveFilter.curveMonotoneX': '부드러운 곡선',
    'catalogGraphPage.curveFilter.curveStepBefore': '계단형',
    'catalogGraphPage.directionFilter.title': '방향',
    'catalogGraphPage.directionFilter.leftToRight': '왼쪽에서 오른쪽',
    'catalogGraphPage.directionFilter.rightToLeft': '오른쪽에서 왼쪽',
    'catalogGraphPage.directionFilter.topToBottom': '위에서 아래',
    'catalogGraphPage.directionFilter.bottomToTop': '아래에서 위',
    'catalogGraphPage.maxDepthFilter.title': '최대 깊이',
    'catalogGraphPage.maxDepthFilter.inputPlaceholder': '∞ 무제한',
    'catalogGraphPage.maxDepthFilter.clearButtonAriaLabel': '최대 깊이 지우기',
    'catalogGraphPage.selectedKindsFilter.title': '종류',
    'catalogGraphPage.selectedRelationsFilter.title': '관계',
  },
});
export default catalogGraphMessagesKo;
