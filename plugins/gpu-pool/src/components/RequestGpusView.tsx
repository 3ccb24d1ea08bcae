import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Alert from '@material-ui/lab/Alert';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import type {
  GpuPoolSummary,
  GpuRequest,
} from '@internal/plugin-gpu-pool-common';
import { DisplayName, PortalTable } from '@internal/plugin-portal-react';
import { gpuPoolApiRef } from '../api/GpuPoolApi';
import { gpuPoolTranslationRef } from '../translation';
import { StatusChip, TimeLeft, useIdentity, useLive } from './common';
import { RequestForm } from './RequestForm';

function Availability({ pools }: { pools: GpuPoolSummary[] }) {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const columns: TableColumn<GpuPoolSummary & { id: string }>[] = [
    {
      title: t('availability.pool'),
      field: 'title',
      highlight: true,
      render: p => (
        <Link component={RouterLink} to={`pools/${p.id}`}>
          {p.title}
        </Link>
      ),
    },
    { title: t('availability.cluster'), field: 'cluster' },
    { title: t('availability.model'), field: 'model' },
    {
      title: t('availability.capacity'),
      field: 'capacity',
      type: 'numeric',
      render: p =>
        `${p.capacity}${p.live ? '' : ` (${t('availability.stale')})`}`,
    },
    { title: t('availability.allocated'), field: 'allocated', type: 'numeric' },
    {
      title: t('availability.available'),
      field: 'available',
      type: 'numeric',
      render: p => <span data-testid={`available-${p.id}`}>{p.available}</span>,
    },
    { title: t('availability.queued'), field: 'queued', type: 'numeric' },
  ];
  return (
    <PortalTable
      title={t('availability.title')}
      columns={columns}
      data={pools.map(p => ({ ...p }))}
      options={{
        draggable: false,
        paging: pools.length > 10,
        pageSize: 10,
        search: true,
        padding: 'dense',
      }}
      filters={[{ column: t('availability.cluster'), type: 'select' }]}
      emptyContent={
        <EmptyState missing="content" title={t('availability.empty')} />
      }
    />
  );
}

type RequestRow = GpuRequest & { statusLabel: string; gpusText: string };

function TeamGrants() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const api = useApi(gpuPoolApiRef);
  const state = useLive(
    () =>
      api.listRequests('team', [
        'pending-approval',
        'queued',
        'provisioning',
        'active',
        'expiring',
      ]),
    [],
    {
      pollWhile: items =>
        items.some(r => ['queued', 'provisioning'].includes(r.status)),
    },
  );
  const [error, setError] = useState<Error>();
  if (state.error && !state.value)
    return <ResponseErrorPanel error={state.error} />;
  const act = async (id: string, action: 'release' | 'extend') => {
    try {
      await api.act(id, action, action === 'extend' ? { duration: 'P1D' } : {});
      state.retry();
    } catch (e) {
      setError(e as Error);
    }
  };
  const rows: RequestRow[] = (state.value ?? []).map(r => ({
    ...r,
    statusLabel: t(`status.${r.status}` as 'status.active'),
    gpusText: r.gpus.map(g => `${g.count} × ${g.pool}`).join(', ') || '—',
  }));
  const columns: TableColumn<RequestRow>[] = [
    {
      title: t('grants.namespace'),
      field: 'namespace',
      highlight: true,
      render: r => (
        <Link
          component={RouterLink}
          to={`requests/${r.id}`}
          data-request={r.id}
        >{`${r.cluster}/${r.namespace}`}</Link>
      ),
    },
    {
      title: t('requests.team'),
      field: 'team',
      render: r => <DisplayName entityRef={r.team} />,
    },
    { title: t('grants.gpus'), field: 'gpusText' },
    {
      title: t('grants.status'),
      field: 'statusLabel',
      render: r => <StatusChip status={r.status} />,
    },
    {
      title: t('grants.timeLeft'),
      field: 'expiresAt',
      render: r => <TimeLeft iso={r.expiresAt} />,
    },
    {
      title: '',
      field: 'id',
      sorting: false,
      searchable: false,
      render: r => (
        <>
          {['active', 'expiring'].includes(r.status) && (
            <Button size="small" onClick={() => act(r.id, 'extend')}>
              {t('grants.extend')}
            </Button>
          )}
          <Button
            size="small"
            color="secondary"
            onClick={() => act(r.id, 'release')}
            data-testid={`release-${r.id}`}
          >
            {t('grants.release')}
          </Button>
        </>
      ),
    },
  ];
  return (
    <>
      {error && <Alert severity="error">{error.message}</Alert>}
      <PortalTable<RequestRow>
        title={t('requests.title')}
        isLoading={state.loading && !state.value}
        columns={columns}
        data={rows}
        options={{
          draggable: false,
          paging: rows.length > 10,
          pageSize: 10,
          search: true,
          padding: 'dense',
        }}
        filters={[{ column: t('grants.status'), type: 'multiple-select' }]}
        emptyContent={<EmptyState missing="data" title={t('grants.empty')} />}
      />
    </>
  );
}

/** The "Request GPUs" page: availability, the form, and the team's grants. */
export function RequestGpusView() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const api = useApi(gpuPoolApiRef);
  const navigate = useNavigate();
  const pools = useLive(() => api.listPools(), []);
  const identity = useIdentity();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        {pools.loading && !pools.value && <Progress />}
        {pools.error && <ResponseErrorPanel error={pools.error} />}
        {pools.value && <Availability pools={pools.value} />}
      </Grid>
      <Grid item xs={12} lg={7}>
        <InfoCard title={t('form.title')}>
          {((pools.loading && !pools.value) || identity.loading) && (
            <Progress />
          )}
          {(pools.error || identity.error) && (
            <ResponseErrorPanel error={(pools.error ?? identity.error)!} />
          )}
          {pools.value && identity.value && (
            <RequestForm
              pools={pools.value}
              groups={identity.value.groups}
              onCreated={id => navigate(`requests/${id}`)}
            />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={5}>
        <TeamGrants />
      </Grid>
    </Grid>
  );
}
