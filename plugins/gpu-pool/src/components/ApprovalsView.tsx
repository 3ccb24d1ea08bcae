import { ReactNode, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Alert from '@material-ui/lab/Alert';
import { gpuPoolApiRef } from '../api/GpuPoolApi';
import { gpuPoolTranslationRef } from '../translation';
import { useLive } from './common';

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
  let body: ReactNode;
  if (state.loading && !state.value) body = <Progress />;
  else if (state.error) body = <ResponseErrorPanel error={state.error} />;
  else if (!state.value?.length)
    body = <EmptyState missing="data" title={t('approvals.empty')} />;
  else
    body = (
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>{t('form.team')}</TableCell>
            <TableCell>{t('grants.gpus')}</TableCell>
            <TableCell>{t('approvals.requestedBy')}</TableCell>
            <TableCell>{t('approvals.justification')}</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {state.value.map(r => (
            <TableRow key={r.id}>
              <TableCell>{r.team}</TableCell>
              <TableCell>
                {r.gpus.map(g => `${g.count} × ${g.pool}`).join(', ')} ·{' '}
                {r.duration}
              </TableCell>
              <TableCell>{r.requestedBy}</TableCell>
              <TableCell>{r.justification}</TableCell>
              <TableCell>
                <Button color="primary" onClick={() => act(r.id, 'approve')}>
                  {t('approvals.approve')}
                </Button>
                <Button color="secondary" onClick={() => act(r.id, 'reject')}>
                  {t('approvals.reject')}
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  return (
    <InfoCard title={t('approvals.title')}>
      {error && <Alert severity="error">{error.message}</Alert>}
      {body}
    </InfoCard>
  );
}
