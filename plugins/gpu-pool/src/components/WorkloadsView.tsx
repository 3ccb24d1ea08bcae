import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EmptyState,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import MuiTable from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  GPU_POOL_WORKLOADS_CHANNEL,
  GpuWorkload,
  GpuWorkloadState,
} from '@internal/plugin-gpu-pool-common';
import {
  PortalTable,
  useDisplayName,
  usePortalFormat,
} from '@internal/plugin-portal-react';
import { gpuPoolApiRef } from '../api/GpuPoolApi';
import { gpuPoolTranslationRef } from '../translation';
import { useLive } from './common';

/** A row: the workload plus its state in words, which the filters list. */
type Row = GpuWorkload & { id: string; stateLabel: string };

const stateColors: Partial<
  Record<GpuWorkloadState, 'primary' | 'secondary' | 'default'>
> = { running: 'primary', admitted: 'primary', evicted: 'secondary' };

/** The order a job is followed in, for sorting. */
const lifecycle: GpuWorkloadState[] = [
  'pending',
  'admitted',
  'running',
  'finished',
];

function stateRank(state: GpuWorkloadState) {
  const i = lifecycle.indexOf(state);
  return i === -1 ? 0 : i;
}

/** A workload's state as a chip, in the user's language. */
export function WorkloadStateChip({ workload }: { workload: GpuWorkload }) {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  return (
    <Chip
      size="small"
      color={stateColors[workload.state] ?? 'default'}
      label={t(`workloadState.${workload.state}` as 'workloadState.pending')}
      data-job={workload.job?.name ?? workload.name}
      data-state={workload.state}
    />
  );
}

function TeamName({ team }: { team: string }) {
  return <>{useDisplayName(team)}</>;
}

function gpusText(w: GpuWorkload) {
  return Object.entries(w.gpus)
    .map(([resource, count]) => {
      const flavor = w.flavors[resource];
      return `${count} × ${resource}${flavor ? ` (${flavor})` : ''}`;
    })
    .join(', ');
}

/** When a job starts, or ends, relative to now in the portal's language. */
function Timing({ workload: w }: { workload: GpuWorkload }) {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const format = usePortalFormat();
  let text = '';
  if (w.state === 'finished' && w.finishedAt) {
    text = t('jobs.finishedAt', { time: format.relativeTime(w.finishedAt) });
  } else if (w.state === 'running' || w.state === 'admitted') {
    if (w.expectedEnd) {
      text = t('jobs.expectedEnd', {
        time: format.relativeTime(w.expectedEnd),
      });
    } else if (w.admittedAt) {
      text = t('jobs.admittedAt', { time: format.relativeTime(w.admittedAt) });
    }
  } else if (w.state === 'pending' || w.state === 'evicted') {
    text = w.estimatedStart
      ? t('jobs.estimatedStart', {
          time: format.relativeTime(w.estimatedStart),
        })
      : t('jobs.startUnknown');
  }
  return <>{text || '—'}</>;
}

/**
 * The reason as a disclosure: opened (mouse or keyboard, a native
 * `<details>`), it lists the Workload's Kueue conditions. Native, so a live
 * reload of the list does not close it.
 */
