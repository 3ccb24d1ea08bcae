import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { kubernetesTranslationRef } from '@backstage/plugin-kubernetes';

/** Korean for the Kubernetes tab of entity pages. */
const kubernetesMessagesKo = createTranslationMessages({
  ref: kubernetesTranslationRef,
  full: true,
  messages: {
    'kubernetesContentPage.permissionAlert.title': '권한이 필요합니다',
    'kubernetesContentPage.permissionAlert.message':
      "쿠버네티스 오브젝트를 보려면 포털 관리자에게 'kubernetes.clusters.read'와 'kubernetes.resources.read' 권한을 요청하세요.",
    'kubernetesContentPage.title': '클러스터',
    'kubernetesContentPage.emptyState.title': '쿠버네티스 리소스 없음',
    'kubernetesContentPage.emptyState.description':
      '알려진 클러스터 어디에도 {{entityName}}의 리소스가 없습니다',
    'entityContent.title': '쿠버네티스',
  },
});
export default kubernetesMessagesKo;
