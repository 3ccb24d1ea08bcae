import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { orgTranslationRef } from '@backstage/plugin-org';

/** Korean for team and people pages: profiles, members, ownership. */
const orgMessagesKo = createTranslationMessages({
  ref: orgTranslationRef,
  full: true,
  messages: {
    'groupProfileCard.groupNotFound': '그룹을 찾을 수 없습니다',
    'groupProfileCard.editIconButtonTitle': '메타데이터 편집',
    'groupProfileCard.refreshIconButtonTitle': '엔티티 새로 고침 예약',
    'groupProfileCard.refreshIconButtonAriaLabel': '새로 고침',
    'groupProfileCard.listItemTitle.entityRef': '엔티티 참조',
    'groupProfileCard.listItemTitle.email': '이메일',
    'groupProfileCard.listItemTitle.parentGroup': '상위 그룹',
    'groupProfileCard.listItemTitle.childGroups': '하위 그룹',
    'membersListCard.cardLabel': '{{memberName}}의 사용자 페이지',
    'membersListCard.title': '{{groupName}} 구성원',
    'membersListCard.noMembersDescription': '이 그룹에는 구성원이 없습니다.',
    'membersListCard.noSearchResult':
      '"{{searchTerm}}"에 맞는 구성원이 없습니다.',
    'membersListCard.aggregateMembersToggle.label': '하위 그룹 포함',
    'ownershipCard.title': '소유',
    'ownershipCard.aggregateRelationsToggle.label': '간접 소유 포함',
    'userProfileCard.userNotFound': '사용자를 찾을 수 없습니다',
    'userProfileCard.editIconButtonTitle': '메타데이터 편집',
    'userProfileCard.listItemTitle.email': '이메일',
    'userProfileCard.listItemTitle.memberOf': '소속',
    'userProfileCard.moreGroupButtonTitle': '...더 보기 ({{number}})',
    'userProfileCard.allGroupDialog.title': '{{name}}의 모든 그룹:',
    'userProfileCard.allGroupDialog.closeButtonTitle': '닫기',
  },
});
export default orgMessagesKo;
