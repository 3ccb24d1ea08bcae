import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EmptyState,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import type { GpuRequest } from '@internal/plugin-gpu-pool-common';
import { DisplayName, PortalTable } from '@internal/plugin-portal-react';
import { gpuPoolApiRef } from '../api/GpuPoolApi';
import { gpuPoolTranslationRef } from '../translation';
import { useLive } from './common';

type ApprovalRow = GpuRequest & { gpusText: string };

/** The platform team's inbox of requests above an allowance. */
export function ApprovalsView() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const api = useApi(gpuPoolApiRef);
  const state = useLive(
    () => api.listRequests('all', ['pending-approval']),
    [],
  );
  const [error, setError] = useState<Error>();
  const act = async (id: string, action: 'approve' | 'reject') => {
    try {
      await api.act(id, action);
      state.retry();
    } catch (e) {
      setError(e as Error);
    }
  };
  if (state.error && !state.value) {
    return <ResponseErrorPanel error={state.error} />;
  }
  const rows: ApprovalRow[] = (state.value ?? []).map(r => ({
    ...r,
    gpusText: `${r.gpus.map(g => `${g.count} × ${g.pool}`).join(', ')} · ${
      r.duration
    }`,
  }));
  const columns: TableColumn<ApprovalRow>[] = [
    {
      title: t('form.team'),
      field: 'team',
      highlight: true,
      render: r => <DisplayName entityRef={r.team} />,
    },
    { title: t('form.cluster'), field: 'cluster' },
    { title: t('grants.gpus'), field: 'gpusText' },
    {
      title: t('approvals.requestedBy'),
      field: 'requestedBy',
      render: r => <DisplayName entityRef={r.requestedBy} />,
    },
    { title: t('approvals.justification'), field: 'justification' },
    {
      title: '',
      field: 'id',
      sorting: false,
      searchable: false,
      render: r => (
        <>
          <Button color="primary" onClick={() => act(r.id, 'approve')}>
            {t('approvals.approve')}
          </Button>
          <Button color="secondary" onClick={() => act(r.id, 'reject')}>
            {t('approvals.reject')}
          </Button>
        </>
      ),
    },
  ];
  return (
    <>
      {error && <Alert severity="error">{error.message}</Alert>}
      <PortalTable<ApprovalRow>
        title={t('approvals.title')}
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
        filters={[{ column: t('form.cluster'), type: 'select' }]}
        emptyContent={
          <EmptyState missing="data" title={t('approvals.empty')} />
        }
      />
    </>
  );
}
