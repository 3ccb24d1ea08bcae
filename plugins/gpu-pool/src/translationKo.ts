/**
 * Korean text of the GPU pool pages, loaded by the translation ref when
 * Korean is chosen. Free of imports from `./translation` so the ref's types
 * are not circular; `translation.test.ts` checks the keys.
 */
import type { GpuPoolReasonKey } from '@internal/plugin-gpu-pool-common';

/**
 * The backend's reason texts (`reasons.<key>` of the catalog in
 * gpu-pool-common): typed by the catalog's keys, so a missing one fails tsc.
 */
const reasonMessagesKo = {
  'reasons.createdAboveAllowancePools':
    '{{team}}의 허용량 초과 (풀 {{pools}}): 플랫폼 팀의 승인을 기다립니다',
  'reasons.createdAboveAllowanceCompute':
    '{{team}}의 {{resource}} 허용량 초과: 플랫폼 팀의 승인을 기다립니다',
  'reasons.createdAdoptsNamespace':
    '네임스페이스 {{namespace}}: 이미 있으며 포털이 만들지 않았습니다. 가져오려면 플랫폼 팀의 승인을 기다립니다',
  'reasons.createdWithinAllowance': '허용량 이내: 자동으로 승인되었습니다',
  'reasons.createdWithoutGpus':
    'GPU 없는 네임스페이스: 자동으로 승인되었습니다',
  'reasons.waitsBehind':
    '풀 {{pool}}에서 요청 {{request}} 다음 순서로 대기 중입니다',
  'reasons.waitsForGpusOutsideStale':
    'GPU를 기다립니다: 풀 {{pool}}의 여유 {{free}}개 / 전체 {{capacity}}개 (할당 {{granted}}개, 할당 밖 파드가 사용 중 {{outside}}개) (마지막 확인 값: 클러스터를 읽을 수 없음), 필요 {{needed}}개',
  'reasons.waitsForGpusOutside':
    'GPU를 기다립니다: 풀 {{pool}}의 여유 {{free}}개 / 전체 {{capacity}}개 (할당 {{granted}}개, 할당 밖 파드가 사용 중 {{outside}}개), 필요 {{needed}}개',
  'reasons.waitsForGpusStale':
    'GPU를 기다립니다: 풀 {{pool}}의 여유 {{free}}개 / 전체 {{capacity}}개 (할당 {{granted}}개) (마지막 확인 값: 클러스터를 읽을 수 없음), 필요 {{needed}}개',
  'reasons.waitsForGpus':
    'GPU를 기다립니다: 풀 {{pool}}의 여유 {{free}}개 / 전체 {{capacity}}개 (할당 {{granted}}개), 필요 {{needed}}개',
  'reasons.gpusAllocated': 'GPU 할당됨: {{gpus}}',
  'reasons.namespaceApproved': '네임스페이스가 승인되었습니다',
  'reasons.approvedByPlatformTeam': '플랫폼 팀이 승인했습니다',
  'reasons.rejectedByPlatformTeam': '플랫폼 팀이 반려했습니다',
  'reasons.extendedWithNote': '{{duration}} 연장: {{note}}',
  'reasons.extended': '{{duration}} 연장되었습니다',
  'reasons.releasedByOwner': '소유자가 반납했습니다',
  'reasons.leaseEnded': '임대 기간이 끝났습니다',
  'reasons.leaseEndsAt': '임대가 {{at}}에 끝납니다',
  'reasons.inPlaceWithKueue':
    '{{cluster}}에 네임스페이스 {{namespace}}, 쿼터, Kueue LocalQueue가 준비되었습니다',
  'reasons.inPlace':
    '{{cluster}}에 네임스페이스 {{namespace}} 및 쿼터가 준비되었습니다',
  'reasons.kueueNotInPlace':
    '{{cluster}}의 Kueue 적용이 아직 준비되지 않았습니다: {{error}}',
  'reasons.clusterRefusedObjects':
    '클러스터가 오브젝트를 거부했습니다: {{error}}',
  'reasons.namespaceProtected':
    '네임스페이스 {{namespace}}: 보호 대상입니다. GPU 풀은 이 네임스페이스에 쓰거나 삭제하지 않습니다',
  'reasons.namespaceBeingDeleted':
    '네임스페이스 {{namespace}}: 삭제되는 중입니다',
  'reasons.namespaceOfAnotherTeam':
    '네임스페이스 {{namespace}}: {{team}} 대신 {{owner}} 소유로 표시되어 있습니다',
  'reasons.namespaceNotCreatedByPortal':
    '네임스페이스 {{namespace}}: 이미 있으며 포털이 만들지 않았습니다. 가져오려면 플랫폼 팀의 승인이 필요합니다',
  'reasons.localQueueDrained':
    'LocalQueue {{namespace}}/{{queue}}: HoldAndDrain으로 설정했습니다. 네임스페이스에 남은 할당이 없습니다',
  'reasons.workloadEvicted':
    'Workload {{namespace}}/{{name}} ({{gpus}}) 축출: {{cluster}}에서 {{team}}에 남은 할당을 넘습니다 (ClusterQueue {{clusterQueue}})',
  'reasons.podDeleted':
    '파드 {{namespace}}/{{name}} ({{gpus}}) 삭제: 네임스페이스 {{quotaNamespace}}에 남은 GPU 쿼터를 넘습니다',
  'reasons.idleNudged':
    '유휴: 모든 GPU가 {{minutes}}분 동안 사용률 {{threshold}}% 미만이었습니다 (최대 {{max}}). 소유자에게 알렸으며, 유지하지 않으면 {{at}}에 회수됩니다',
  'reasons.idleNoticeWithdrawn':
    '유휴 알림 철회: GPU가 다시 사용되고 있습니다 (최대 {{max}})',
  'reasons.idleReclaimed':
    '유휴 회수: 유휴 알림 후 {{grace}}분 안에 응답이 없었고 사용률이 여전히 {{threshold}}% 미만입니다 (최대 {{max}})',
  'reasons.idleReleasedByOwnerWithNote':
    '유휴 회수: 소유자가 유휴 알림에서 반납했습니다: {{note}}',
  'reasons.idleReleasedByOwner':
    '유휴 회수: 소유자가 유휴 알림에서 반납했습니다',
  'reasons.idleKeptWithNote': '유휴 회수: {{until}}까지 유지합니다: {{note}}',
  'reasons.idleKept': '유휴 회수: {{until}}까지 유지합니다',
  'reasons.idleExempted': '유휴 회수: 플랫폼 팀이 제외했습니다: {{note}}',
} satisfies Record<`reasons.${GpuPoolReasonKey}`, string>;

