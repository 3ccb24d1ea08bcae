import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { gpuPoolApiRef } from '@internal/plugin-gpu-pool';
import { DisplayName, usePortalFormat } from '@internal/plugin-portal-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import ListSubheader from '@material-ui/core/ListSubheader';
import useAsync from 'react-use/esm/useAsync';
import { portalTranslationRef } from '../../../translations';
import { AsyncCard } from './AsyncCard';

/** Statuses of requests that hold GPUs or wait for them. */
const openStatuses = [
  'pending-approval',
  'queued',
  'provisioning',
  'active',
  'expiring',
] as const;

/** The GPU grants, open requests and jobs of the user's teams. */
export function TeamGpuCard() {
  const { t } = useTranslationRef(portalTranslationRef);
  const format = usePortalFormat();
  const api = useApi(gpuPoolApiRef);
  const state = useAsync(async () => {
    const [requests, workloads] = await Promise.all([
      api.listRequests('team', [...openStatuses]),
      api.listWorkloads(),
    ]);
    return {
      requests,
      jobs: workloads.items.filter(w => w.state !== 'finished'),
    };
  }, [api]);
  return (
    <AsyncCard
      title={t('home.gpu.title')}
      testId="home-team-gpus"
      state={state}
      isEmpty={() => false}
      empty=""
      more="/gpu-pool"
    >
      {({ requests, jobs }) => (
        <List dense disablePadding>
          <ListSubheader disableSticky>{t('home.gpu.grants')}</ListSubheader>
          {requests.length === 0 && (
            <ListItem>
              <ListItemText secondary={t('home.gpu.noGrants')} />
            </ListItem>
          )}
          {requests.map(r => {
            const gpus = r.gpus.reduce((sum, g) => sum + g.count, 0);
            const status = t(
              `home.gpu.status.${r.status as (typeof openStatuses)[number]}`,
            );
            let detail: string = status;
            if (r.status === 'queued' && r.queuePosition) {
              detail = t('home.gpu.queued', {
                position: String(r.queuePosition),
              });
            } else if (r.expiresAt) {
              detail = `${status} · ${format.timeLeft(r.expiresAt)}`;
            }
            return (
              <ListItem key={r.id} data-testid={`home-grant-${r.id}`}>
                <ListItemText
                  primary={
                    <>
                      {r.cluster}/{r.namespace} ·{' '}
                      {t('home.gpu.gpus', { gpus: String(gpus) })} ·{' '}
                      <DisplayName entityRef={r.team} defaultKind="group" />
                    </>
                  }
                  secondary={detail}
                />
              </ListItem>
            );
          })}
          <ListSubheader disableSticky>{t('home.gpu.jobs')}</ListSubheader>
          {jobs.length === 0 && (
            <ListItem>
              <ListItemText secondary={t('home.gpu.noJobs')} />
            </ListItem>
          )}
          {jobs.map(w => (
            <ListItem key={`${w.cluster}/${w.namespace}/${w.name}`}>
              <ListItemText
                primary={`${w.job?.name ?? w.name} · ${w.cluster}/${
                  w.namespace
                }`}
                secondary={[
                  t(`home.gpu.workloadState.${w.state}`),
                  w.expectedEnd ? format.timeLeft(w.expectedEnd) : undefined,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              />
            </ListItem>
          ))}
        </List>
      )}
    </AsyncCard>
  );
}
