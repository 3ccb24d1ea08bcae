import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { catalogReactTranslationRef } from '@backstage/plugin-catalog-react';

/** Korean for the catalog's shared components: filters, pickers, dialogs. */
const catalogReactMessagesKo = createTranslationMessages({
  ref: catalogReactTranslationRef,
  full: true,
  messages: {
    'catalogFilter.title': '필터',
    'catalogFilter.buttonTitle': '필터',
    'entityKindPicker.title': '종류',
    'entityKindPicker.errorMessage': '엔티티 종류를 불러오지 못했습니다',
    'entityLifecyclePicker.title': '수명주기',
    'entityNamespacePicker.title': '네임스페이스',
    'entityOwnerPicker.title': '소유자',
    'entityProcessingStatusPicker.title': '처리 상태',
    'entityTagPicker.title': '태그',
    'entityPeekAheadPopover.title': '모든 태그를 보려면 엔티티를 여세요.',
    'entityPeekAheadPopover.emailCardAction.title': '{{email}}에 메일 보내기',
    'entityPeekAheadPopover.emailCardAction.subTitle': 'mailto {{email}}',
    'entityPeekAheadPopover.emailCardAction.ariaLabel': '메일',
    'entityPeekAheadPopover.entityCardActionsAriaLabel': '보기',
    'entityPeekAheadPopover.entityCardActionsTitle': '자세히 보기',
    'entitySearchBar.placeholder': '검색',
    'entityTypePicker.title': '유형',
    'entityTypePicker.errorMessage': '엔티티 유형을 불러오지 못했습니다',
    'entityTypePicker.optionAllTitle': '전체',
    'favoriteEntity.addToFavorites': '즐겨찾기에 추가',
    'favoriteEntity.removeFromFavorites': '즐겨찾기에서 제거',
    'inspectEntityDialog.title': '엔티티 검사',
    'inspectEntityDialog.closeButtonTitle': '닫기',
    'inspectEntityDialog.ancestryPage.title': '계보',
    'inspectEntityDialog.ancestryPage.description':
      '현재 엔티티 위의 계보입니다. 곧 현재 엔티티에 이르는 엔티티의 사슬로, {{processorsLink}} 자식 엔티티를 거쳐 현재 엔티티가 생겼습니다. 관계(relations)와는 전혀 다른 구조입니다.',
    'inspectEntityDialog.ancestryPage.processorsLink': '프로세서가 내보낸',
    'inspectEntityDialog.colocatedPage.title': '같은 출처',
    'inspectEntityDialog.colocatedPage.description':
      '이 엔티티와 같은 데이터 원본(예: 같은 YAML 파일)이나 같은 출처(예: 처음 등록한 URL)에서 온 엔티티입니다.',
    'inspectEntityDialog.colocatedPage.alertNoLocation':
      '엔티티에 위치 정보가 없습니다.',
    'inspectEntityDialog.colocatedPage.alertNoEntity':
      '이 위치에 다른 엔티티가 없습니다.',
    'inspectEntityDialog.colocatedPage.locationHeader': '같은 위치',
    'inspectEntityDialog.colocatedPage.originHeader': '같은 출처',
    'inspectEntityDialog.colocatedPage.entityListAriaLabel':
      '같은 출처의 엔티티',
    'inspectEntityDialog.jsonPage.title': 'JSON으로 본 엔티티',
    'inspectEntityDialog.jsonPage.description':
      '카탈로그에서 받은 그대로의 엔티티 데이터(JSON)입니다.',
    'inspectEntityDialog.overviewPage.title': '개요',
    'inspectEntityDialog.overviewPage.relation.title': '관계',
    'inspectEntityDialog.overviewPage.status.title': '상태',
    'inspectEntityDialog.overviewPage.identity.title': '식별 정보',
    'inspectEntityDialog.overviewPage.metadata.title': '메타데이터',
    'inspectEntityDialog.overviewPage.annotations': '어노테이션',
    'inspectEntityDialog.overviewPage.labels': '레이블',
    'inspectEntityDialog.overviewPage.tags': '태그',
    'inspectEntityDialog.overviewPage.copyAriaLabel': '{{label}} 복사',
    'inspectEntityDialog.overviewPage.copiedStatus': '복사했습니다',
    'inspectEntityDialog.overviewPage.helpLinkAriaLabel': '더 알아보기',
    'inspectEntityDialog.yamlPage.title': 'YAML로 본 엔티티',
    'inspectEntityDialog.yamlPage.description':
      '카탈로그에서 받은 그대로의 엔티티 데이터(YAML)입니다.',
    'inspectEntityDialog.tabNames.overview': '개요',
    'inspectEntityDialog.tabNames.ancestry': '계보',
    'inspectEntityDialog.tabNames.colocated': '같은 출처',
    'inspectEntityDialog.tabNames.json': '원본 JSON',
    'inspectEntityDialog.tabNames.yaml': '원본 YAML',
    'inspectEntityDialog.tabsAriaLabel': '검사 항목',
    'unregisterEntityDialog.title': '이 엔티티의 등록을 해제할까요?',
    'unregisterEntityDialog.cancelButtonTitle': '취소',
    'unregisterEntityDialog.deleteButtonTitle': '엔티티 삭제',
    'unregisterEntityDialog.deleteEntitySuccessMessage':
      '{{entityName}} 엔티티를 삭제했습니다',
    'unregisterEntityDialog.bootstrapState.title':
      '이 엔티티는 보호된 설정(위치 "{{location}}")에서 왔으므로 등록을 해제할 수 없습니다. 잘못되었다고 생각되면 {{appTitle}} 관리자에게 문의하세요.',
    'unregisterEntityDialog.bootstrapState.advancedDescription':
      '엔티티 자체를 카탈로그에서 삭제할 수도 있습니다. 카탈로그 파일이 원래 위치에서 삭제되었거나 옮겨진 것을 알 때만 그렇게 하세요. 그렇지 않으면 카탈로그의 다음 새로 고침 때 엔티티가 다시 나타납니다.',
    'unregisterEntityDialog.bootstrapState.advancedOptions': '고급 옵션',
    'unregisterEntityDialog.onlyDeleteStateTitle':
      '이 엔티티는 등록된 위치에서 온 것이 아닌 듯합니다. 카탈로그에서 바로 삭제하는 것만 가능합니다.',
    'unregisterEntityDialog.unregisterState.title':
      '다음 엔티티의 등록을 해제합니다:',
    'unregisterEntityDialog.unregisterState.subTitle': '위치:',
    'unregisterEntityDialog.unregisterState.description':
      '되돌리려면 {{appTitle}}에 엔티티를 다시 등록하면 됩니다.',
    'unregisterEntityDialog.unregisterState.unregisterButtonTitle':
      '위치 등록 해제',
    'unregisterEntityDialog.unregisterState.advancedOptions': '고급 옵션',
    'unregisterEntityDialog.unregisterState.advancedDescription':
      '엔티티 자체를 카탈로그에서 삭제할 수도 있습니다. 카탈로그 파일이 원래 위치에서 삭제되었거나 옮겨진 것을 알 때만 그렇게 하세요. 그렇지 않으면 카탈로그의 다음 새로 고침 때 엔티티가 다시 나타납니다.',
    'unregisterEntityDialog.errorStateTitle': '내부 오류: 알 수 없는 상태',
    'userListPicker.defaultOrgName': '조직',
    'userListPicker.personalFilter.title': '개인',
    'userListPicker.personalFilter.ownedLabel': '내 소유',
    'userListPicker.personalFilter.starredLabel': '즐겨찾기',
    'userListPicker.orgFilterAllLabel': '전체',
    'entityTableColumnTitle.name': '이름',
    'entityTableColumnTitle.system': '시스템',
    'entityTableColumnTitle.owner': '소유자',
    'entityTableColumnTitle.type': '유형',
    'entityTableColumnTitle.lifecycle': '수명주기',
    'entityTableColumnTitle.namespace': '네임스페이스',
    'entityTableColumnTitle.description': '설명',
    'entityTableColumnTitle.tags': '태그',
    'entityTableColumnTitle.targets': '대상',
    'entityTableColumnTitle.title': '제목',
    'entityTableColumnTitle.label': '레이블',
    'entityTableColumnTitle.domain': '도메인',
    'entityRelationCard.emptyHelpLinkTitle': '바꾸는 방법 알아보기',
    'missingAnnotationEmptyState.title': '어노테이션 없음',
    'missingAnnotationEmptyState.readMore': '더 알아보기',
    'missingAnnotationEmptyState.annotationYaml':
      '아래 강조된 예처럼 {{entityKind}} YAML에 어노테이션을 추가하세요:',
    'missingAnnotationEmptyState.generateDescription_one':
      '어노테이션 {{annotations}}이(가) 없습니다. 이 도구를 쓰려면 {{entityKind}}에 어노테이션을 추가하세요.',
    'missingAnnotationEmptyState.generateDescription_other':
      '어노테이션 {{annotations}}이(가) 없습니다. 이 도구를 쓰려면 {{entityKind}}에 어노테이션을 추가하세요.',
  },
});
export default catalogReactMessagesKo;
