/**
 * Korean words around formatted times (flattened keys of
 * `portalReactTranslationRef`; a plain object because the ref loads it, and
 * the test checks that every key is covered).
 */
const portalReactMessagesKo = {
  'time.left': '{{duration}} 남음',
  'time.expired': '{{time}} 만료됨',
  'table.search': '검색',
  'table.clearSearch': '검색어 지우기',
  'table.filterAll': '전체',
};
export default portalReactMessagesKo;
