import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { scaffolderReactTranslationRef } from '@backstage/plugin-scaffolder-react';

/** Korean for the template cards and the template wizard's stepper. */
const scaffolderReactMessagesKo = createTranslationMessages({
  ref: scaffolderReactTranslationRef,
  full: true,
  messages: {
    'passwordWidget.content':
      '이 위젯은 안전하지 않습니다. `ui:widget: password` 대신 [`ui:field: Secret`](https://backstage.io/docs/features/software-templates/writing-templates/#using-secrets)을 쓰세요',
    'scaffolderPageContextMenu.moreLabel': '더 보기',
    'scaffolderPageContextMenu.createLabel': '만들기',
    'scaffolderPageContextMenu.editorLabel': '템플릿 관리',
    'scaffolderPageContextMenu.actionsLabel': '설치된 액션',
    'scaffolderPageContextMenu.tasksLabel': '작업 목록',
    'scaffolderPageContextMenu.templatingExtensionsLabel': '템플릿 확장',
    'stepper.backButtonText': '이전',
    'stepper.createButtonText': '만들기',
    'stepper.reviewButtonText': '검토',
    'stepper.stepIndexLabel': '{{index, number}}단계',
    'stepper.nextButtonText': '다음',
    'templateCategoryPicker.title': '분류',
    'templateCard.noDescription': '설명 없음',
    'templateCard.chooseButtonText': '선택',
    'cardHeader.detailBtnTitle': '템플릿 엔티티 자세히 보기',
    'templateOutputs.title': '텍스트 출력',
    'workflow.noDescription': '설명 없음',
  },
});
export default scaffolderReactMessagesKo;
