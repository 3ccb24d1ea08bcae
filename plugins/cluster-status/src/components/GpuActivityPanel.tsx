import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  ClusterGpuActivity,
  GpuBusyCount,
} from '@internal/plugin-cluster-status-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useGpuActivity } from '../hooks/useGpuActivity';
import { clusterStatusTranslationRef } from '../translation';
import { percent } from './format';

function BusyBar(props: {
  label: string;
  count: GpuBusyCount;
  testId: string;
}) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const { allocatable, allocated, busy = 0, reporting = 0 } = props.count;
  return (
    <Box
      mb={1}
      data-testid={props.testId}
      data-busy={busy}
      data-allocated={allocated}
    >
      <Box display="flex" justifyContent="space-between" style={{ gap: 8 }}>
        <Typography variant="body2">{props.label}</Typography>
        <Typography variant="body2" color="textSecondary">
          {t('activity.busyFigures', {
            busy: String(busy),
            idle: String(Math.max(0, allocated - busy)),
            allocated: String(allocated),
            total: String(allocatable),
          })}
        </Typography>
      </Box>
      {/* Dark: busy; light: allocated; the rest is unallocated. */}
      <LinearProgress
        variant="buffer"
        color="secondary"
        value={percent(busy, allocatable)}
        valueBuffer={percent(Math.max(busy, allocated), allocatable)}
        aria-label={props.label}
      />
      {reporting < allocatable && (
        <Typography variant="caption" color="textSecondary">
          {t('activity.reporting', {
            reporting: String(reporting),
            total: String(allocatable),
          })}
        </Typography>
      )}
    </Box>
  );
}

/** Busy against allocated GPUs of one cluster, as read. */
export function GpuActivityView(props: { activity: ClusterGpuActivity }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const a = props.activity;
  const testId = `gpu-activity-${a.cluster}`;
  if (a.status !== 'available') {
    return (
      <Box data-testid={testId} data-status={a.status} my={1}>
        <Typography variant="overline">{t('activity.title')}</Typography>{' '}
        <Chip size="small" label={t('activity.noMetrics')} />
        <Alert severity={a.status === 'unavailable' ? 'warning' : 'info'}>
          {a.status === 'unavailable'
            ? `${t('activity.unavailable')}: ${a.error ?? ''}`
            : t('activity.notConfigured')}
        </Alert>
      </Box>
    );
  }
  return (
    <Box data-testid={testId} data-status={a.status} my={1}>
      <Typography variant="overline">{t('activity.title')}</Typography>
      <Typography variant="caption" display="block" color="textSecondary">
        {t('activity.threshold', {
          percent: String(Math.round(a.busyThreshold * 1000) / 10),
          seconds: String(a.windowSeconds),
        })}
      </Typography>
      {a.byModel.map(m => (
        <BusyBar
          key={m.model}
          label={m.model}
          count={m}
          testId={`gpu-busy-${a.cluster}-${m.model}`}
        />
      ))}
      {a.byProfile.map(p => (
        <BusyBar
          key={p.profile}
          label={`MIG ${p.profile}`}
          count={p}
          testId={`gpu-busy-${a.cluster}-${p.profile}`}
        />
      ))}
    </Box>
  );
}

/**
 * Loads and shows one cluster's GPU activity. Its failures stay inside it:
 * the rest of the cluster card renders whatever happens here.
 */
export function GpuActivityPanel(props: { cluster: string }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const { value, loading, error } = useGpuActivity(props.cluster);
  if (loading) {
    return <LinearProgress aria-label={t('activity.title')} />;
  }
  if (error || !value) {
    return (
      <Box
        data-testid={`gpu-activity-${props.cluster}`}
        data-status="error"
        my={1}
      >
        <Alert severity="warning">
          {t('activity.loadFailed')}
          {error ? `: ${error.message}` : ''}
        </Alert>
      </Box>
    );
  }
  return <GpuActivityView activity={value} />;
}
