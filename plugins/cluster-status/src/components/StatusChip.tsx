import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { StatusError, StatusOK, StatusPending, StatusWarning } from '@backstage/core-components';
import { ClusterConnectionStatus } from '@internal/plugin-cluster-status-common';
import { clusterStatusTranslationRef } from '../translation';

/** The connection status of a cluster, with a coloured marker. */
export function StatusChip(props: { status: ClusterConnectionStatus }) {
  const { t } = useTranslationRef(clusterStatusTranslationRef);
  const label = t(`status.${props.status}`);
  switch (props.status) {
    case 'reachable':
      return <StatusOK>{label}</StatusOK>;
    case 'pending':
      return <StatusPending>{label}</StatusPending>;
    case 'authentication-failed':
      return <StatusWarning>{label}</StatusWarning>;
    default:
      return <StatusError>{label}</StatusError>;
  }
}
