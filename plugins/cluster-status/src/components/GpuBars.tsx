import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { GpuSummary } from '@internal/plugin-cluster-status-common';
import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { clusterStatusTranslationRef } from '../translation';
import { percent } from './format';

function Bar(props: {
  label: string;
  total: number;
  allocated: number;
  free: number;
  testId: string;
}) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  return (
    <Box mb={1} data-testid={props.testId}>
      <Box display="flex" justifyContent="space-between">
        <Typography variant="body2">{props.label}</Typography>
        <Typography variant="body2" color="textSecondary">
          {t('summary.gpuFigures', {
            allocated: String(props.allocated),
            free: String(props.free),
            total: String(props.total),
          })}
        </Typography>
      </Box>
      <LinearProgress
        variant="buffer"
        value={percent(props.allocated, props.total)}
        valueBuffer={percent(props.allocated + props.free, props.total)}
        aria-label={props.label}
      />
    </Box>
  );
}

/** Allocation bars per GPU model and per MIG profile. */
export function GpuBars(props: { gpus: GpuSummary; cluster: string }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const { gpus, cluster } = props;
  if (gpus.byModel.length === 0 && gpus.byProfile.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('summary.noGpus')}
      </Typography>
    );
  }
  return (
    <>
      {gpus.byModel.length > 0 && (
        <Typography variant="overline">{t('summary.byModel')}</Typography>
      )}
      {gpus.byModel.map(m => (
        <Bar
          key={m.model}
          label={m.model}
          total={m.total}
          allocated={m.allocated}
          free={m.free}
          testId={`gpu-model-${cluster}-${m.model}`}
        />
      ))}
      {gpus.byProfile.length > 0 && (
        <Typography variant="overline">{t('summary.byProfile')}</Typography>
      )}
      {gpus.byProfile.map(p => (
        <Bar
          key={p.profile}
          label={`MIG ${p.profile}`}
          total={p.total}
          allocated={p.allocated}
          free={p.free}
          testId={`gpu-profile-${cluster}-${p.profile}`}
        />
      ))}
    </>
  );
}
