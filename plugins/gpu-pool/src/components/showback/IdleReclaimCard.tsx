import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  gpuPoolReclaimExemptPermission,
  IdleReclaimStatus,
} from '@internal/plugin-gpu-pool-common';
import { usePermission } from '@backstage/plugin-permission-react';
import { usePortalFormat } from '@internal/plugin-portal-react';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ShowbackClient } from './ShowbackClient';
import { gpuPoolShowbackTranslationRef } from './showbackTranslation';

/**
 * A lease's idle-reclaim state with the owners' one-click answers (keep,
 * release) and the platform team's exemption. The idle notice links here
 * with `?reclaim=keep` or `?reclaim=release`, which puts that answer first;
 * the click itself is the user's (a link never changes anything).
 */
export function IdleReclaimCard(props: {
  requestId: string;
  /** Called after an answer, so the page reloads the request. */
  onChange?: () => void;
}) {
  const { requestId, onChange } = props;
  const { t } = useTranslationRef(gpuPoolShowbackTranslationRef);
  const format = usePortalFormat();
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [client] = useState(
    () => new ShowbackClient({ discoveryApi, fetchApi }),
  );
  const [params] = useSearchParams();
  const asked = params.get('reclaim');
  const state = useAsyncRetry(
    () => client.reclaimStatus(requestId),
    [client, requestId],
  );
  const [error, setError] = useState<Error>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const exemptPermission = usePermission({
    permission: gpuPoolReclaimExemptPermission,
  });

  if (state.loading && !state.value) return <Progress />;
  if (state.error) {
    return <Alert severity="warning">{state.error.message}</Alert>;
  }
  const s: IdleReclaimStatus = state.value!;
  if (s.phase === 'off') return null;

  const act = async (action: 'keep' | 'release' | 'exempt') => {
    setBusy(true);
    setError(undefined);
    try {
      await client.answer(
        requestId,
        action,
        action === 'exempt' ? reason : undefined,
      );
      state.retry();
      onChange?.();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const at = (iso?: string) => (iso ? format.dateTime(iso) : '—');
  const running = ['watching', 'nudged', 'kept'].includes(s.phase);
  let text = '';
  if (s.phase === 'watching' && s.policy) {
    text = t('reclaim.watching', {
      threshold: String(s.policy.thresholdPercent),
      idle: String(s.policy.idleMinutes),
      grace: String(s.policy.graceMinutes),
    });
  } else if (s.phase === 'nudged') {
    text = t('reclaim.nudged', { at: at(s.reclaimAt) });
  } else if (s.phase === 'kept') {
    text = t('reclaim.kept', { until: at(s.keptUntil) });
  } else if (s.phase === 'exempt') {
    text = t('reclaim.exempt', { reason: s.exemptReason ?? '' });
  } else if (s.phase === 'reclaimed') {
    text = t('reclaim.reclaimed', { at: at(s.reclaimedAt) });
  }
  const keepFirst = asked !== 'release';
  const keep = (
    <Button
      key="keep"
      variant={asked === 'keep' ? 'contained' : 'outlined'}
      color="primary"
      disabled={busy}
      onClick={() => act('keep')}
      data-testid="reclaim-keep"
    >
      {t('reclaim.keep')}
    </Button>
  );
  const release = (
    <Button
      key="release"
      variant={asked === 'release' ? 'contained' : 'outlined'}
      color="secondary"
      disabled={busy}
      onClick={() => act('release')}
      data-testid="reclaim-release"
    >
      {t('reclaim.release')}
    </Button>
  );
  return (
    <InfoCard title={t('reclaim.title')}>
      <div data-testid="reclaim-phase" data-phase={s.phase}>
        {asked && running && (
          <Alert severity="info">{t('reclaim.asked')}</Alert>
        )}
        <Typography>{text}</Typography>
        {s.lastOutcome && (
          <Typography variant="body2" color="textSecondary">
            {t('reclaim.lastCheck', {
              outcome: t(`outcome.${s.lastOutcome}` as 'outcome.busy'),
            })}{' '}
            {s.lastCheckAt ? `(${format.relativeTime(s.lastCheckAt)})` : ''}
          </Typography>
        )}
        {error && <Alert severity="error">{error.message}</Alert>}
        {running && (keepFirst ? [keep, release] : [release, keep])}
        {running && exemptPermission.allowed && (
          <div>
            <TextField
              size="small"
              label={t('reclaim.exemptReason')}
              value={reason}
              onChange={e => setReason(e.target.value)}
            />
            <Button
              disabled={busy || !reason.trim()}
              onClick={() => act('exempt')}
            >
              {t('reclaim.exemptAction')}
            </Button>
          </div>
        )}
      </div>
    </InfoCard>
  );
}
