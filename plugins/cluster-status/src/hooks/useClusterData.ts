import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  CLUSTER_STATUS_SIGNAL_CHANNEL,
  ClusterStatusSignal,
} from '@internal/plugin-cluster-status-common';
import { useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ClusterStatusApi, clusterStatusApiRef } from '../api/ClusterStatusApi';

/**
 * Loads data from the cluster status API and reloads it whenever the backend
 * signals a change (of `cluster`, or of any cluster when omitted). Previous
 * data stays on screen while a reload runs.
 */
export function useClusterData<T>(
  load: (api: ClusterStatusApi) => Promise<T>,
  deps: unknown[],
  cluster?: string,
) {
  const api = useApi(clusterStatusApiRef);
  const { lastSignal, isSignalsAvailable } = useSignal<ClusterStatusSignal>(
    CLUSTER_STATUS_SIGNAL_CHANNEL,
  );
  const state = useAsyncRetry(() => load(api), deps);
  const last = useRef<T | undefined>(undefined);
  if (state.value !== undefined) {
    last.current = state.value;
  }
  const { retry } = state;
  useEffect(() => {
    if (lastSignal && (!cluster || lastSignal.cluster === cluster)) {
      retry();
    }
    // Reload only when a new signal arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastSignal]);
  return {
    value: state.value ?? last.current,
    loading: state.loading && last.current === undefined,
    error: state.value === undefined ? state.error : undefined,
    retry,
    live: isSignalsAvailable,
  };
}
