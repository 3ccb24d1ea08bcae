import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useParams } from 'react-router-dom';
import { gpuPoolApiRef } from '../api/GpuPoolApi';
import { gpuPoolTranslationRef } from '../translation';
import { IdleReclaimCard } from './showback/IdleReclaimCard';
import { DisplayName, usePortalFormat } from '@internal/plugin-portal-react';
import { StatusChip, TimeLeft, useLive } from './common';
import { ReasonText } from './ReasonText';

/** One request: status, queue position and its timeline, live. */
export function RequestDetailsView() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const api = useApi(gpuPoolApiRef);
  const format = usePortalFormat();
  const { id = '' } = useParams();
  const state = useLive(() => api.getRequest(id), [id], {
    pollWhile: r =>
      ['pending-approval', 'queued', 'provisioning'].includes(r.status),
  });
  const [error, setError] = useState<Error>();
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const r = state.value!;
  const act = async (action: 'release' | 'extend') => {
    try {
      await api.act(
        r.id,
        action,
        action === 'extend' ? { duration: 'P1D' } : {},
      );
      state.retry();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <InfoCard title={`${t('request.title')} ${r.cluster}/${r.namespace}`}>
          <Typography>
            {t('request.status')}:{' '}
            <span data-testid="status">
              <StatusChip status={r.status} />
            </span>
          </Typography>
          {r.queuePosition !== undefined && (
            <Typography data-testid="queue-position">
              {t('request.position')}: {r.queuePosition}
            </Typography>
          )}
          <Typography>
            <DisplayName entityRef={r.team} />
          </Typography>
          <Typography>
            {r.gpus.map(g => `${g.count} × ${g.pool}`).join(', ') || '—'} · CPU{' '}
            {r.cpu} · {r.memory}
          </Typography>
          {r.expiresAt && (
            <Typography>
              {t('request.expires')}: {format.dateTime(r.expiresAt)} (
              <TimeLeft iso={r.expiresAt} />)
            </Typography>
          )}
          {r.lastError && (
            <Alert severity="warning">
              {t('request.error')}: <ReasonText text={r.lastError} />
            </Alert>
          )}
          {error && <Alert severity="error">{error.message}</Alert>}
          {['active', 'expiring'].includes(r.status) && (
            <Button onClick={() => act('extend')}>{t('grants.extend')}</Button>
          )}
          {!['released', 'expired', 'rejected', 'failed'].includes(
            r.status,
          ) && (
            <Button
              color="secondary"
              onClick={() => act('release')}
              data-testid="release"
            >
              {t('grants.release')}
            </Button>
          )}
        </InfoCard>
        <IdleReclaimCard requestId={r.id} onChange={state.retry} />
      </Grid>
      <Grid item xs={12} md={7}>
        <InfoCard title={t('request.history')}>
          <List dense>
            {(r.history ?? []).map((h, i) => (
              <ListItem key={i}>
                <ListItemText
                  primary={
                    <>
                      <StatusChip status={h.to} />{' '}
                      <ReasonText text={h.reason} />
                    </>
                  }
                  secondary={
                    <>
                      {format.dateTime(h.at)} ·{' '}
                      {h.actor.includes(':') ? (
                        <DisplayName entityRef={h.actor} />
                      ) : (
                        h.actor
                      )}
                    </>
                  }
                />
              </ListItem>
            ))}
          </List>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
