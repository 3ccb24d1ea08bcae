import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { catalogImportTranslationRef } from '@backstage/plugin-catalog-import';

/** Korean for registering an existing component. */
const catalogImportMessagesKo = createTranslationMessages({
  ref: catalogImportTranslationRef,
  full: true,
  messages: {
    'buttons.back': '이전',
    'defaultImportPage.headerTitle': '기존 컴포넌트 등록',
    'defaultImportPage.contentHeaderTitle':
      '{{appTitle}}에서 컴포넌트 관리 시작하기',
    'defaultImportPage.supportTitle':
      '컴포넌트를 소프트웨어 카탈로그에 추가해 {{appTitle}}에서 관리하세요.',
    'importInfoCard.title': '기존 컴포넌트 등록',
    'importInfoCard.deepLinkTitle': '소프트웨어 카탈로그 더 알아보기',
    'importInfoCard.linkDescription':
      '소스 코드 저장소의 URL을 넣으면 {{appTitle}}에 추가됩니다.',
    'importInfoCard.fileLinkTitle': '기존 엔티티 파일 링크',
    'importInfoCard.examplePrefix': '예: ',
    'importInfoCard.fileLinkDescription':
      '마법사가 파일을 분석해 엔티티를 미리 보여 주고 {{appTitle}} 카탈로그에 추가합니다.',
    'importInfoCard.githubIntegration.title': '저장소 링크',
    'importInfoCard.githubIntegration.label': 'GitHub 전용',
    'importInfoCard.exampleDescription':
      '마법사가 저장소의 모든 {{catalogFilename}} 파일을 찾아 엔티티를 미리 보여 주고 {{appTitle}} 카탈로그에 추가합니다.',
    'importInfoCard.preparePullRequestDescription':
      '엔티티가 없으면 마법사가 예제 {{catalogFilename}}을(를) 추가하는 병합 요청을 준비하고, 병합되는 즉시 {{appTitle}} 카탈로그가 모든 엔티티를 읽도록 합니다.',
    'importStepper.singleLocation.title': '위치 선택',
    'importStepper.singleLocation.description': '찾은 위치: 1',
    'importStepper.multipleLocations.title': '위치 선택',
    'importStepper.multipleLocations.description':
      '찾은 위치: {{length, number}}',
    'importStepper.noLocation.title': '병합 요청 만들기',
    'importStepper.noLocation.createPr.detailsTitle': '병합 요청 내용',
    'importStepper.noLocation.createPr.titleLabel': '병합 요청 제목',
    'importStepper.noLocation.createPr.titlePlaceholder':
      '카탈로그 엔티티 설명 파일 추가',
    'importStepper.noLocation.createPr.bodyLabel': '병합 요청 본문',
    'importStepper.noLocation.createPr.bodyPlaceholder':
      '설명 (마크다운 사용 가능)',
    'importStepper.noLocation.createPr.configurationTitle': '엔티티 설정',
    'importStepper.noLocation.createPr.componentNameLabel':
      '만들 컴포넌트의 이름',
    'importStepper.noLocation.createPr.componentNamePlaceholder':
      'my-component',
    'importStepper.noLocation.createPr.ownerLoadingText': '그룹을 불러오는 중…',
    'importStepper.noLocation.createPr.ownerHelperText':
      '목록에서 소유자를 고르거나 그룹 또는 사용자의 참조를 입력하세요',
    'importStepper.noLocation.createPr.ownerErrorHelperText': '필수 값입니다',
    'importStepper.noLocation.createPr.ownerLabel': '엔티티 소유자',
    'importStepper.noLocation.createPr.ownerPlaceholder': 'my-group',
    'importStepper.noLocation.createPr.codeownersHelperText':
      '주의: 대상 위치에 CODEOWNERS 파일이 없으면 실패할 수 있습니다.',
    'importStepper.analyze.title': 'URL 선택',
    'importStepper.prepare.title': '가져오기 작업',
    'importStepper.prepare.description': '선택',
    'importStepper.review.title': '검토',
    'importStepper.finish.title': '완료',
    'stepFinishImportLocation.backButtonText': '하나 더 등록',
    'stepFinishImportLocation.repository.title':
      '다음 병합 요청을 열었습니다: ',
    'stepFinishImportLocation.repository.description':
      '병합 요청이 병합되는 즉시 엔티티를 가져옵니다.',
    'stepFinishImportLocation.locations.new':
      '다음 엔티티를 카탈로그에 추가했습니다:',
    'stepFinishImportLocation.locations.existing':
      '다음 위치의 새로 고침을 요청했습니다:',
    'stepFinishImportLocation.locations.viewButtonText': '컴포넌트 보기',
    'stepFinishImportLocation.locations.backButtonText': '하나 더 등록',
    'stepInitAnalyzeUrl.error.repository':
      '저장소에서 엔티티를 만들지 못했습니다',
    'stepInitAnalyzeUrl.error.locations': '이 위치에 엔티티가 없습니다',
    'stepInitAnalyzeUrl.error.default':
      '알 수 없는 분석 결과 유형 {{type}}을(를) 받았습니다. 지원 팀에 문의하세요.',
    'stepInitAnalyzeUrl.error.url': 'http:// 또는 https://로 시작해야 합니다.',
    'stepInitAnalyzeUrl.urlHelperText':
      '컴포넌트를 관리하려면 엔티티 파일의 전체 경로를 입력하세요',
    'stepInitAnalyzeUrl.nextButtonText': '분석',
    'stepPrepareCreatePullRequest.description':
      '{{integrationType}} 저장소 링크를 넣었지만 {{catalogFilename}}을(를) 찾지 못했습니다. 이 양식으로 그 파일을 만드는 병합 요청을 여세요.',
    'stepPrepareCreatePullRequest.previewPr.title': '병합 요청 미리 보기',
    'stepPrepareCreatePullRequest.previewPr.subheader': '새 병합 요청 만들기',
    'stepPrepareCreatePullRequest.previewCatalogInfo.title': '엔티티 미리 보기',
    'stepPrepareCreatePullRequest.nextButtonText': '병합 요청 만들기',
    'stepPrepareSelectLocations.locations.description':
      'git 저장소에 있는 위치를 하나 이상 고르세요:',
    'stepPrepareSelectLocations.locations.selectAll': '모두 선택',
    'stepPrepareSelectLocations.existingLocations.description':
      '카탈로그에 이미 있는 위치:',
    'stepPrepareSelectLocations.nextButtonText': '검토',
    'stepReviewLocation.prepareResult.title': '다음 병합 요청을 열었습니다: ',
    'stepReviewLocation.prepareResult.description':
      '지금 위치를 가져와 두면 병합 요청이 병합되는 즉시 {{appTitle}}이(가) 엔티티를 읽습니다.',
    'stepReviewLocation.catalog.exists': '카탈로그에 이미 있는 위치:',
    'stepReviewLocation.catalog.new': '카탈로그에 추가할 엔티티:',
    'stepReviewLocation.refresh': '새로 고침',
    'stepReviewLocation.import': '가져오기',
  },
});
export default catalogImportMessagesKo;
