import {
  Sidebar,
  SidebarDivider,
  SidebarGroup,
  SidebarItem,
  SidebarScrollWrapper,
  SidebarSpace,
} from '@backstage/core-components';
import { NavContentBlueprint } from '@backstage/plugin-app-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import MenuIcon from '@material-ui/icons/Menu';
import SearchIcon from '@material-ui/icons/Search';
import { SidebarSearchModal } from '@backstage/plugin-search';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';
import { portalTranslationRef } from '../../translations';
import { SidebarLogo } from './SidebarLogo';

/** Nav items whose titles the portal translates, by page extension id. */
const translatedTitles = {
  'page:home': 'nav.home',
  'page:catalog': 'nav.catalog',
  'page:api-docs': 'nav.apis',
  'page:techdocs': 'nav.docs',
  'page:scaffolder': 'nav.create',
  'page:cluster-status': 'nav.clusters',
  'page:gpu-pool': 'nav.gpuPool',
  'page:gpu-pool/showback': 'nav.gpuShowback',
  'page:catalog-curation': 'nav.curation',
  'page:catalog-graph': 'nav.catalogGraph',
  'page:catalog-import': 'nav.register',
  'page:user-settings': 'nav.settings',
} as const;

export const SidebarContent = NavContentBlueprint.make({
  params: {
    component: ({ navItems }) => {
      // eslint-disable-next-line react-hooks/rules-of-hooks
      const { t } = useTranslationRef(portalTranslationRef);
      const nav = navItems.withComponent(item => {
        const key =
          translatedTitles[item.node.spec.id as keyof typeof translatedTitles];
        return (
          <SidebarItem
            icon={() => item.icon}
            to={item.href}
            text={key ? t(key) : item.title}
          />
        );
      });

      // The search modal and the notifications item replace their pages.
      nav.take('page:search');
      nav.take('page:notifications');

      return (
        <Sidebar>
          <SidebarLogo />
          <SidebarGroup
            label={t('nav.search')}
            icon={<SearchIcon />}
            to="/search"
          >
            <SidebarSearchModal />
          </SidebarGroup>
          <SidebarDivider />
          <SidebarGroup label={t('nav.menu')} icon={<MenuIcon />}>
            {nav.take('page:home')}
            {nav.take('page:catalog')}
            {nav.take('page:api-docs')}
            {nav.take('page:techdocs')}
            {nav.take('page:scaffolder')}
            <SidebarDivider />
            {nav.take('page:gpu-pool')}
            {nav.take('page:gpu-pool/showback')}
            {nav.take('page:cluster-status')}
            {nav.take('page:catalog-curation')}
            <SidebarDivider />
            <SidebarScrollWrapper>
              {nav.rest({ sortBy: 'title' })}
            </SidebarScrollWrapper>
          </SidebarGroup>
          <SidebarSpace />
          <SidebarDivider />
          <NotificationsSidebarItem text={t('nav.notifications')} />
          <SidebarDivider />
          <SidebarGroup
            label={t('nav.settings')}
            icon={<UserSettingsSignInAvatar />}
            to="/settings"
          >
            {nav.take('page:user-settings')}
          </SidebarGroup>
        </Sidebar>
      );
    },
  },
});
