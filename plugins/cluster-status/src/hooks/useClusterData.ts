import { useApi } from '@backstage/frontend-plugin-api';
import {
  CLUSTER_STATUS_SIGNAL_CHANNEL,
  ClusterStatusSignal,
} from '@internal/plugin-cluster-status-common';
import { useLiveReload } from '@internal/plugin-portal-react';
import { ClusterStatusApi, clusterStatusApiRef } from '../api/ClusterStatusApi';

/**
 * Loads data from the cluster status API and reloads it whenever the backend
 * signals a change (of `cluster`, or of any cluster when omitted), also when
 * the signal arrives during a load. Previous data stays on screen while a
 * reload runs; `loading` is true only while there is nothing to show.
 */
export function useClusterData<T>(
  load: (api: ClusterStatusApi) => Promise<T>,
  deps: unknown[],
  cluster?: string,
) {
  const api = useApi(clusterStatusApiRef);
  const { value, loading, error, retry, live } = useLiveReload<
    T,
    ClusterStatusSignal
  >(() => load(api), deps, {
    channel: CLUSTER_STATUS_SIGNAL_CHANNEL,
    accept: signal => !cluster || signal.cluster === cluster,
  });
  return {
    value,
    loading: loading && value === undefined,
    error,
    retry,
    live,
  };
}