function Reason({ workload: w }: { workload: GpuWorkload }) {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const format = usePortalFormat();
  const summary = [w.reason, w.message].filter(Boolean).join(': ') || '—';
  if (w.conditions.length === 0) return <>{summary}</>;
  return (
    <details data-testid={`conditions-${w.name}`}>
      <summary>{summary}</summary>
      <MuiTable size="small" aria-label={t('jobs.conditions')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('jobs.conditions')}</TableCell>
            <TableCell>{t('jobs.reason')}</TableCell>
            <TableCell>{t('jobs.conditionTime')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {w.conditions.map(c => (
            <TableRow key={c.type}>
              <TableCell>{`${c.type}=${c.status}`}</TableCell>
              <TableCell>
                {[c.reason, c.message].filter(Boolean).join(': ')}
              </TableCell>
              <TableCell>
                {c.lastTransitionTime
                  ? format.dateTime(c.lastTransitionTime)
                  : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </MuiTable>
    </details>
  );
}

/**
 * The developer's job page: every Kueue workload of the user's teams with
 * its state, queue position, reason and estimated start, reloaded when the
 * backend signals a change (`gpu-pool:workloads`) so a job can be followed
 * from queued to finished without reloading.
 */
export function WorkloadsView() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const api = useApi(gpuPoolApiRef);
  const state = useLive(() => api.listWorkloads(), [], {
    channel: GPU_POOL_WORKLOADS_CHANNEL,
    // Signals can be missed; while a job is about to move, poll as well.
    pollWhile: list =>
      list.items.some(w => w.state === 'admitted' || w.state === 'running'),
  });
  if (state.error && !state.value) {
    return <ResponseErrorPanel error={state.error} />;
  }
  const items = state.value?.items ?? [];
  const errors = state.value?.errors ?? [];
  const rows: Row[] = items.map(w => ({
    ...w,
    id: `${w.cluster}/${w.namespace}/${w.name}`,
    stateLabel: t(`workloadState.${w.state}` as 'workloadState.pending'),
  }));
  const columns: TableColumn<Row>[] = [
    {
      title: t('jobs.job'),
      field: 'name',
      highlight: true,
      customFilterAndSearch: (query, w) =>
        `${w.job?.name ?? ''} ${w.name} ${w.namespace}`.includes(query),
      render: w => (
        <>
          <Typography variant="body2">{w.job?.name ?? w.name}</Typography>
          <Typography variant="caption" color="textSecondary">
            {`${w.namespace} · ${w.name}`}
          </Typography>
        </>
      ),
    },
    { title: t('jobs.cluster'), field: 'cluster' },
    {
      title: t('jobs.team'),
      field: 'team',
      render: w => <TeamName team={w.team} />,
    },
    {
      title: t('jobs.state'),
      field: 'stateLabel',
      customSort: (a, b) => stateRank(a.state) - stateRank(b.state),
      render: w => <WorkloadStateChip workload={w} />,
    },
    {
      title: t('jobs.position'),
      field: 'positionInLocalQueue',
      type: 'numeric',
      render: w =>
        w.positionInLocalQueue === undefined ? (
          '—'
        ) : (
          <span data-testid={`position-${w.name}`}>
            {t('jobs.positionValue', {
              local: String(w.positionInLocalQueue + 1),
              cluster: String((w.positionInClusterQueue ?? 0) + 1),
            })}
          </span>
        ),
    },
    {
      title: t('jobs.gpus'),
      field: 'gpus',
      sorting: false,
      render: w => gpusText(w) || '—',
    },
    {
      title: t('jobs.timing'),
      field: 'estimatedStart',
      customSort: (a, b) =>
        (a.estimatedStart ?? a.expectedEnd ?? '').localeCompare(
          b.estimatedStart ?? b.expectedEnd ?? '',
        ),
      render: w => <Timing workload={w} />,
    },
    {
      title: t('jobs.reason'),
      field: 'reason',
      render: w => <Reason workload={w} />,
    },
  ];
  return (
    <>
      {errors.length > 0 && (
        <Alert severity="warning" data-testid="cluster-errors">
          {t('jobs.clusterErrors', {
            clusters: errors.map(e => e.cluster).join(', '),
          })}
        </Alert>
      )}
      <PortalTable<Row>
        title={t('jobs.title')}
        subtitle={t('jobs.subtitle')}
        isLoading={state.loading && !state.value}
        columns={columns}
        data={rows}
        options={{
          draggable: false,
          paging: items.length > 20,
          pageSize: 20,
          search: true,
          filtering: false,
          padding: 'dense',
        }}
        filters={[
          { column: t('jobs.state'), type: 'multiple-select' },
          { column: t('jobs.cluster'), type: 'select' },
        ]}
        emptyContent={<EmptyState missing="data" title={t('jobs.empty')} />}
      />
    </>
  );
}
