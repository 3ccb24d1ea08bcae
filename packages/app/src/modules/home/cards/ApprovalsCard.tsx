import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { gpuPoolApiRef } from '@internal/plugin-gpu-pool';
import { DisplayName, usePortalFormat } from '@internal/plugin-portal-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import useAsync from 'react-use/esm/useAsync';
import { portalTranslationRef } from '../../../translations';
import { AsyncCard } from './AsyncCard';

/** GPU requests waiting for the platform team's approval, oldest first. */
export function ApprovalsCard() {
  const { t } = useTranslationRef(portalTranslationRef);
  const format = usePortalFormat();
  const api = useApi(gpuPoolApiRef);
  const state = useAsync(async () => {
    const requests = await api.listRequests('all', ['pending-approval']);
    return [...requests].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }, [api]);
  return (
    <AsyncCard
      title={t('home.approvals.title')}
      testId="home-approvals"
      state={state}
      isEmpty={v => v.length === 0}
      empty={t('home.approvals.empty')}
      more="/gpu-pool"
    >
      {requests => (
        <List dense disablePadding>
          {requests.map(r => (
            <ListItem key={r.id} data-testid={`home-approval-${r.id}`}>
              <ListItemText
                primary={<DisplayName entityRef={r.team} defaultKind="group" />}
                secondary={t('home.approvals.requested', {
                  gpus: String(r.gpus.reduce((sum, g) => sum + g.count, 0)),
                  namespace: `${r.cluster}/${r.namespace}`,
                  time: format.relativeTime(r.createdAt),
                })}
              />
            </ListItem>
          ))}
        </List>
      )}
    </AsyncCard>
  );
}
