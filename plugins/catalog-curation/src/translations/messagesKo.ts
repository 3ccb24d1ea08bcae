/** Korean text of catalog curation (flattened keys of the translation ref). */
const messagesKo = {
  'page.title': '카탈로그 큐레이션',
  'page.subtitle':
    '소유자·시스템·수명주기·이름 규칙, 고아 엔티티, 처리 실패, 중복 후보',
  'page.refused': '카탈로그 큐레이션은 플랫폼팀 전용입니다.',
  'page.refusedDetail':
    '내 컴포넌트의 부족한 점은 각 컴포넌트 페이지의 품질 카드에서 확인하세요.',
  'page.loading': '불러오는 중…',
  'page.error': '큐레이션 보고서를 불러오지 못했습니다: {{message}}',
  'page.summary':
    '엔티티 {{entities}}개, 문제 {{problems}}건, 고아 {{orphans}}개, 처리 실패 {{failed}}개',
  'sections.byRule': '규칙별 문제',
  'sections.byTeam': '팀별 문제',
  'sections.orphans': '고아 엔티티 (위치가 사라짐)',
  'sections.failed': '처리되지 않은 엔티티',
  'sections.duplicates': '중복 후보',
  'sections.history': '팀별 추이',
  'empty.problems': '문제가 없습니다. 모든 엔티티가 규칙을 지킵니다.',
  'empty.orphans': '고아 엔티티가 없습니다.',
  'empty.failed': '처리에 실패한 엔티티가 없습니다.',
  'empty.duplicates': '중복 후보가 없습니다.',
  'empty.history':
    '아직 기록된 스냅샷이 없습니다. 예약 작업이 하루에 한 번 이상 기록합니다.',
  'columns.entity': '엔티티',
  'columns.team': '소유 팀',
  'columns.rule': '규칙',
  'columns.problem': '문제',
  'columns.count': '건수',
  'columns.errors': '오류',
  'columns.reason': '근거',
  'columns.key': '키',
  'columns.entities': '엔티티',
  'columns.day': '날짜',
  'columns.problems': '문제 엔티티',
  'columns.orphans': '고아',
  'columns.actions': '작업',
  'rules.owner-is-group': '소유자가 그룹(팀)이 아님',
  'rules.system-required': '시스템 없음',
  'rules.lifecycle-known': '알 수 없는 수명주기',
  'rules.name-unique': '이름 충돌',
  'rules.processing-error': '기타 처리 오류',
  'problems.owner-is-group':
    'spec.owner에 카탈로그의 그룹을 지정해야 합니다. 소프트웨어는 사람이 아니라 팀이 소유합니다.',
  'problems.system-required': 'spec.system에 속한 시스템을 지정해야 합니다.',
  'problems.lifecycle-known':
    'spec.lifecycle은 정해진 수명주기 중 하나여야 합니다.',
  'problems.name-unique': 'metadata.name이 다른 엔티티와 겹칩니다.',
  'problems.details': '상세: {{message}}',
  'duplicates.name': '같은 이름',
  'duplicates.source-location': '같은 저장소',
  'orphans.unregister': '등록 해제',
  'orphans.unregistered': '{{entity}} 등록을 해제했습니다.',
  'orphans.failed': '등록 해제 실패: {{message}}',
  'team.unowned': '소유자 없음',
  'card.title': '카탈로그 품질',
  'card.score': '{{passed}} / {{applicable}} 통과',
  'card.loading': '품질 검사 중…',
  'card.error': '품질 검사를 불러오지 못했습니다: {{message}}',
  'card.allPassed': '모든 검사를 통과했습니다.',
  'card.missing': '부족한 항목: {{items}}',
  'checks.owner.title': '소유 팀',
  'checks.owner.fix':
    'spec.owner에 카탈로그에 있는 그룹(예: group:default/ml-team)을 지정하세요. 개인 사용자는 소유자가 될 수 없습니다.',
  'checks.system.title': '시스템',
  'checks.system.fix':
    'spec.system에 카탈로그에 있는 시스템 이름을 지정하세요.',
  'checks.lifecycle.title': '수명주기',
  'checks.lifecycle.fix':
    'spec.lifecycle을 다음 중 하나로 지정하세요: {{allowed}}',
  'checks.techdocs.title': 'TechDocs',
  'checks.techdocs.fix':
    'docs/와 mkdocs.yml을 추가하고 어노테이션 {{annotation}}을 지정하세요.',
  'checks.api-definition.title': 'API 정의',
  'checks.api-definition.fix':
    '제공하는 API 엔티티를 등록하고 spec.definition에 OpenAPI 등 정의를 넣으세요.',
  'checks.pipeline.title': '보안 파이프라인',
  'checks.pipeline.fix':
    '.gitlab-ci.yml에 SAST, 이미지 스캔, SBOM 단계를 추가하세요 (골든 패스의 템플릿을 포함하면 됩니다). 단계를 찾은 곳: {{source}}',
  'checks.pipeline.source.annotation': '파이프라인 단계 어노테이션',
  'checks.pipeline.source.gitlab-ci': '.gitlab-ci.yml',
  'checks.pipeline.source.unknown':
    '없음 (어노테이션도, 읽을 수 있는 .gitlab-ci.yml도 없습니다)',
  'checks.kubernetes-namespace.title': '쿠버네티스 네임스페이스',
  'checks.kubernetes-namespace.fix':
    'backstage.io/kubernetes-id와 backstage.io/kubernetes-namespace 어노테이션을 지정하세요. 네임스페이스는 팀 소유여야 합니다: {{teamNamespaces}}',
  'status.pass': '통과',
  'status.fail': '미흡',
  'status.not-applicable': '해당 없음',
};

export default messagesKo;
