import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { portalTranslationRef } from './portalTranslationRef';

/** Korean text of the app. */
const portalMessagesKo = createTranslationMessages({
  ref: portalTranslationRef,
  full: true,
  messages: {
    'nav.home': '홈',
    'nav.catalog': '카탈로그',
    'nav.apis': 'API',
    'nav.docs': '문서',
    'nav.create': '새로 만들기...',
    'nav.search': '검색',
    'nav.menu': '메뉴',
    'nav.settings': '설정',
    'nav.clusters': '클러스터',
    'nav.gpuPool': 'GPU 풀',
    'nav.curation': '카탈로그 큐레이션',
    'home.title': '클라우드 스마트 개발자 포털',
    'home.subtitle':
      '골든 패스, 서비스 카탈로그, 온프레미스 클러스터의 GPU와 네임스페이스를 셀프서비스로.',
    'home.cards.catalogTitle': '서비스 카탈로그',
    'home.cards.catalogBody':
      '모든 서비스, API, 라이브러리, 문서와 그 담당 팀을 한곳에서.',
    'home.cards.createTitle': '골든 패스',
    'home.cards.createBody':
      '보안 파이프라인과 네임스페이스를 갖춘 Spring Boot, Node.js, GPU 학습 서비스를 몇 분 만에.',
    'home.cards.docsTitle': '문서',
    'home.cards.docsBody': '코드 옆에서 쓰고 한곳에서 검색하는 TechDocs.',
    'home.cards.open': '열기',
    'signIn.title': '클라우드 스마트 개발자 포털',
    'signIn.guestTitle': '게스트',
    'signIn.guestMessage': '게스트 개발자로 로그인 (내장 기본 설정 전용).',
    'signIn.oidcTitle': '조직 계정 로그인',
    'signIn.oidcMessage': '조직 계정(Keycloak)으로 로그인합니다.',
  },
});
export default portalMessagesKo;
