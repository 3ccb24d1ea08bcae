import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ClusterSummary } from '@internal/plugin-cluster-status-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { clusterStatusTranslationRef } from '../translation';
import { formatBytes, formatCores, formatTime } from './format';
import { GpuActivityPanel } from './GpuActivityPanel';
import { GpuBars } from './GpuBars';
import { NodeGrid } from './NodeGrid';
import { StatusChip } from './StatusChip';

/** One cluster on the fleet page. */
export function ClusterCard(props: {
  cluster: ClusterSummary;
  detailsLink?: string;
}) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const c = props.cluster;
  const down = c.status === 'unreachable' || c.status === 'authentication-failed';
  return (
    <InfoCard
      title={c.title}
      subheader={
        <Box display="flex" style={{ gap: 16 }} alignItems="center">
          <StatusChip status={c.status} />
          <Typography variant="body2" color="textSecondary">
            {c.name} · {t('summary.version')} {c.version ?? '-'}
          </Typography>
        </Box>
      }
      deepLink={
        props.detailsLink
          ? { title: t('summary.open'), link: props.detailsLink }
          : undefined
      }
    >
      <div data-testid={`cluster-card-${c.name}`} data-status={c.status}>
        {down && (
          <Alert severity={c.status === 'unreachable' ? 'error' : 'warning'}>
            {t(`status.${c.status}`)}
            {c.error ? `: ${c.error}` : ''}. {t('summary.lastContact')}:{' '}
            {formatTime(c.lastContact, t('summary.never'))}.{' '}
            {c.nodes.total > 0 ? t('summary.staleData') : ''}
          </Alert>
        )}
        <Box display="flex" flexWrap="wrap" style={{ gap: 24 }} my={1}>
          <Typography variant="body2">
            <b>{t('summary.nodes')}</b> {c.nodes.total} ({c.nodes.ready}{' '}
            {t('summary.ready')}, {c.nodes.notReady} {t('summary.notReady')},{' '}
            {c.nodes.cordoned} {t('summary.cordoned')})
          </Typography>
          <Typography variant="body2">
            <b>{t('summary.pods')}</b> {c.pods.running} {t('summary.running')},{' '}
            {c.pods.pending} {t('summary.pending')}, {c.pods.failed}{' '}
            {t('summary.failed')}
          </Typography>
          <Typography variant="body2">
            <b>{t('summary.cpu')}</b> {formatCores(c.cpu.requested)} /{' '}
            {formatCores(c.cpu.allocatable)}
          </Typography>
          <Typography variant="body2">
            <b>{t('summary.memory')}</b> {formatBytes(c.memory.requested)} /{' '}
            {formatBytes(c.memory.allocatable)}
          </Typography>
        </Box>
        <Typography variant="subtitle2" data-testid={`gpu-total-${c.name}`}>
          {t('summary.gpus')}:{' '}
          {t('summary.gpuFigures', {
            allocated: String(c.gpus.allocated),
            free: String(c.gpus.free),
            total: String(c.gpus.total),
          })}
        </Typography>
        <GpuBars gpus={c.gpus} cluster={c.name} />
        {c.gpus.total + c.gpus.byProfile.length > 0 && (
          <GpuActivityPanel cluster={c.name} />
        )}
        {c.nodeTiles.length > 0 && (
          <>
            <Typography variant="overline">{t('summary.nodeGrid')}</Typography>
            <NodeGrid tiles={c.nodeTiles} />
          </>
        )}
      </div>
    </InfoCard>
  );
}
