import { useSignal } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';
import { DependencyList, useEffect, useMemo, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';

/**
 * Options of {@link useLiveReload}.
 *
 * @public
 */
export interface LiveReloadOptions<T, S extends JsonObject = JsonObject> {
  /** Signal channel whose messages announce a change of the data. */
  channel: string;
  /** Whether a signal concerns this data; every signal does when omitted. */
  accept?: (signal: S) => boolean;
  /**
   * Signals can be missed (e.g. while a view subscribes): reload every
   * `pollMs` as well while this says the loaded value is about to change.
   */
  pollWhile?: (value: T) => boolean;
  /** Period of `pollWhile`'s reloads in ms; 2000 by default. */
  pollMs?: number;
  /** Reload every this many ms when no signals API is installed; not at all when omitted. */
  pollWithoutSignalsMs?: number;
}

/**
 * State of {@link useLiveReload}.
 *
 * @public
 */
export interface LiveReloadState<T> {
  /**
   * The last value loaded for the current deps. It stays while a reload
   * runs and after a reload fails, so that a page does not blank out; it is
   * `undefined` until the first load for new deps ends.
   */
  value?: T;
  /** Whether a load is in flight. */
  loading: boolean;
  /** The error of the latest load, if it failed. */
  error?: Error;
  /** Loads again now (a no-op while a load is in flight). */
  retry: () => void;
  /** Whether signals are available, i.e. the data follows changes live. */
  live: boolean;
}

function checkPeriod(name: string, ms: number | undefined) {
  if (ms !== undefined && !(Number.isFinite(ms) && ms > 0)) {
    throw new TypeError(
      `useLiveReload: options.${name} must be a positive number of milliseconds, got ${ms}`,
    );
  }
}

/**
 * Loads data and reloads it whenever the backend signals a change on
 * `options.channel`.
 *
 * Each accepted signal is answered by one reload. A signal that arrives
 * while a load is in flight is remembered and answered by one reload once
 * that load ends: react-use's `retry` is a no-op while loading (so calling
 * it straight away dropped the signal) and changes identity when loading
 * ends (so an effect calling it on every change reloaded again and again).
 *
 * @public
 */
export function useLiveReload<T, S extends JsonObject = JsonObject>(
  load: () => Promise<T>,
  deps: DependencyList,
  options: LiveReloadOptions<T, S>,
): LiveReloadState<T> {
  const { channel, accept, pollWhile, pollMs = 2000 } = options;
  if (typeof channel !== 'string' || channel === '') {
    throw new TypeError(
      `useLiveReload: options.channel must be a non-empty string, got ${JSON.stringify(
        channel,
      )}`,
    );
  }
  checkPeriod('pollMs', pollMs);
  checkPeriod('pollWithoutSignalsMs', options.pollWithoutSignalsMs);

  // Tags each loaded value with the deps it was loaded for, so that new
  // deps (another cluster, another request) never show the old one's data.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const depsKey = useMemo(() => ({}), deps);
  const state = useAsyncRetry(
    async () => ({ depsKey, value: await load() }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [depsKey],
  );
  const { retry, loading } = state;
  // react-use keeps the value while reloading but drops it when a load
  // fails; keep the last one for the current deps.
  const last = useRef<{ depsKey: object; value: T } | undefined>(undefined);
  if (state.value) last.current = state.value;
  const value =
    last.current?.depsKey === depsKey ? last.current.value : undefined;

  const { lastSignal, isSignalsAvailable } = useSignal<S>(channel);
  const acceptRef = useRef(accept);
  acceptRef.current = accept;
  const [signalled, setSignalled] = useState(false);
  useEffect(() => {
    if (lastSignal && (acceptRef.current?.(lastSignal) ?? true)) {
      setSignalled(true);
    }
  }, [lastSignal]);
  useEffect(() => {
    if (!signalled || loading) return;
    setSignalled(false);
    retry();
  }, [signalled, loading, retry]);

  let every: number | undefined;
  if (value !== undefined && pollWhile?.(value)) every = pollMs;
  else if (!isSignalsAvailable) every = options.pollWithoutSignalsMs;
  useEffect(() => {
    if (every === undefined || loading) return undefined;
    const timer = setTimeout(retry, every);
    return () => clearTimeout(timer);
  }, [every, loading, retry, value]);

  return {
    value,
    loading,
    error: state.error,
    retry,
    live: isSignalsAvailable,
  };
}
