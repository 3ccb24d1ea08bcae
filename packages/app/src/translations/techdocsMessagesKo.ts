import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { techdocsTranslationRef } from '@backstage/plugin-techdocs/alpha';

/** Korean for TechDocs: the documentation list, the reader and its states. */
const techdocsMessagesKo = createTranslationMessages({
  ref: techdocsTranslationRef,
  full: true,
  messages: {
    'aboutCard.viewTechdocs': '문서 보기',
    'buildLogs.title': '빌드 상세',
    'buildLogs.closeDrawer': '서랍 닫기',
    'buildLogs.showBuildLogs': '빌드 로그 보기',
    'buildLogs.waitingForLogs': '로그를 기다리는 중...',
    'stateIndicator.initialBuild.message':
      '문서를 처음 열어 준비하고 있습니다. 다음부터는 훨씬 빨리 열립니다.',
    'stateIndicator.contentStaleRefreshing.message':
      '이 문서의 새 버전을 준비하고 있습니다. 곧 볼 수 있습니다.',
    'stateIndicator.contentStaleReady.message':
      '이 문서의 새 버전이 준비되었습니다. 새로 고쳐서 보세요.',
    'stateIndicator.contentStaleReady.refreshButton': '새로 고침',
    'stateIndicator.contentStaleError.message':
      '이 문서의 새 버전을 만들지 못했습니다.',
    'redirectNotification.redirectNow': '지금 이동',
    'search.noResults': '결과가 없습니다',
    'search.placeholder': '{{entityTitle}} 문서 검색',
    'readerPageHeader.owner': '소유자',
    'readerPageHeader.lifecycle': '수명주기',
    'readerPageHeader.source': '소스',
    'home.supportButton': '조직의 문서를 찾아보세요.',
    'pageWrapper.title': '문서',
    'pageWrapper.subtitle': '{{orgName}}의 문서',
    'table.columns.document': '문서',
    'table.columns.owner': '소유자',
    'table.columns.kind': '종류',
    'table.columns.type': '유형',
    'table.header.actions': '작업',
    'table.toolbar.searchPlaceholder': '검색',
    'table.pagination.labelRowsSelect': '행',
    'table.body.emptyDataSourceMessage': '표시할 항목이 없습니다',
    'table.actions.copyDocsUrl': '문서 링크를 클립보드에 복사',
    'table.actions.addToFavorites': '즐겨찾기에 추가',
    'table.actions.removeFromFavorites': '즐겨찾기에서 제거',
    'table.emptyState.title': '표시할 문서가 없습니다',
    'table.emptyState.description':
      '문서를 직접 만들어 보세요. 시작하기 안내를 참고하세요.',
    'table.emptyState.docsButton': '문서',
    'table.title.all': '전체',
    'error.couldNotLoad': '문서 목록을 불러오지 못했습니다.',
    'nav.title': '문서',
    'entityContent.title': '문서',
    'reader.settings': '설정',
  },
});
export default techdocsMessagesKo;
