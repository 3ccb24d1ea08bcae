import { useMemo } from 'react';
import {
  BreadcrumbEntry,
  PageLayoutProps,
  PageLayoutTab,
  RouterLink,
  coreApis,
  useApi,
  useAppLocation,
  useAppNode,
  useBreadcrumbEntries,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { PluginHeader } from '@backstage/ui';
import { makeStyles } from '@material-ui/core/styles';
import { portalTranslationRef } from '../../translations/portalTranslationRef';

// BUI's PluginHeader variables and tab look (Tabs.module.css), outside its
// `@layer components`, so these win over the header's own values.
const useStyles = makeStyles({
  headerWithNav: {
    '--bui-plugin-header-margin-bottom': '0',
    '--bui-plugin-header-toolbar-border-bottom': 'none',
    '--bui-plugin-header-toolbar-padding-bottom': 'var(--bui-space-1)',
  },
  nav: {
    marginInline: 'var(--bui-space-5)',
    marginBottom: 'var(--bui-space-6)',
    borderBottom: '1px solid var(--bui-border-1)',
  },
  list: {
    display: 'flex',
    flexDirection: 'row',
    flexWrap: 'wrap',
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  link: {
    position: 'relative',
    display: 'flex',
    alignItems: 'center',
    gap: 'var(--bui-space-1)',
    height: 36,
    paddingInline: 'var(--bui-space-2)',
    fontFamily: 'var(--bui-font-regular)',
    fontSize: 'var(--bui-font-size-3)',
    fontWeight: 'var(--bui-font-weight-regular)' as any,
    lineHeight: 1.15,
    color: 'var(--bui-fg-secondary)',
    textDecoration: 'none',
    borderRadius: 4,
    '&:hover': { backgroundColor: 'var(--bui-bg-neutral-2)' },
    '&:focus-visible': {
      outline: '2px solid var(--bui-ring)',
      outlineOffset: -2,
    },
    '&[aria-current="page"]': { color: 'var(--bui-fg-primary)' },
    '&[aria-current="page"]::after': {
      content: '""',
      position: 'absolute',
      left: 'var(--bui-space-2)',
      right: 'var(--bui-space-2)',
      bottom: -1,
      height: 1,
      backgroundColor: 'var(--bui-fg-primary)',
      borderRadius: 4,
    },
  },
});

function trimTrailingSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}

/**
 * The sub-page the location is in: the tab whose path is the location or a
 * prefix of it (as the header's tabs match with `matchStrategy: 'prefix'`),
 * the longest when several are.
 */
export function activeTabId(
  tabs: PageLayoutTab[],
  pathname: string,
): string | undefined {
  const current = trimTrailingSlashes(pathname);
  let active: { id: string; length: number } | undefined;
  for (const tab of tabs) {
    const href = trimTrailingSlashes(tab.href);
    const matches = current === href || current.startsWith(`${href}/`);
    if (matches && (!active || href.length > active.length)) {
      active = { id: tab.id, length: href.length };
    }
  }
  return active?.id;
}

/**
 * The page layout of every page: what plugin-app's `core-page-layout`
 * renders (breadcrumb entry, Backstage UI's PluginHeader with title, icon,
 * title link, breadcrumbs and header actions), with sub-pages as a
 * navigation landmark of links, the current one marked
 * `aria-current="page"`. The header's own tabs are ARIA tabs whose
 * `aria-controls` names a tab panel nobody renders (axe:
 * aria-valid-attr-value); sub-pages are pages, so they are links.
 */
export function PortalPageLayout(props: PageLayoutProps) {
  const { title, icon, noHeader, titleLink, headerActions, tabs, children } =
    props;
  const { t } = useTranslationRef(portalTranslationRef);
  const classes = useStyles();
  const { pathname } = useAppLocation();
  const node = useAppNode();
  const routeResolution = useApi(coreApis.routeResolution);
  const pageMount = routeResolution
    .resolvePath({ pathname, node })
    .matches.at(-1);
  const parentPath = trimTrailingSlashes(pageMount?.basePath ?? '');
  const breadcrumbHref = titleLink ? titleLink : parentPath || '/';
  const { items: breadcrumbs } = useBreadcrumbEntries();
  const active = useMemo(
    () => (tabs ? activeTabId(tabs, pathname) : undefined),
    [tabs, pathname],
  );

  if (noHeader) {
    return <>{children}</>;
  }
  const hasTabs = !!tabs && tabs.length > 0;
  return (
    <BreadcrumbEntry
      entry={title ? { label: title, href: breadcrumbHref } : undefined}
    >
      <PluginHeader
        title={title}
        icon={icon}
        titleLink={titleLink}
        breadcrumbs={breadcrumbs}
        customActions={headerActions}
        className={hasTabs ? classes.headerWithNav : undefined}
      />
      {hasTabs && (
        <nav
          className={classes.nav}
          aria-label={
            title
              ? t('pageLayout.subPagesOf', { title })
              : t('pageLayout.subPages')
          }
        >
          <ul className={classes.list}>
            {tabs.map(tab => (
              <li key={tab.id}>
                <RouterLink
                  href={tab.href}
                  className={classes.link}
                  aria-current={tab.id === active ? 'page' : undefined}
                >
                  {tab.icon && <span aria-hidden="true">{tab.icon}</span>}
                  {tab.label}
                </RouterLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {children}
    </BreadcrumbEntry>
  );
}
