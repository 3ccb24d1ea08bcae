import { useEffect, useState } from 'react';
import { useApi, identityApiRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import Chip from '@material-ui/core/Chip';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { GpuRequestStatus } from '@internal/plugin-gpu-pool-common';
import { usePortalFormat } from '@internal/plugin-portal-react';
import { gpuPoolTranslationRef } from '../translation';

/**
 * Loads data and reloads it whenever the backend signals a change. Signals
 * can be missed (e.g. while a view subscribes, or without a signals
 * backend), so it also polls: every `pollMs` while `pollWhile` says the
 * value is about to change, and every 15 s when signals are unavailable.
 */
export function useLive<T>(
  load: () => Promise<T>,
  deps: unknown[] = [],
  options: {
    pollWhile?: (value: T) => boolean;
    pollMs?: number;
    /** Signal channel that announces changes; `gpu-pool` by default. */
    channel?: string;
  } = {},
) {
  const state = useAsyncRetry(load, deps);
  const { lastSignal, isSignalsAvailable } = useSignal(
    options.channel ?? 'gpu-pool',
  );
  const { retry, value, loading } = state;
  // One reload per signal, once the load in flight (if any) has ended:
  // react-use's `retry` is a no-op while loading and changes identity when
  // loading ends, so calling it from an effect on [lastSignal, retry]
  // reloaded again and again after the first signal.
  const [signalled, setSignalled] = useState(false);
  useEffect(() => {
    if (lastSignal) setSignalled(true);
  }, [lastSignal]);
  useEffect(() => {
    if (!signalled || loading) return;
    setSignalled(false);
    retry();
  }, [signalled, loading, retry]);
  const { pollWhile, pollMs = 2000 } = options;
  const soon = value !== undefined && pollWhile?.(value);
  let every: number | undefined;
  if (soon) every = pollMs;
  else if (!isSignalsAvailable) every = 15_000;
  useEffect(() => {
    if (every === undefined || loading) return undefined;
    const timer = setTimeout(retry, every);
    return () => clearTimeout(timer);
  }, [every, loading, retry, value]);
  return state;
}

/** The signed-in user's ref and groups. */
export function useIdentity() {
  const identityApi = useApi(identityApiRef);
  return useAsyncRetry(async () => {
    const id = await identityApi.getBackstageIdentity();
    return {
      userEntityRef: id.userEntityRef,
      groups: id.ownershipEntityRefs
        .filter(r => r.startsWith('group:'))
        .map(r => r.toLocaleLowerCase('en-US')),
    };
  }, []);
}

const colors: Partial<
  Record<GpuRequestStatus, 'primary' | 'secondary' | 'default'>
> = {
  active: 'primary',
  expiring: 'secondary',
  'pending-approval': 'secondary',
};

/** A status as a chip, in the user's language. */
export function StatusChip({ status }: { status: GpuRequestStatus }) {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  return (
    <Chip
      size="small"
      color={colors[status] ?? 'default'}
      label={t(`status.${status}` as 'status.active')}
      data-status={status}
    />
  );
}

/** Time left until `iso` in the portal's language ("2일 3시간 남음"). */
export function TimeLeft({ iso }: { iso?: string }) {
  const format = usePortalFormat();
  return <>{iso ? format.timeLeft(iso) : '—'}</>;
}
