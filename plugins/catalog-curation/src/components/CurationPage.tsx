import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CurationProblem,
  CurationReport,
  TeamCountsHistory,
  catalogCurationReadPermission,
} from '@internal/plugin-catalog-curation-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { catalogCurationApiRef } from '../api/CatalogCurationClient';
import { SimpleTable } from './SimpleTable';
import { useCurationT } from './useCurationT';

function TeamName(props: { team: string }) {
  const t = useCurationT();
  if (props.team === 'unowned') {
    return <>{t('team.unowned')}</>;
  }
  return <EntityRefLink entityRef={props.team} defaultKind="group" />;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function ProblemsByRule(props: { problems: CurationProblem[] }) {
  const t = useCurationT();
  const groups = [...groupBy(props.problems, p => p.rule)].sort(
    ([, a], [, b]) => b.length - a.length,
  );
  if (groups.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('empty.problems')}
      </Typography>
    );
  }
  return (
    <>
      {groups.map(([rule, problems]) => (
        <div key={rule} data-testid={`rule-${rule}`}>
          <Typography variant="subtitle1">
            {t(`rules.${rule}`)} ({problems.length})
          </Typography>
          <SimpleTable
            label={t(`rules.${rule}`)}
            columns={[t('columns.entity'), t('columns.team'), t('columns.problem')]}
            empty={t('empty.problems')}
            rows={problems.map((p, i) => ({
              key: `${p.entityRef}-${i}`,
              cells: [
                <EntityRefLink entityRef={p.entityRef} title={p.title} />,
                <TeamName team={p.team} />,
                p.message,
              ],
            }))}
          />
        </div>
      ))}
    </>
  );
}

function ProblemsByTeam(props: { report: CurationReport }) {
  const t = useCurationT();
  const teams = [...groupBy(props.report.problems, p => p.team)].sort(
    ([a], [b]) => a.localeCompare(b),
  );
  return (
    <SimpleTable
      label={t('sections.byTeam')}
      columns={[
        t('columns.team'),
        t('columns.entities'),
        t('columns.problems'),
        t('columns.rule'),
      ]}
      empty={t('empty.problems')}
      rows={teams.map(([team, problems]) => {
        const rules = [...groupBy(problems, p => p.rule)]
          .map(([rule, list]) => `${t(`rules.${rule}`)} ${list.length}`)
          .join(', ');
        return {
          key: team,
          cells: [
            <TeamName team={team} />,
            props.report.entitiesPerTeam[team] ?? 0,
            new Set(problems.map(p => p.entityRef)).size,
            rules,
          ],
        };
      })}
    />
  );
}

function Orphans(props: { report: CurationReport; onChange: () => void }) {
  const t = useCurationT();
  const api = useApi(catalogCurationApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState<string>();
  const unregister = async (entityRef: string) => {
    setBusy(entityRef);
    try {
      await api.unregisterOrphan(entityRef);
      alertApi.post({
        message: t('orphans.unregistered', { entity: entityRef }),
        severity: 'success',
        display: 'transient',
      });
      props.onChange();
    } catch (error) {
      alertApi.post({
        message: t('orphans.failed', { message: (error as Error).message }),
        severity: 'error',
      });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <SimpleTable
      label={t('sections.orphans')}
      columns={[t('columns.entity'), t('columns.team'), t('columns.actions')]}
      empty={t('empty.orphans')}
      rows={props.report.orphans.map(o => ({
        key: o.entityRef,
        cells: [
          <EntityRefLink entityRef={o.entityRef} title={o.title} />,
          <TeamName team={o.team} />,
          <Button
            variant="outlined"
            color="secondary"
            size="small"
            disabled={busy !== undefined}
            onClick={() => unregister(o.entityRef)}
          >
            {t('orphans.unregister')}
          </Button>,
        ],
      }))}
    />
  );
}

function History(props: { history?: TeamCountsHistory }) {
  const t = useCurationT();
  const snapshots = [...(props.history?.snapshots ?? [])].reverse();
  return (
    <SimpleTable
      label={t('sections.history')}
      columns={[
        t('columns.day'),
        t('columns.team'),
        t('columns.entities'),
        t('columns.problems'),
        t('columns.orphans'),
      ]}
      empty={t('empty.history')}
      rows={snapshots.map(s => ({
        key: `${s.day}-${s.team}`,
        cells: [s.day, <TeamName team={s.team} />, s.entities, s.problems, s.orphans],
      }))}
    />
  );
}

/** The report itself, for callers the policy allows. */
export function CurationReportView() {
  const t = useCurationT();
  const api = useApi(catalogCurationApiRef);
  const state = useAsyncRetry(
    async () =>
      Promise.all([api.getReport(), api.getHistory(30)]).then(
        ([report, history]) => ({ report, history }),
      ),
    [api],
  );
  if (state.loading && !state.value) {
    return <Progress />;
  }
  if (state.error) {
    return <ResponseErrorPanel error={state.error} title={t('page.error', { message: state.error.message })} />;
  }
  if (!state.value) {
    return null;
  }
  const { report, history } = state.value;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Typography variant="body1" data-testid="curation-summary">
          {t('page.summary', {
            entities: report.entityCount,
            problems: report.problems.length,
            orphans: report.orphans.length,
            failed: report.failed.length,
          })}
        </Typography>
      </Grid>
      <Grid item xs={12} lg={7}>
        <InfoCard title={t('sections.byRule')}>
          <ProblemsByRule problems={report.problems} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={5}>
        <InfoCard title={t('sections.byTeam')}>
          <ProblemsByTeam report={report} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('sections.orphans')}>
          <Orphans report={report} onChange={state.retry} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('sections.failed')}>
          <SimpleTable
            label={t('sections.failed')}
            columns={[t('columns.entity'), t('columns.team'), t('columns.errors')]}
            empty={t('empty.failed')}
            rows={report.failed.map(f => ({
              key: f.entityId,
              cells: [
                f.entityRef,
                <TeamName team={f.team} />,
                f.errors.map(e => e.message).join('; '),
              ],
            }))}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('sections.duplicates')}>
          <SimpleTable
            label={t('sections.duplicates')}
            columns={[t('columns.reason'), t('columns.key'), t('columns.entities')]}
            empty={t('empty.duplicates')}
            rows={report.duplicates.map(d => ({
              key: `${d.reason}-${d.key}`,
              cells: [
                t(`duplicates.${d.reason}`),
                d.key,
                <>
                  {d.entityRefs.map(ref => (
                    <div key={ref}>
                      <EntityRefLink entityRef={ref} />
                    </div>
                  ))}
                </>,
              ],
            }))}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('sections.history')}>
          <History history={history} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * The curation page: the report for the platform team, a refusal for
 * everyone else (the backend refuses them too).
 */
export function CurationPage() {
  const t = useCurationT();
  const { loading, allowed } = usePermission({
    permission: catalogCurationReadPermission,
  });
  let body;
  if (loading) {
    body = <Progress />;
  } else if (!allowed) {
    body = (
      <WarningPanel severity="info" title={t('page.refused')}>
        {t('page.refusedDetail')}
      </WarningPanel>
    );
  } else {
    body = <CurationReportView />;
  }
  return (
    <Page themeId="tool">
      <Header title={t('page.title')} subtitle={t('page.subtitle')} />
      <Content>{body}</Content>
    </Page>
  );
}
