import { useApi, identityApiRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Chip from '@material-ui/core/Chip';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { GpuRequestStatus } from '@internal/plugin-gpu-pool-common';
import { usePortalFormat, useLiveReload } from '@internal/plugin-portal-react';
import { gpuPoolTranslationRef } from '../translation';

/**
 * Loads data and reloads it whenever the backend signals a change (one
 * reload per signal, also for a signal that arrives during a load; see
 * portal-react's `useLiveReload`). Signals can be missed (e.g. while a view
 * subscribes, or without a signals backend), so it also polls: every
 * `pollMs` while `pollWhile` says the value is about to change, and every
 * 15 s when signals are unavailable.
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
): { value?: T; loading: boolean; error?: Error; retry: () => void } {
  const { value, loading, error, retry } = useLiveReload(load, deps, {
    channel: options.channel ?? 'gpu-pool',
    pollWhile: options.pollWhile,
    pollMs: options.pollMs,
    pollWithoutSignalsMs: 15_000,
  });
  // The views show an error only when there is no value (react-use's
  // state, which this hook returned before, drops the value on an error).
  return error ? { loading, error, retry } : { value, loading, retry };
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
