import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { scaffolderTranslationRef } from '@backstage/plugin-scaffolder';

/** Korean for the create page (golden paths), its tasks and the template editor. */
const scaffolderMessagesKo = createTranslationMessages({
  ref: scaffolderTranslationRef,
  full: true,
  messages: {
    'aboutCard.launchTemplate': '템플릿 실행',
    'actionsPage.title': '설치된 액션',
    'actionsPage.pageTitle': '새 컴포넌트 만들기',
    'actionsPage.subtitle': '설치된 모든 액션입니다',
    'actionsPage.content.emptyState.title': '표시할 정보가 없습니다',
    'actionsPage.content.emptyState.description':
      '설치된 액션이 없거나 백엔드와 통신하지 못했습니다.',
    'actionsPage.content.searchFieldPlaceholder': '액션 검색',
    'actionsPage.action.input': '입력',
    'actionsPage.action.output': '출력',
    'actionsPage.action.examples': '예',
    'fields.entityNamePicker.title': '이름',
    'fields.entityNamePicker.description': '컴포넌트의 고유한 이름',
    'fields.entityPicker.title': '엔티티',
    'fields.entityPicker.description': '카탈로그의 엔티티',
    'fields.entityTagsPicker.title': '태그',
    'fields.entityTagsPicker.description':
      '관련 태그를 넣고 Enter를 누르면 추가됩니다. 형식: [a-z0-9+#]를 [-]로 이은 63자 이하',
    'fields.multiEntityPicker.title': '엔티티',
    'fields.multiEntityPicker.description': '카탈로그의 엔티티',
    'fields.myGroupsPicker.title': '엔티티',
    'fields.myGroupsPicker.description': '카탈로그의 엔티티',
    'fields.ownedEntityPicker.title': '엔티티',
    'fields.ownedEntityPicker.description': '카탈로그의 엔티티',
    'fields.ownerPicker.title': '소유자',
    'fields.ownerPicker.description': '컴포넌트를 소유한 팀',
    'fields.azureRepoPicker.organization.title': '조직',
    'fields.azureRepoPicker.organization.description': '저장소가 속할 조직',
    'fields.azureRepoPicker.project.title': '프로젝트',
    'fields.azureRepoPicker.project.description': '저장소가 속할 프로젝트',
    'fields.bitbucketRepoPicker.workspaces.title': '허용된 워크스페이스',
    'fields.bitbucketRepoPicker.workspaces.inputTitle': '워크스페이스',
    'fields.bitbucketRepoPicker.workspaces.description':
      '저장소가 속할 워크스페이스',
    'fields.bitbucketRepoPicker.project.title': '허용된 프로젝트',
    'fields.bitbucketRepoPicker.project.inputTitle': '프로젝트',
    'fields.bitbucketRepoPicker.project.description': '저장소가 속할 프로젝트',
    'fields.gerritRepoPicker.owner.title': '소유자',
    'fields.gerritRepoPicker.owner.description': '프로젝트 소유자 (선택)',
    'fields.gerritRepoPicker.parent.title': '상위 프로젝트',
    'fields.gerritRepoPicker.parent.description': '저장소가 속할 상위 프로젝트',
    'fields.giteaRepoPicker.owner.title': '선택할 수 있는 소유자',
    'fields.giteaRepoPicker.owner.inputTitle': '소유자',
    'fields.giteaRepoPicker.owner.description':
      '저장소가 속할 Gitea 네임스페이스. 조직, 그룹, 하위 그룹, 사용자 또는 프로젝트의 이름입니다.',
    'fields.githubRepoPicker.owner.title': '선택할 수 있는 소유자',
    'fields.githubRepoPicker.owner.inputTitle': '소유자',
    'fields.githubRepoPicker.owner.description':
      '저장소가 속할 조직, 사용자 또는 프로젝트',
    'fields.gitlabRepoPicker.owner.title': '선택할 수 있는 소유자',
    'fields.gitlabRepoPicker.owner.inputTitle': '소유자',
    'fields.gitlabRepoPicker.owner.description':
      '저장소가 속할 GitLab 네임스페이스. 조직, 그룹, 하위 그룹, 사용자 또는 프로젝트의 이름입니다.',
    'fields.repoUrlPicker.host.title': '호스트',
    'fields.repoUrlPicker.host.description': '저장소를 만들 호스트',
    'fields.repoUrlPicker.repository.title': '선택할 수 있는 저장소',
    'fields.repoUrlPicker.repository.inputTitle': '저장소',
    'fields.repoUrlPicker.repository.description': '저장소 이름',
    'fields.repoOwnerPicker.title': '소유자',
    'fields.repoOwnerPicker.description': '저장소 소유자',
    'listTaskPage.title': '템플릿 작업 목록',
    'listTaskPage.pageTitle': '템플릿 작업',
    'listTaskPage.subtitle': '시작된 모든 작업',
    'listTaskPage.content.emptyState.title': '표시할 정보가 없습니다',
    'listTaskPage.content.emptyState.description':
      '작업이 없거나 백엔드와 통신하지 못했습니다.',
    'listTaskPage.content.tableTitle': '작업',
    'listTaskPage.content.tableCell.taskID': '작업 ID',
    'listTaskPage.content.tableCell.template': '템플릿',
    'listTaskPage.content.tableCell.created': '만든 때',
    'listTaskPage.content.tableCell.owner': '소유자',
    'listTaskPage.content.tableCell.status': '상태',
    'ownerListPicker.title': '작업 소유자',
    'ownerListPicker.options.owned': '내 작업',
    'ownerListPicker.options.all': '전체',
    'ongoingTask.title': '실행:',
    'ongoingTask.pageTitle.hasTemplateName': '{{templateName}} 실행',
    'ongoingTask.pageTitle.noTemplateName': '템플릿 실행',
    'ongoingTask.subtitle': '작업 {{taskId}}',
    'ongoingTask.cancelButtonTitle': '취소',
    'ongoingTask.retryButtonTitle': '다시 시도',
    'ongoingTask.startOverButtonTitle': '처음부터 다시',
    'ongoingTask.hideLogsButtonTitle': '로그 숨기기',
    'ongoingTask.showLogsButtonTitle': '로그 보기',
    'ongoingTask.contextMenu.moreOptions': '옵션 더 보기',
    'ongoingTask.contextMenu.hideLogs': '로그 숨기기',
    'ongoingTask.contextMenu.showLogs': '로그 보기',
    'ongoingTask.contextMenu.hideButtonBar': '버튼 막대 숨기기',
    'ongoingTask.contextMenu.retry': '다시 시도',
    'ongoingTask.contextMenu.showButtonBar': '버튼 막대 보기',
    'ongoingTask.contextMenu.startOver': '처음부터 다시',
    'ongoingTask.contextMenu.cancel': '취소',
    'templateEditorForm.stepper.emptyText':
      '템플릿에 미리 볼 spec 매개변수가 없습니다.',
    'renderSchema.tableCell.name': '이름',
    'renderSchema.tableCell.title': '제목',
    'renderSchema.tableCell.description': '설명',
    'renderSchema.tableCell.type': '유형',
    'renderSchema.tableCell.value': '값',
    'renderSchema.undefined': '정의된 스키마가 없습니다',
    'templatingExtensions.title': '템플릿 확장',
    'templatingExtensions.pageTitle': '템플릿 확장',
    'templatingExtensions.subtitle': '사용할 수 있는 템플릿 확장입니다',
    'templatingExtensions.content.emptyState.title': '표시할 정보가 없습니다',
    'templatingExtensions.content.emptyState.description':
      '사용할 수 있는 템플릿 확장이 없거나 백엔드와 통신하지 못했습니다.',
    'templatingExtensions.content.searchFieldPlaceholder': '확장 검색',
    'templatingExtensions.content.filters.title': '필터',
    'templatingExtensions.content.filters.notAvailable':
      '정의된 템플릿 필터가 없습니다.',
    'templatingExtensions.content.filters.metadataAbsent':
      '필터 메타데이터가 없습니다',
    'templatingExtensions.content.filters.schema.input': '입력',
    'templatingExtensions.content.filters.schema.arguments': '인수',
    'templatingExtensions.content.filters.schema.output': '출력',
    'templatingExtensions.content.filters.examples': '예',
    'templatingExtensions.content.functions.title': '함수',
    'templatingExtensions.content.functions.notAvailable':
      '정의된 전역 템플릿 함수가 없습니다.',
    'templatingExtensions.content.functions.metadataAbsent':
      '함수 메타데이터가 없습니다',
    'templatingExtensions.content.functions.schema.arguments': '인수',
    'templatingExtensions.content.functions.schema.output': '출력',
    'templatingExtensions.content.functions.examples': '예',
    'templatingExtensions.content.values.title': '값',
    'templatingExtensions.content.values.notAvailable':
      '정의된 전역 템플릿 값이 없습니다.',
    'templateTypePicker.title': '분류',
    'templateIntroPage.title': '템플릿 관리',
    'templateIntroPage.subtitle':
      '템플릿, 양식, 사용자 지정 필드를 편집하고 미리 보고 시험합니다',
    'templateFormPage.title': '템플릿 편집기',
    'templateFormPage.subtitle': '템플릿 양식을 편집하고 미리 보고 시험합니다',
    'templateCustomFieldPage.title': '사용자 지정 필드 탐색기',
    'templateCustomFieldPage.subtitle':
      '사용자 지정 필드를 편집하고 미리 보고 시험합니다',
    'templateEditorPage.title': '템플릿 편집기',
    'templateEditorPage.subtitle':
      '템플릿과 템플릿 양식을 편집하고 미리 보고 시험합니다',
    'templateEditorPage.dryRunResults.title': '시험 실행 결과',
    'templateEditorPage.dryRunResultsList.title': '결과 {{resultId}}',
    'templateEditorPage.dryRunResultsList.downloadButtonTitle':
      '.zip으로 내려받기',
    'templateEditorPage.dryRunResultsList.deleteButtonTitle': '결과 삭제',
    'templateEditorPage.dryRunResultsView.tab.files': '파일',
    'templateEditorPage.dryRunResultsView.tab.log': '로그',
    'templateEditorPage.dryRunResultsView.tab.output': '출력',
    'templateEditorPage.taskStatusStepper.skippedStepTitle': '건너뜀',
    'templateEditorPage.customFieldExplorer.selectFieldLabel':
      '사용자 지정 필드 확장 선택',
    'templateEditorPage.customFieldExplorer.fieldForm.title': '필드 옵션',
    'templateEditorPage.customFieldExplorer.fieldForm.applyButtonTitle': '적용',
    'templateEditorPage.customFieldExplorer.fieldPreview.title':
      '필드 미리 보기',
    'templateEditorPage.customFieldExplorer.preview.title': '템플릿 명세',
    'templateEditorPage.templateEditorBrowser.closeConfirmMessage':
      '닫을까요? 저장하지 않은 변경은 사라집니다',
    'templateEditorPage.templateEditorBrowser.saveIconTooltip':
      '모든 파일 저장',
    'templateEditorPage.templateEditorBrowser.reloadIconTooltip':
      '디렉터리 다시 읽기',
    'templateEditorPage.templateEditorBrowser.closeIconTooltip':
      '디렉터리 닫기',
    'templateEditorPage.templateEditorIntro.title':
      '아래에서 하나를 골라 시작하세요',
    'templateEditorPage.templateEditorIntro.loadLocal.title':
      '템플릿 디렉터리 열기',
    'templateEditorPage.templateEditorIntro.loadLocal.description':
      '로컬 템플릿 디렉터리를 열어 직접 만든 템플릿을 편집하고 실행해 봅니다.',
    'templateEditorPage.templateEditorIntro.loadLocal.unsupportedTooltip':
      'HTTPS로 연 페이지의 일부 Chromium 계열 브라우저에서만 됩니다',
    'templateEditorPage.templateEditorIntro.createLocal.title':
      '새 템플릿 만들기',
    'templateEditorPage.templateEditorIntro.createLocal.description':
      '로컬 템플릿 디렉터리를 만들어 직접 만든 템플릿을 편집하고 실행해 봅니다.',
    'templateEditorPage.templateEditorIntro.createLocal.unsupportedTooltip':
      'HTTPS로 연 페이지의 일부 Chromium 계열 브라우저에서만 됩니다',
    'templateEditorPage.templateEditorIntro.formEditor.title':
      '템플릿 양식 연습장',
    'templateEditorPage.templateEditorIntro.formEditor.description':
      '예제 템플릿이나 카탈로그의 템플릿으로 양식을 미리 보고 편집합니다.',
    'templateEditorPage.templateEditorIntro.fieldExplorer.title':
      '사용자 지정 필드 탐색기',
    'templateEditorPage.templateEditorIntro.fieldExplorer.description':
      '설치된 사용자 지정 필드 확장을 보고 시험합니다.',
    'templateEditorPage.templateEditorTextArea.saveIconTooltip': '파일 저장',
    'templateEditorPage.templateEditorTextArea.refreshIconTooltip':
      '파일 다시 읽기',
    'templateEditorPage.templateEditorTextArea.emptyStateParagraph':
      '파일 메뉴에서 작업을 고르세요.',
    'templateEditorPage.templateFormPreviewer.title': '기존 템플릿 불러오기',
    'templateListPage.title': '새 컴포넌트 만들기',
    'templateListPage.subtitle':
      '조직의 표준 템플릿(골든 패스)으로 새 소프트웨어 컴포넌트를 만듭니다',
    'templateListPage.pageTitle': '새 컴포넌트 만들기',
    'templateListPage.templateGroups.defaultTitle': '템플릿',
    'templateListPage.templateGroups.otherTitle': '기타 템플릿',
    'templateListPage.contentHeader.registerExistingButtonTitle':
      '기존 컴포넌트 등록',
    'templateListPage.contentHeader.supportButtonTitle':
      '표준 템플릿으로 새 소프트웨어 컴포넌트를 만듭니다. 템플릿마다 다른 종류(서비스, 웹사이트, 문서 등)를 만듭니다.',
    'templateListPage.additionalLinksForEntity.viewTechDocsTitle': '문서 보기',
    'templateWizardPage.title': '새 컴포넌트 만들기',
    'templateWizardPage.subtitle':
      '조직의 표준 템플릿(골든 패스)으로 새 소프트웨어 컴포넌트를 만듭니다',
    'templateWizardPage.pageTitle': '새 컴포넌트 만들기',
    'templateWizardPage.templateWithTitle': '새 {{templateTitle}} 만들기',
    'templateWizardPage.pageContextMenu.editConfigurationTitle': '설정 편집',
    'templateEditorToolbar.customFieldExplorerTooltip':
      '사용자 지정 필드 탐색기',
    'templateEditorToolbar.installedActionsDocumentationTooltip':
      '설치된 액션 문서',
    'templateEditorToolbar.templatingExtensionsDocumentationTooltip':
      '템플릿 확장 문서',
    'templateEditorToolbar.addToCatalogButton': '게시',
    'templateEditorToolbar.addToCatalogDialogTitle': '변경 게시',
    'templateEditorToolbar.addToCatalogDialogContent.stepsIntroduction':
      '템플릿을 만들거나 고치려면 다음을 따르세요:',
    'templateEditorToolbar.addToCatalogDialogContent.stepsListItems':
      '템플릿 파일을 로컬 디렉터리에 저장합니다\n새 git 저장소나 기존 저장소에 병합 요청을 만듭니다\n이미 있는 템플릿이면 병합 요청이 병합된 뒤 소프트웨어 카탈로그에 반영됩니다\n새 템플릿이면 아래 문서를 따라 템플릿 저장소를 소프트웨어 카탈로그에 등록합니다',
    'templateEditorToolbar.addToCatalogDialogActions.documentationButton':
      '문서로 가기',
    'templateEditorToolbar.addToCatalogDialogActions.documentationUrl':
      'https://backstage.io/docs/features/software-templates/adding-templates/',
    'templateEditorToolbarFileMenu.button': '파일',
    'templateEditorToolbarFileMenu.options.openDirectory':
      '템플릿 디렉터리 열기',
    'templateEditorToolbarFileMenu.options.createDirectory':
      '템플릿 디렉터리 만들기',
    'templateEditorToolbarFileMenu.options.closeEditor': '템플릿 편집기 닫기',
    'templateEditorToolbarTemplatesMenu.button': '템플릿',
    'featuredTemplatesWidget.errorMessage': '템플릿을 불러오지 못했습니다.',
    'featuredTemplatesWidget.emptyMessage': '지금은 보여 줄 템플릿이 없습니다.',
    'featuredTemplatesWidget.scrollPreviousButtonTitle': '이전 템플릿',
    'featuredTemplatesWidget.scrollNextButtonTitle': '다음 템플릿',
    'featuredTemplatesWidget.errorRetryButtonTitle': '다시 시도',
    'featuredTemplatesWidget.emptyBrowseAllButtonTitle': '모든 템플릿 보기',
  },
});
export default scaffolderMessagesKo;
