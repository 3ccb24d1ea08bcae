import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { PortalTable } from '@internal/plugin-portal-react';
import {
  ClusterDetails,
  NamespaceDetails,
  NodeDetails,
  ProblemPod,
  WarningEvent,
} from '@internal/plugin-cluster-status-common';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import LinearProgress from '@material-ui/core/LinearProgress';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import { useClusterData } from '../hooks/useClusterData';
import { clusterStatusTranslationRef } from '../translation';
import { ClusterCard } from './ClusterCard';
import { formatTime, percent } from './format';

const ALL = '__all__';

/** Condition label of a node for filtering: Ready, NotReady, MemoryPressure... */
function conditionLabels(node: NodeDetails): string[] {
  const labels = node.conditions
    .filter(c =>
      c.type === 'Ready' ? c.status !== 'True' : c.status === 'True',
    )
    .map(c => (c.type === 'Ready' ? 'NotReady' : c.type));
  if (node.unschedulable) {
    labels.push('Cordoned');
  }
  return labels.length > 0 ? labels : ['Ready'];
}

function NodesTable(props: { nodes: NodeDetails[] }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const [model, setModel] = useState(ALL);
  const [condition, setCondition] = useState(ALL);
  const models = useMemo(
    () =>
      [
        ...new Set(props.nodes.map(n => n.gpu?.product).filter(Boolean)),
      ].sort() as string[],
    [props.nodes],
  );
  const conditions = useMemo(
    () => [...new Set(props.nodes.flatMap(conditionLabels))].sort(),
    [props.nodes],
  );
  const rows = props.nodes
    .filter(n => model === ALL || n.gpu?.product === model)
    .filter(n => condition === ALL || conditionLabels(n).includes(condition))
    .map(n => ({
      ...n,
      id: n.name,
      gpuModel: n.gpu?.product ?? '',
      gpuAllocated: n.gpu
        ? n.gpu.devices.allocated +
          n.gpu.mig.reduce((s, m) => s + m.allocated, 0)
        : 0,
      conditionText: conditionLabels(n).join(', '),
    }));
  const columns: TableColumn<(typeof rows)[number]>[] = [
    { title: t('cluster.columns.name'), field: 'name', highlight: true },
    {
      title: t('cluster.columns.health'),
      field: 'health',
      render: r => t(`health.${r.health}`),
    },
    { title: t('cluster.columns.gpuModel'), field: 'gpuModel' },
    {
      title: t('cluster.columns.gpus'),
      field: 'gpuAllocated',
      render: r =>
        r.gpu
          ? `${r.gpu.devices.allocated}/${r.gpu.devices.total}${
              r.gpu.memoryMiB
                ? ` · ${Math.round(r.gpu.memoryMiB / 1024)} GiB`
                : ''
            }`
          : '-',
    },
    {
      title: t('cluster.columns.mig'),
      sorting: false,
      render: r =>
        r.gpu?.mig.length
          ? r.gpu.mig
              .map(m => `${m.profile}: ${m.allocated}/${m.total}`)
              .join(', ')
          : '-',
    },
    { title: t('cluster.columns.conditions'), field: 'conditionText' },
    {
      title: t('cluster.columns.taints'),
      sorting: false,
      render: r => r.taints.map(x => `${x.key}:${x.effect}`).join(', ') || '-',
    },
    { title: t('cluster.columns.pods'), field: 'pods', type: 'numeric' },
  ];
  return (
    <>
      <Box display="flex" style={{ gap: 16 }} mb={2}>
        <FormControl style={{ minWidth: 220 }}>
          <InputLabel id="gpu-model-filter">
            {t('cluster.filterModel')}
          </InputLabel>
          <Select
            labelId="gpu-model-filter"
            value={model}
            onChange={e => setModel(e.target.value as string)}
          >
            <MenuItem value={ALL}>{t('cluster.all')}</MenuItem>
            {models.map(m => (
              <MenuItem key={m} value={m}>
                {m}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl style={{ minWidth: 180 }}>
          <InputLabel id="condition-filter">
            {t('cluster.filterCondition')}
          </InputLabel>
          <Select
            labelId="condition-filter"
            value={condition}
            onChange={e => setCondition(e.target.value as string)}
          >
            <MenuItem value={ALL}>{t('cluster.all')}</MenuItem>
            {conditions.map(c => (
              <MenuItem key={c} value={c}>
                {c}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Box>
      <PortalTable
        title={t('cluster.nodes')}
        options={{
          paging: rows.length > 50,
          pageSize: 50,
          search: true,
          padding: 'dense',
        }}
        columns={columns}
        data={rows}
      />
    </>
  );
}

function QuotaBars(props: { ns: NamespaceDetails }) {
  return (
    <>
      {props.ns.quotas.map(q => (
        <Box key={q.resource} mb={0.5} minWidth={200}>
          <Typography variant="caption">
            {q.resource}: {q.used} / {q.hard}
          </Typography>
          <LinearProgress
            variant="determinate"
            color={
              q.ratio !== undefined && q.ratio >= 0.9 ? 'secondary' : 'primary'
            }
            value={q.ratio !== undefined ? percent(q.ratio, 1) : 0}
          />
        </Box>
      ))}
    </>
  );
}

function NamespacesTable(props: { details: ClusterDetails }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const { namespaces, hiddenNamespaces } = props.details;
  const columns: TableColumn<NamespaceDetails & { id: string }>[] = [
    { title: t('cluster.columns.name'), field: 'name', highlight: true },
    { title: t('cluster.columns.owner'), field: 'owner' },
    { title: t('cluster.columns.pods'), field: 'pods', type: 'numeric' },
    { title: 'GPU', field: 'gpuRequested', type: 'numeric' },
    {
      title: t('cluster.columns.quota'),
      sorting: false,
      render: r => <QuotaBars ns={r} />,
    },
  ];
  return (
    <>
      <PortalTable
        title={t('cluster.namespaces')}
        options={{ paging: false, search: true, padding: 'dense' }}
        columns={columns}
        data={namespaces.map(n => ({ ...n, id: n.name }))}
        emptyContent={
          <Box p={2}>
            <Typography>{t('cluster.noNamespaces')}</Typography>
          </Box>
        }
      />
      {hiddenNamespaces.count > 0 && (
        <Box mt={1}>
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="hidden-namespaces"
          >
            {t('cluster.hiddenNamespaces', {
              hidden: String(hiddenNamespaces.count),
              pods: String(hiddenNamespaces.pods),
              gpus: String(hiddenNamespaces.gpuRequested),
            })}
          </Typography>
        </Box>
      )}
    </>
  );
}

function ProblemPodsTable(props: { details: ClusterDetails }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const columns: TableColumn<ProblemPod & { id: string }>[] = [
    { title: t('cluster.columns.namespace'), field: 'namespace' },
    { title: t('cluster.columns.pod'), field: 'name', highlight: true },
    { title: t('cluster.columns.reason'), field: 'reason' },
    { title: t('cluster.columns.message'), field: 'message' },
    {
      title: t('cluster.columns.restarts'),
      field: 'restarts',
      type: 'numeric',
    },
  ];
  return (
    <>
      <PortalTable
        title={t('cluster.problemPods')}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={props.details.problemPods.map(p => ({
          ...p,
          id: `${p.namespace}/${p.name}`,
        }))}
        emptyContent={
          <Box p={2}>
            <Typography>{t('cluster.noProblemPods')}</Typography>
          </Box>
        }
      />
      {props.details.hiddenProblemPods > 0 && (
        <Typography variant="body2" color="textSecondary">
          {t('cluster.hiddenItems', {
            hidden: String(props.details.hiddenProblemPods),
          })}
        </Typography>
      )}
    </>
  );
}

function EventsTable(props: { details: ClusterDetails }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const columns: TableColumn<WarningEvent & { id: string }>[] = [
    {
      title: t('cluster.columns.object'),
      render: e =>
        `${e.involvedObject.kind ?? ''} ${
          e.namespace ? `${e.namespace}/` : ''
        }${e.involvedObject.name ?? ''}`,
    },
    { title: t('cluster.columns.reason'), field: 'reason' },
    { title: t('cluster.columns.message'), field: 'message' },
    { title: t('cluster.columns.count'), field: 'count', type: 'numeric' },
    {
      title: t('cluster.columns.last'),
      field: 'lastTimestamp',
      render: e => formatTime(e.lastTimestamp, '-'),
    },
  ];
  return (
    <>
      <PortalTable
        title={t('cluster.events')}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={props.details.warningEvents.map((e, i) => ({
          ...e,
          id: String(i),
        }))}
        emptyContent={
          <Box p={2}>
            <Typography>{t('cluster.noEvents')}</Typography>
          </Box>
        }
      />
      {props.details.hiddenWarningEvents > 0 && (
        <Typography variant="body2" color="textSecondary">
          {t('cluster.hiddenItems', {
            hidden: String(props.details.hiddenWarningEvents),
          })}
        </Typography>
      )}
    </>
  );
}

/** Everything about one cluster; used by the cluster page and the entity tab. */
export function ClusterDetailsView(props: { name: string }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const { value, loading, error } = useClusterData(
    api => api.getCluster(props.name),
    [props.name],
    props.name,
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    if (
      (error as Error).name === 'NotFoundError' ||
      (error as any).response?.status === 404
    ) {
      return <EmptyState missing="data" title={t('cluster.notFound')} />;
    }
    return <ResponseErrorPanel title={t('error.title')} error={error} />;
  }
  if (!value) {
    return <EmptyState missing="data" title={t('cluster.notFound')} />;
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ClusterCard cluster={value} />
      </Grid>
      <Grid item xs={12}>
        <NodesTable nodes={value.nodeDetails} />
      </Grid>
      <Grid item xs={12}>
        <ProblemPodsTable details={value} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <NamespacesTable details={value} />
      </Grid>
      <Grid item xs={12} lg={6}>
        <EventsTable details={value} />
      </Grid>
    </Grid>
  );
}

/** Compact view for entity overview pages. */
export function ClusterSummaryCard(props: { name: string }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const { value, loading, error } = useClusterData(
    api => api.listClusters(),
    [],
    props.name,
  );
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel title={t('error.title')} error={error} />;
  }
  const cluster = value?.find(c => c.name === props.name);
  if (!cluster) {
    return (
      <InfoCard title={t('entity.cardTitle')}>
        <Typography>{t('cluster.notFound')}</Typography>
      </InfoCard>
    );
  }
  return <ClusterCard cluster={cluster} />;
}
