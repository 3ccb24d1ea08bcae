import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { userSettingsTranslationRef } from '@backstage/plugin-user-settings';

/** Korean for the settings page: profile, appearance, language, sign-in. */
const userSettingsMessagesKo = createTranslationMessages({
  ref: userSettingsTranslationRef,
  full: true,
  messages: {
    'languageToggle.title': '언어',
    'languageToggle.description': '화면 언어를 바꿉니다',
    'languageToggle.select': '언어 선택: {{language}}',
    'themeToggle.title': '테마',
    'themeToggle.description': '밝은 테마나 어두운 테마를 고릅니다',
    'themeToggle.select': '{{theme}} 선택',
    'themeToggle.selectAuto': '자동 테마 선택',
    'themeToggle.names.light': '밝게',
    'themeToggle.names.dark': '어둡게',
    'themeToggle.names.auto': '자동',
    'signOutMenu.title': '로그아웃',
    'signOutMenu.moreIconTitle': '더 보기',
    'pinToggle.title': '사이드바 고정',
    'pinToggle.description': '사이드바가 접히지 않게 합니다',
    'pinToggle.switchTitles.unpin': '사이드바 고정 해제',
    'pinToggle.switchTitles.pin': '사이드바 고정',
    'pinToggle.ariaLabelTitle': '사이드바 고정 스위치',
    'identityCard.title': '포털 신원',
    'identityCard.noIdentityTitle': '포털 신원 없음',
    'identityCard.userEntity': '사용자 엔티티',
    'identityCard.ownershipEntities': '소유 엔티티',
    'defaultProviderSettings.description':
      '{{provider}}의 API와 신원에 대한 인증을 제공합니다',
    'emptyProviders.title': '인증 제공자 없음',
    'emptyProviders.description':
      '포털에 인증 제공자를 추가하면 그 제공자로 본인을 인증할 수 있습니다.',
    'emptyProviders.action.title':
      'app-config.yaml을 열어 아래 강조된 부분처럼 바꾸세요:',
    'emptyProviders.action.readMoreButtonTitle': '더 알아보기',
    'providerSettingsItem.title.signIn': '{{title}}에 로그인',
    'providerSettingsItem.title.signOut': '{{title}}에서 로그아웃',
    'providerSettingsItem.buttonTitle.signIn': '로그인',
    'providerSettingsItem.buttonTitle.signOut': '로그아웃',
    'authProviders.title': '사용할 수 있는 제공자',
    'defaultSettingsPage.tabsTitle.general': '일반',
    'defaultSettingsPage.tabsTitle.authProviders': '인증 제공자',
    'defaultSettingsPage.tabsTitle.featureFlags': '기능 플래그',
    'featureFlags.title': '기능 플래그',
    'featureFlags.description':
      '기능 플래그를 바꾼 뒤에는 페이지를 새로 고치세요',
    'featureFlags.emptyFlags.title': '기능 플래그 없음',
    'featureFlags.emptyFlags.description':
      '기능 플래그로 플러그인이 사용자가 선택해 켤 수 있는 기능을 등록합니다. 수동 A/B 테스트처럼 코드의 로직을 나눌 때 쓸 수 있습니다.',
    'featureFlags.emptyFlags.action.title':
      '기능 플래그를 추가하는 예가 아래에 강조되어 있습니다:',
    'featureFlags.emptyFlags.action.readMoreButtonTitle': '더 알아보기',
    'featureFlags.filterTitle': '필터',
    'featureFlags.clearFilter': '필터 지우기',
    'featureFlags.flagItem.title.disable': '끄기',
    'featureFlags.flagItem.title.enable': '켜기',
    'featureFlags.flagItem.subtitle.registeredInApplication': '앱에 등록됨',
    'featureFlags.flagItem.subtitle.registeredInPlugin':
      '{{pluginId}} 플러그인에 등록됨',
    'settingsLayout.title': '설정',
    sidebarTitle: '설정',
    'profileCard.title': '프로필',
    'appearanceCard.title': '화면',
  },
});
export default userSettingsMessagesKo;
