/**
 * Korean text of the showback page and the idle-reclaim card. Free of
 * imports from `./showbackTranslation` so the ref's types are not circular;
 * `showbackTranslation.test.ts` checks the keys.
 */
const showbackMessagesKo = {
  'page.title': 'GPU 사용 현황',
  'page.subtitle': '팀과 풀별로 할당, 실사용, 회수된 GPU 시간',
  'filters.period': '기간',
  'filters.team': '팀',
  'filters.allTeams': '볼 수 있는 모든 팀',
  'filters.pool': '풀',
  'filters.allPools': '모든 풀',
  'filters.day': '일',
  'filters.week': '주',
  'filters.month': '월',
  'totals.granted': '할당된 GPU 시간',
  'totals.busy': '실사용 GPU 시간',
  'totals.reclaimed': '회수된 유휴 GPU 시간',
  'totals.wait': '평균 대기 시간',
  'totals.busyShare': '실사용 ÷ 할당',
  'chart.hours': '기간별 GPU 시간',
  'chart.wait': '기간별 평균 대기 시간(시간)',
  'chart.waitHours': '평균 대기(시간)',
  'table.title': '팀, 풀, 기간별',
  'table.period': '기간',
  'table.team': '팀',
  'table.pool': '풀',
  'table.grants': '할당 건수',
  noMetrics: 'GPU 지표 없음',
  metricsUnavailable: 'GPU 지표를 읽을 수 없음',
  metricsMissing:
    '{{clusters}}의 실사용 GPU 시간이 없습니다: 0이 아니라 "GPU 지표 없음"으로 표시합니다.',
  empty: '이 기간에 할당된 GPU가 없습니다.',
  csv: 'CSV 내려받기',
  'reclaim.title': '유휴 회수',
  'reclaim.off': '이 임대는 유휴 회수 대상이 아닙니다.',
  'reclaim.watching':
    '모든 GPU가 {{idle}}분 동안 {{threshold}}% 미만이고 {{grace}}분 안에 응답이 없으면 회수됩니다.',
  'reclaim.nudged':
    'GPU가 유휴 상태입니다. 유지하지 않으면 {{at}}에 회수됩니다.',
  'reclaim.kept': '{{until}}까지 유지합니다.',
  'reclaim.exempt': '유휴 회수에서 제외됨: {{reason}}',
  'reclaim.reclaimed': '{{at}}에 유휴 상태로 회수되었습니다.',
  'reclaim.lastCheck': '마지막 확인: {{outcome}}',
  'reclaim.keep': '유지',
  'reclaim.release': '지금 반납',
  'reclaim.exemptAction': '제외',
  'reclaim.exemptReason': '이 임대를 유휴 상태로 둘 이유',
  'reclaim.asked': '유휴 알림에서 오셨습니다: 아래에서 선택하세요.',
  'outcome.busy': '사용 중',
  'outcome.idle': '유휴',
  'outcome.no-metrics': 'GPU 지표 없음',
  'outcome.metrics-unavailable': 'GPU 지표를 읽을 수 없음',
  'outcome.no-samples': '표본 없음',
  'outcome.too-young': '확인 구간보다 짧은 임대',
  'outcome.kept': '유지됨',
  'outcome.exempt': '제외됨',
  'outcome.grace': '응답 대기 중',
  'outcome.nudged': '소유자에게 알림',
  'outcome.reclaimed': '회수됨',
};

export default showbackMessagesKo;