const gpuPoolMessagesKo = {
  'nav.title': 'GPU 풀',
  'page.title': 'GPU 신청',
  'page.subtitle': '공유 GPU를 기간 단위로 임대하고, 끝나면 반납합니다',
  'page.approvals': '승인',
  'page.jobs': '작업',
  'page.back': 'GPU 풀로 돌아가기',
  'availability.title': '가용 현황',
  'availability.pool': '풀',
  'availability.cluster': '클러스터',
  'availability.model': '모델 / 프로파일',
  'availability.capacity': '용량',
  'availability.allocated': '할당',
  'availability.available': '가용',
  'availability.queued': '대기',
  'availability.stale': '마지막 확인값',
  'availability.empty': '구성된 풀이 없습니다.',
  'form.title': '새 신청',
  'form.team': '팀',
  'form.cluster': '클러스터',
  'form.namespace': '네임스페이스',
  'form.pool': '풀',
  'form.count': 'GPU 수',
  'form.cpu': 'CPU',
  'form.memory': '메모리',
  'form.duration': '임대 기간',
  'form.durationUnit': '단위',
  'form.hours': '시간',
  'form.days': '일',
  'form.durationHelp': '최대 {{max}}',
  'form.justification': '사유',
  'form.ephemeral': '임대가 끝나면 네임스페이스 삭제',
  'form.submit': '신청',
  'form.noTeam': '소속된 팀이 없습니다.',
  'form.invalid': '표시된 항목을 고쳐야 신청할 수 있습니다.',
  'form.outcome.immediate': '허용량 이내: 즉시 할당됩니다.',
  'form.outcome.approval':
    '허용량 초과: 플랫폼팀 승인이 필요합니다 (사유 필수).',
  'form.outcome.queue': '승인되지만 풀이 가득 차 대기열에 들어갑니다.',
  'validation.team': '소속 팀 중 하나를 고르세요.',
  'validation.cluster': '풀을 고르세요.',
  'validation.namespace':
    '영문 소문자, 숫자, "-"만 쓸 수 있고 63자 이하이며 영문자나 숫자로 시작하고 끝나야 합니다 (예: ml-exp).',
  'validation.count': 'GPU 수는 1 이상의 정수여야 합니다.',
  'validation.countMax': '이 풀은 신청당 최대 {{max}}개입니다.',
  'validation.cpu': 'CPU는 8 또는 500m처럼 입력하세요.',
  'validation.memory': '메모리는 64Gi처럼 입력하세요.',
  'validation.duration': '기간은 1 이상의 정수(시간 또는 일)여야 합니다.',
  'validation.durationMax': '이 풀은 최대 {{max}}입니다.',
  'validation.justification': '사유는 2000자 이하여야 합니다.',
  'validation.justificationRequired':
    '허용량을 넘는 신청입니다: GPU가 필요한 이유를 적어 주세요 (플랫폼팀이 읽습니다).',
  'grants.title': '우리 팀 할당',
  'grants.empty': '팀이 보유한 GPU가 없습니다.',
  'grants.timeLeft': '남은 시간',
  'grants.release': '반납',
  'grants.extend': '1일 연장',
  'grants.gpus': 'GPU',
  'grants.status': '상태',
  'grants.namespace': '네임스페이스',
  'request.title': '신청',
  'request.status': '상태',
  'request.position': '대기 순번',
  'request.expires': '만료',
  'request.history': '이력',
  'request.error': '최근 오류',
  'requests.title': '우리 팀 신청',
  'requests.team': '팀',
  'approvals.title': '승인함',
  'approvals.empty': '승인 대기 중인 신청이 없습니다.',
  'approvals.approve': '승인',
  'approvals.reject': '반려',
  'approvals.requestedBy': '신청자',
  'approvals.justification': '사유',
  'jobs.title': '우리 팀 작업',
  'jobs.subtitle':
    '작업은 Kueue 대기열에 들어가고 실행되는 동안에만 GPU를 점유합니다. 실시간으로 갱신됩니다.',
  'jobs.empty':
    '팀의 작업이 없습니다. GPU 학습 작업 템플릿으로 만들거나, 팀 네임스페이스에 kueue.x-k8s.io/queue-name: portal-gpu-pool 레이블을 단 Job을 제출하세요.',
  'jobs.job': '작업',
  'jobs.team': '팀',
  'jobs.state': '상태',
  'jobs.position': '대기 순번',
  'jobs.positionValue': '네임스페이스 {{local}}번째, 팀 대기열 {{cluster}}번째',
  'jobs.gpus': 'GPU',
  'jobs.timing': '시작 / 종료',
  'jobs.reason': '사유',
  'jobs.cluster': '클러스터',
  'jobs.estimatedStart': '{{time}} 시작 예상',
  'jobs.startUnknown': '시작 시각을 아직 알 수 없음',
  'jobs.expectedEnd': '{{time}} 종료 예상',
  'jobs.admittedAt': '{{time}} 승인됨',
  'jobs.finishedAt': '{{time}} 완료',
  'jobs.clusterErrors':
    '{{clusters}} 클러스터가 응답하지 않아 표시하지 못했습니다.',
  'jobs.conditions': 'Kueue 조건',
  'jobs.conditionTime': '시각',
  'workloadState.pending': '대기 중',
  'workloadState.admitted': '승인됨',
  'workloadState.running': '실행 중',
  'workloadState.finished': '완료',
  'workloadState.evicted': '축출됨',
  'workloadState.inactive': '중지됨',
  'pool.chart': '최근 24시간 할당 추이',
  'pool.noHistory': '기록된 할당이 아직 없습니다.',
  'status.pending-approval': '승인 대기',
  'status.queued': '대기열',
  'status.provisioning': '준비 중',
  'status.active': '사용 중',
  'status.expiring': '만료 임박',
  'status.released': '반납됨',
  'status.expired': '만료됨',
  'status.rejected': '반려됨',
  'status.failed': '실패',
  ...reasonMessagesKo,
};

export default gpuPoolMessagesKo;
