import { useApi } from '@backstage/frontend-plugin-api';
import { ClusterGpuActivity } from '@internal/plugin-cluster-status-common';
import { useEffect, useRef } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { clusterStatusApiRef } from '../api/ClusterStatusApi';

/** GPU activity moves without Kubernetes changes, so it is polled. */
const REFRESH_MS = 15_000;

/**
 * The GPU activity of one cluster, refreshed every 15 s; the previous answer
 * stays on screen while a refresh runs.
 */
export function useGpuActivity(cluster: string): {
  value?: ClusterGpuActivity;
  loading: boolean;
  error?: Error;
} {
  const api = useApi(clusterStatusApiRef);
  const state = useAsyncRetry(() => api.listGpuActivity(), [api]);
  const last = useRef<ClusterGpuActivity[] | undefined>(undefined);
  if (state.value !== undefined) {
    last.current = state.value;
  }
  const { retry } = state;
  useEffect(() => {
    const timer = setInterval(retry, REFRESH_MS);
    return () => clearInterval(timer);
  }, [retry]);
  const items = state.value ?? last.current;
  return {
    value: items?.find(i => i.cluster === cluster),
    loading: state.loading && items === undefined,
    error: state.value === undefined ? state.error : undefined,
  };
}
