import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { coreComponentsTranslationRef } from '@backstage/core-components';

/** Korean for Backstage's core components (tables, sign-in, error pages). */
const coreComponentsMessagesKo = createTranslationMessages({
  ref: coreComponentsTranslationRef,
  full: true,
  messages: {
    'signIn.title': '로그인',
    'signIn.loginFailed': '로그인하지 못했습니다',
    'signIn.customProvider.title': '사용자 지정',
    'signIn.customProvider.subtitle':
      '사용자 ID와 자격 증명을 직접 입력합니다.\n 이 선택은 저장되지 않습니다.',
    'signIn.customProvider.userId': '사용자 ID',
    'signIn.customProvider.tokenInvalid':
      '토큰이 올바른 OpenID Connect JWT 토큰이 아닙니다',
    'signIn.customProvider.continue': '계속',
    'signIn.customProvider.idToken': 'ID 토큰 (선택)',
    'signIn.guestProvider.title': '게스트',
    'signIn.guestProvider.subtitle':
      '게스트로 들어갑니다.\n 확인된 신원이 없으므로 일부 기능을 쓸 수 없습니다.',
    'signIn.guestProvider.enter': '들어가기',
    skipToContent: '본문으로 건너뛰기',
    'copyTextButton.tooltipText': '클립보드에 복사했습니다',
    'simpleStepper.reset': '처음부터',
    'simpleStepper.finish': '완료',
    'simpleStepper.next': '다음',
    'simpleStepper.skip': '건너뛰기',
    'simpleStepper.back': '이전',
    'errorPage.subtitle': '오류 {{status}}: {{statusMessage}}',
    'errorPage.title': '페이지를 표시할 수 없습니다.',
    'errorPage.goBack': '뒤로 가기',
    'errorPage.showMoreDetails': '자세히 보기',
    'errorPage.showLessDetails': '간단히 보기',
    'emptyState.missingAnnotation.title': '어노테이션 없음',
    'emptyState.missingAnnotation.actionTitle':
      '아래 강조된 예처럼 컴포넌트 YAML에 어노테이션을 추가하세요:',
    'emptyState.missingAnnotation.readMore': '더 알아보기',
    'supportConfig.default.title': '지원 창구가 설정되지 않았습니다',
    'supportConfig.default.linkTitle': '`app.support` 설정 키를 추가하세요',
    'errorBoundary.title': '{{slackChannel}}에 도움을 요청하세요.',
    'oauthRequestDialog.title': '로그인 필요',
    'oauthRequestDialog.authRedirectTitle':
      'OAuth 로그인 페이지로 이동(HTTP 리디렉션)합니다.',
    'oauthRequestDialog.login': '로그인',
    'oauthRequestDialog.rejectAll': '모두 거부',
    'oauthRequestDialog.message':
      '{{appTitle}}이(가) {{provider}}의 API와 신원에 접근하도록 로그인하세요.',
    'supportButton.title': '지원',
    'supportButton.close': '닫기',
    'table.filter.title': '필터',
    'table.filter.clearAll': '모두 지우기',
    'table.filter.placeholder': '전체',
    'table.body.emptyDataSourceMessage': '표시할 항목이 없습니다',
    'table.pagination.firstTooltip': '첫 페이지',
    'table.pagination.labelDisplayedRows': '{count}개 중 {from}-{to}',
    'table.pagination.labelRowsSelect': '행',
    'table.pagination.lastTooltip': '마지막 페이지',
    'table.pagination.nextTooltip': '다음 페이지',
    'table.pagination.previousTooltip': '이전 페이지',
    'table.toolbar.search': '검색',
    'table.header.actions': '작업',
    'alertDisplay.message_one': '(새 메시지 {{ count }}건)',
    'alertDisplay.message_other': '(새 메시지 {{ count }}건)',
    'autoLogout.stillTherePrompt.title': '활동이 없어 로그아웃합니다',
    'autoLogout.stillTherePrompt.buttonText': '로그아웃하지 않기',
    'dependencyGraph.fullscreenTooltip': '전체 화면 전환',
    'proxiedSignInPage.title':
      '로그인되어 있지 않습니다. 브라우저에서 페이지를 새로 고쳐 보세요.',
    'logViewer.downloadBtn.tooltip': '로그 내려받기',
    'logViewer.copyBtn.tooltip': '로그를 클립보드에 복사',
    'logViewer.searchField.placeholder': '검색',
  },
});
export default coreComponentsMessagesKo;
