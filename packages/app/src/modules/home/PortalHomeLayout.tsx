import { cloneElement, ReactElement } from 'react';
import { Content } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import type { HomePageLayoutProps } from '@backstage/plugin-home-react/alpha';
import { VisitDisplayProvider } from '@backstage/plugin-home';
import { parseEntityRef } from '@backstage/catalog-model';
import { gpuPoolRequestApprovePermission } from '@internal/plugin-gpu-pool-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { portalTranslationRef } from '../../translations';
import { ApprovalsCard } from './cards/ApprovalsCard';
import { ClusterProblemsCard } from './cards/ClusterProblemsCard';
import { CurationCountsCard } from './cards/CurationCountsCard';
import { GoldenPathsCard } from './cards/GoldenPathsCard';
import { ServiceProblemsCard } from './cards/ServiceProblemsCard';
import { TeamGpuCard } from './cards/TeamGpuCard';
import { VisitsCard } from './cards/VisitsCard';

/** Upstream widgets whose (English-only) titles the portal translates. */
const widgetTitles = {
  HomePageStarredEntities: 'home.widgets.starred',
  HomePageRecentlyVisited: 'home.widgets.recentlyVisited',
  HomePageMostVisited: 'home.widgets.mostVisited',
  HomePageTopVisited: 'home.widgets.mostVisited',
} as const;

/**
 * The home plugin's visit widgets, shown by the portal's own card (see
 * VisitsCard) under the same names, so `defaultConfig` keeps naming them.
 */
const visitWidgets = {
  HomePageRecentlyVisited: 'recent',
  HomePageMostVisited: 'top',
  HomePageTopVisited: 'top',
} as const;

const visitKinds = [
  'component',
  'api',
  'system',
  'domain',
  'resource',
  'group',
  'user',
  'template',
] as const;

/** The kind of a visited entity, or `other` for pages that are not entities. */
function visitKind(entityRef?: string): (typeof visitKinds)[number] | 'other' {
  try {
    const kind = parseEntityRef(entityRef ?? '').kind.toLowerCase();
    return visitKinds.find(k => k === kind) ?? 'other';
  } catch {
    return 'other';
  }
}

/**
 * The home page by role: what the user's team needs (GPUs and jobs, the
 * problems of its services, the golden paths), what the platform team must
 * act on (approvals, clusters with problems, curation counts) for those the
 * policy lets approve GPU requests, then the configured widgets (welcome,
 * starred, recently visited) in the order and widths of `defaultConfig`.
 */
export function PortalHomeLayout(props: HomePageLayoutProps) {
  const { t } = useTranslationRef(portalTranslationRef);
  const platform = usePermission({
    permission: gpuPoolRequestApprovePermission,
  });
  const placed = [...(props.defaultConfig ?? [])].sort(
    (a, b) => a.row - b.row || a.column - b.column,
  );
  const widgets = placed.flatMap(item => {
    const widget = props.widgets.find(w => w.name === item.component);
    if (!widget) {
      return [];
    }
    const key = widgetTitles[item.component as keyof typeof widgetTitles];
    const visits = visitWidgets[item.component as keyof typeof visitWidgets];
    let component = widget.component;
    if (key && visits) {
      component = <VisitsCard kind={visits} title={t(key)} />;
    } else if (key) {
      component = cloneElement(
        widget.component as ReactElement<{ title?: string }>,
        { title: t(key) },
      );
    }
    return [{ name: item.component, width: item.width, component }];
  });
  const [welcome, ...rest] = widgets;
  return (
    <VisitDisplayProvider
      getLabel={visit => t(`home.visitKinds.${visitKind(visit.entityRef)}`)}
    >
      <Content>
        <Grid container spacing={3}>
          {welcome && (
            <Grid item xs={12} data-testid={`home-widget-${welcome.name}`}>
              {welcome.component}
            </Grid>
          )}
          {!platform.loading && platform.allowed && (
            <>
              <Grid item xs={12}>
                <Typography variant="h5" component="h2">
                  {t('home.platform.title')}
                </Typography>
              </Grid>
              <Grid item xs={12} md={4}>
                <ApprovalsCard />
              </Grid>
              <Grid item xs={12} md={4}>
                <ClusterProblemsCard />
              </Grid>
              <Grid item xs={12} md={4}>
                <CurationCountsCard />
              </Grid>
            </>
          )}
          <Grid item xs={12}>
            <Typography variant="h5" component="h2">
              {t('home.developer.title')}
            </Typography>
          </Grid>
          <Grid item xs={12} md={4}>
            <TeamGpuCard />
          </Grid>
          <Grid item xs={12} md={4}>
            <ServiceProblemsCard />
          </Grid>
          <Grid item xs={12} md={4}>
            <GoldenPathsCard />
          </Grid>
          {rest.map(w => (
            <Grid
              item
              xs={12}
              md={Math.min(12, Math.max(1, w.width)) as 12}
              key={w.name}
              data-testid={`home-widget-${w.name}`}
            >
              {w.component}
            </Grid>
          ))}
        </Grid>
      </Content>
    </VisitDisplayProvider>
  );
}
