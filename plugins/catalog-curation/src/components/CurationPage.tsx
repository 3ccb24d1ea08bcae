import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CurationProblem,
  CurationReport,
  DuplicateCandidate,
  FailedEntity,
  OrphanEntity,
  TeamCountsHistory,
  TeamCountsSnapshot,
  catalogCurationReadPermission,
} from '@internal/plugin-catalog-curation-common';
import { DisplayName, usePortalFormat } from '@internal/plugin-portal-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { catalogCurationApiRef } from '../api/CatalogCurationClient';
import { CurationTable } from './CurationTable';
import { useCurationT } from './useCurationT';

function TeamName(props: { team: string }) {
  const t = useCurationT();
  if (props.team === 'unowned') {
    return <>{t('team.unowned')}</>;
  }
  return (
    <EntityRefLink entityRef={props.team} defaultKind="group">
      <DisplayName entityRef={props.team} defaultKind="group" />
    </EntityRefLink>
  );
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

type ProblemRow = CurationProblem & { ruleTitle: string };

function Problems(props: { problems: CurationProblem[] }) {
  const t = useCurationT();
  const data: ProblemRow[] = props.problems.map(p => ({
    ...p,
    ruleTitle: t(`rules.${p.rule}`),
  }));
  return (
    <CurationTable<ProblemRow>
      testId="curation-problems"
      title={t('sections.byRule')}
      empty={t('empty.problems')}
      data={data}
      filters={[
        { column: t('columns.rule'), type: 'multiple-select' },
        { column: t('columns.team'), type: 'select' },
      ]}
      columns={[
        { title: t('columns.rule'), field: 'ruleTitle', defaultSort: 'asc' },
        {
          title: t('columns.entity'),
          field: 'entityRef',
          render: p => (
            <EntityRefLink entityRef={p.entityRef} title={p.title} />
          ),
        },
        {
          title: t('columns.team'),
          field: 'team',
          render: p => <TeamName team={p.team} />,
        },
        {
          title: t('columns.problem'),
          field: 'message',
          // The backend's text is English; the rule's explanation is in the
          // user's language, with the backend's text one hover away.
          render: p =>
            p.rule === 'processing-error' ? (
              p.message
            ) : (
              <span title={t('problems.details', { message: p.message })}>
                {t(`problems.${p.rule}`)}
              </span>
            ),
        },
      ]}
    />
  );
}

type TeamRow = {
  team: string;
  entities: number;
  problems: number;
  rules: string;
};

function ProblemsByTeam(props: { report: CurationReport }) {
  const t = useCurationT();
  const data: TeamRow[] = [...groupBy(props.report.problems, p => p.team)].map(
    ([team, problems]) => ({
      team,
      entities: props.report.entitiesPerTeam[team] ?? 0,
      problems: new Set(problems.map(p => p.entityRef)).size,
      rules: [...groupBy(problems, p => p.rule)]
        .map(([rule, list]) => `${t(`rules.${rule}`)} ${list.length}`)
        .join(', '),
    }),
  );
  return (
    <CurationTable<TeamRow>
      testId="curation-by-team"
      title={t('sections.byTeam')}
      empty={t('empty.problems')}
      data={data}
      columns={[
        {
          title: t('columns.team'),
          field: 'team',
          render: r => <TeamName team={r.team} />,
        },
        { title: t('columns.entities'), field: 'entities', type: 'numeric' },
        {
          title: t('columns.problems'),
          field: 'problems',
          type: 'numeric',
          defaultSort: 'desc',
        },
        { title: t('columns.rule'), field: 'rules' },
      ]}
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
    <CurationTable<OrphanEntity>
      testId="curation-orphans"
      title={t('sections.orphans')}
      empty={t('empty.orphans')}
      data={props.report.orphans}
      columns={[
        {
          title: t('columns.entity'),
          field: 'entityRef',
          defaultSort: 'asc',
          render: o => (
            <EntityRefLink entityRef={o.entityRef} title={o.title} />
          ),
        },
        {
          title: t('columns.team'),
          field: 'team',
          render: o => <TeamName team={o.team} />,
        },
        {
          title: t('columns.actions'),
          sorting: false,
          render: o => (
            <Button
              variant="outlined"
              color="secondary"
              size="small"
              disabled={busy !== undefined}
              onClick={() => unregister(o.entityRef)}
            >
              {t('orphans.unregister')}
            </Button>
          ),
        },
      ]}
    />
  );
}

type FailedRow = FailedEntity & { errorText: string };

function Failed(props: { report: CurationReport }) {
  const t = useCurationT();
  const data: FailedRow[] = props.report.failed.map(f => ({
    ...f,
    errorText: f.errors.map(e => e.message).join('; '),
  }));
  return (
    <CurationTable<FailedRow>
      testId="curation-failed"
      title={t('sections.failed')}
      empty={t('empty.failed')}
      data={data}
      columns={[
        { title: t('columns.entity'), field: 'entityRef', defaultSort: 'asc' },
        {
          title: t('columns.team'),
          field: 'team',
          render: f => <TeamName team={f.team} />,
        },
        { title: t('columns.errors'), field: 'errorText' },
      ]}
    />
  );
}

type DuplicateRow = DuplicateCandidate & { reasonTitle: string; refs: string };

function Duplicates(props: { report: CurationReport }) {
  const t = useCurationT();
  const data: DuplicateRow[] = props.report.duplicates.map(d => ({
    ...d,
    reasonTitle: t(`duplicates.${d.reason}`),
    refs: d.entityRefs.join(' '),
  }));
  return (
    <CurationTable<DuplicateRow>
      testId="curation-duplicates"
      title={t('sections.duplicates')}
      empty={t('empty.duplicates')}
      data={data}
      columns={[
        { title: t('columns.reason'), field: 'reasonTitle' },
        { title: t('columns.key'), field: 'key', defaultSort: 'asc' },
        {
          title: t('columns.entities'),
          field: 'refs',
          render: d => (
            <>
              {d.entityRefs.map(ref => (
                <div key={ref}>
                  <EntityRefLink entityRef={ref} />
                </div>
              ))}
            </>
          ),
        },
      ]}
    />
  );
}

function History(props: { history?: TeamCountsHistory }) {
  const t = useCurationT();
  const format = usePortalFormat();
  return (
    <CurationTable<TeamCountsSnapshot>
      testId="curation-history"
      title={t('sections.history')}
      empty={t('empty.history')}
      data={props.history?.snapshots ?? []}
      filters={[{ column: t('columns.team'), type: 'select' }]}
      columns={[
        {
          title: t('columns.day'),
          field: 'day',
          defaultSort: 'desc',
          render: s => format.date(`${s.day}T00:00:00Z`),
        },
        {
          title: t('columns.team'),
          field: 'team',
          render: s => <TeamName team={s.team} />,
        },
        { title: t('columns.entities'), field: 'entities', type: 'numeric' },
        { title: t('columns.problems'), field: 'problems', type: 'numeric' },
        { title: t('columns.orphans'), field: 'orphans', type: 'numeric' },
      ]}
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
    return (
      <ResponseErrorPanel
        error={state.error}
        title={t('page.error', { message: state.error.message })}
      />
    );
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
      <Grid item xs={12}>
        <Problems problems={report.problems} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <ProblemsByTeam report={report} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <Orphans report={report} onChange={state.retry} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <Failed report={report} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <Duplicates report={report} />
      </Grid>
      <Grid item xs={12}>
        <History history={history} />
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
      // Not WarningPanel: it prefixes the title with its severity in
      // English ("Info"), which no translation ref reaches.
      <InfoCard title={t('page.refused')}>
        <Typography variant="body1">{t('page.refusedDetail')}</Typography>
      </InfoCard>
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
