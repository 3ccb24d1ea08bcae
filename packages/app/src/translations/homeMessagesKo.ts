import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { homeTranslationRef } from '@backstage/plugin-home';

/** Korean for the home page's widgets and editing controls. */
const homeMessagesKo = createTranslationMessages({
  ref: homeTranslationRef,
  full: true,
  messages: {
    'addWidgetDialog.title': '대시보드에 위젯 추가',
    'addWidgetDialog.noAvailableWidgets':
      '쓸 수 있는 위젯을 모두 대시보드에 추가했습니다.',
    'customHomepageButtons.edit': '편집',
    'customHomepageButtons.restoreDefaults': '기본값 복원',
    'customHomepageButtons.clearAll': '모두 지우기',
    'customHomepageButtons.addWidget': '위젯 추가',
    'customHomepageButtons.save': '저장',
    'customHomepageButtons.cancel': '취소',
    'customHomepage.noWidgets':
      "추가한 위젯이 없습니다. '위젯 추가' 버튼으로 시작하세요.",
    'widgetSettingsOverlay.editSettingsTooltip': '설정 편집',
    'widgetSettingsOverlay.editSettingsTooptip': '설정 편집',
    'widgetSettingsOverlay.deleteWidgetTooltip': '위젯 삭제',
    'widgetSettingsOverlay.submitButtonTitle': '적용',
    'widgetSettingsOverlay.cancelButtonTitle': '취소',
    'starredEntityListItem.removeFavoriteEntityTitle':
      '즐겨찾기에서 엔티티 제거',
    'visitList.empty.title': '아직 방문 기록이 없습니다.',
    'visitList.empty.description':
      '포털을 쓰기 시작하면 방문한 페이지가 여기에 나타나, 하던 일을 바로 이어 갈 수 있습니다.',
    'visitList.few.title':
      '방문한 페이지가 많을수록 여기에 더 많이 나타납니다.',
    'visitList.disabled.title': '방문 기록이 꺼져 있습니다.',
    'visitList.disabled.description':
      '자주 방문한 페이지와 최근 방문한 페이지를 보려면 app-config.yaml에서 방문 기록을 켜세요.',
    'quickStart.title': '시작하기',
    'quickStart.description': '포털 시작하기',
    'quickStart.learnMoreLinkTitle': '더 알아보기',
    'starredEntities.noStarredEntitiesMessage':
      '엔티티 이름 옆의 별을 누르면 이 목록에 추가됩니다!',
    'visitedByType.action.viewMore': '더 보기',
    'visitedByType.action.viewLess': '접기',
    'featuredDocsCard.learnMoreTitle': '더 알아보기',
    'featuredDocsCard.empty.title': '표시할 문서가 없습니다',
    'featuredDocsCard.empty.description':
      '문서를 직접 만들어 보세요. 시작하기 안내를 참고하세요.',
    'featuredDocsCard.empty.learnMoreLinkTitle': '문서',
  },
});
export default homeMessagesKo;
