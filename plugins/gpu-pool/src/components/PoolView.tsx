import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { useParams } from 'react-router-dom';
import type { GpuPoolSummary } from '@internal/plugin-gpu-pool-common';
import { gpuPoolApiRef } from '../api/GpuPoolApi';
import { gpuPoolTranslationRef } from '../translation';
import { useLive } from './common';

const W = 720;
const H = 220;

/** Step chart of allocated (filled) against capacity (line), plain SVG. */
export function AllocationChart({
  history,
}: {
  history: NonNullable<GpuPoolSummary['history']>;
}) {
  const now = Date.now();
  const start = now - 86400_000;
  const max = Math.max(
    1,
    ...history.map(s => Math.max(s.capacity, s.allocated + s.queued)),
  );
  const x = (at: number) => ((Math.max(at, start) - start) / (now - start)) * W;
  const y = (v: number) => H - (v / max) * (H - 10);
  const step = (value: (s: (typeof history)[number]) => number) => {
    let d = '';
    let last = 0;
    for (const [i, s] of history.entries()) {
      const px = x(Date.parse(s.at));
      d += i === 0 ? `M${px},${y(value(s))}` : `H${px}V${y(value(s))}`;
      last = value(s);
    }
    return `${d}H${W}V${y(last)}`;
  };
  const first = history.length ? x(Date.parse(history[0].at)) : 0;
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      role="img"
      aria-label="allocation over time"
    >
      <path
        d={`${step(s => s.allocated)}V${H}H${first}Z`}
        fill="rgba(25,118,210,0.35)"
      />
      <path
        d={step(s => s.capacity)}
        fill="none"
        stroke="#333"
        strokeDasharray="4 2"
      />
      <path
        d={step(s => s.allocated + s.queued)}
        fill="none"
        stroke="#e65100"
      />
      <text x={4} y={12} fontSize={11}>
        {max}
      </text>
      <text x={4} y={H - 2} fontSize={11}>
        0
      </text>
    </svg>
  );
}

/** One pool: its figures and allocation over time. */
export function PoolView() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const api = useApi(gpuPoolApiRef);
  const { id = '' } = useParams();
  const state = useLive(() => api.listPools({ history: 'P1D' }), []);
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const pool = state.value?.find(p => p.id === id);
  if (!pool) return <EmptyState missing="data" title={id} />;
  return (
    <InfoCard title={`${pool.title} · ${pool.cluster}`}>
      <Typography>
        {t('availability.capacity')} {pool.capacity} ·{' '}
        {t('availability.allocated')} {pool.allocated} ·{' '}
        {t('availability.available')} {pool.available} ·{' '}
        {t('availability.queued')} {pool.queued}
      </Typography>
      <Typography variant="h6">{t('pool.chart')}</Typography>
      {pool.history?.length ? (
        <AllocationChart history={pool.history} />
      ) : (
        <Typography>{t('pool.noHistory')}</Typography>
      )}
    </InfoCard>
  );
}
