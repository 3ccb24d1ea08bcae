import { LoggerService } from '@backstage/backend-plugin-api';
import { ApiException, KubernetesObject } from '@kubernetes/client-node';
import { StringDecoder } from 'node:string_decoder';
import { toBackstageError } from '../errors/toBackstageError';
import type {
  JsonReviver,
  TransportStream,
} from '../transport/KubernetesTransport';
import { Backoff, sleep } from './Backoff';
import { WatchOptions } from './WatchOptions';

/** What the watch loop needs from the client; kept small for testing. */
export interface WatchDeps<T> {
  clusterName: string;
  logger: LoggerService;
  reviver: JsonReviver;
  /** Lists every page and returns the items and the list's resourceVersion. */
  listAll(options: {
    signal: AbortSignal;
    pageSize: number;
  }): Promise<{ items: T[]; resourceVersion: string }>;
  /** Opens the watch stream with the given query. */
  openStream(
    query: Record<string, string | undefined>,
    signal: AbortSignal,
  ): Promise<TransportStream>;
}

type AttemptOutcome =
  | { kind: 'expired' }
  | { kind: 'closed'; healthy: boolean };

/** A connection that stayed up this long counts as a success for backoff. */
const HEALTHY_CONNECTION_MS = 10_000;

function isGone(err: unknown): boolean {
  const e = err as { code?: unknown; statusCode?: unknown };
  return e?.code === 410 || e?.statusCode === 410;
}

/**
 * List-then-watch loop with resume, relist on 410 Gone and backoff.
 *
 * Resolves when `options.signal` aborts; never rejects for cluster errors
 * (they are reported through `onError` and retried).
 */
export async function runWatch<T extends KubernetesObject>(
  deps: WatchDeps<T>,
  options: WatchOptions<T>,
): Promise<void> {
  const { signal } = options;
  const logger = deps.logger;
  const meta = {
    cluster: deps.clusterName,
    namespace: options.namespace,
    labelSelector: options.labelSelector,
  };
  const backoff = new Backoff(options.backoff);
  // Shared with watchOnce, which advances it as events and bookmarks arrive.
  const state: { resourceVersion?: string } = {};

  while (!signal.aborted) {
    try {
      if (state.resourceVersion === undefined) {
        const list = await deps.listAll({
          signal,
          pageSize: options.listPageSize ?? 500,
        });
        if (signal.aborted) {
          break;
        }
        state.resourceVersion = list.resourceVersion;
        await options.onResync?.(list.items);
        backoff.reset();
      }
      const outcome = await watchOnce(deps, options, state);
      if (outcome.kind === 'expired') {
        logger.info('Kubernetes watch expired, relisting', {
          ...meta,
          resourceVersion: state.resourceVersion,
        });
        state.resourceVersion = undefined;
        continue;
      }
      if (outcome.healthy) {
        backoff.reset();
        continue;
      }
      const delayMs = backoff.next();
      logger.debug('Kubernetes watch closed early, reconnecting', {
        ...meta,
        delayMs,
      });
      await sleep(delayMs, signal);
    } catch (err) {
      if (signal.aborted) {
        break;
      }
      if (isGone(err)) {
        state.resourceVersion = undefined;
        continue;
      }
      const error = toBackstageError(err, deps.clusterName);
      const delayMs = backoff.next();
      logger.warn('Kubernetes watch attempt failed, retrying', {
        ...meta,
        error: error.message,
        attempt: backoff.attempts,
        delayMs,
      });
      try {
        options.onError?.(error);
      } catch {
        // A faulty error callback must not kill the watch.
      }
      await sleep(delayMs, signal);
    }
  }
}

async function watchOnce<T extends KubernetesObject>(
  deps: WatchDeps<T>,
  options: WatchOptions<T>,
  state: { resourceVersion?: string },
): Promise<AttemptOutcome> {
  const { signal } = options;
  const timeoutSeconds =
    options.timeoutSeconds ?? 300 + Math.floor(Math.random() * 300);
  const stream = await deps.openStream(
    {
      watch: 'true',
      resourceVersion: state.resourceVersion,
      allowWatchBookmarks: 'true',
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      timeoutSeconds: String(timeoutSeconds),
    },
    signal,
  );
  const startedAt = Date.now();
  let receivedAny = false;

  // Safety net for half-open TCP connections: the server should end the
  // stream after timeoutSeconds, so silence well beyond that means the
  // connection is dead.
  const idleMs = (timeoutSeconds + 30) * 1000;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const armIdle = () => {
    if (idleTimer) {
      clearTimeout(idleTimer);
    }
    idleTimer = setTimeout(() => stream.close(), idleMs);
  };

  const decoder = new StringDecoder('utf8');
  let buffer = '';
  try {
    armIdle();
    for await (const chunk of stream.response) {
      armIdle();
      buffer += decoder.write(chunk as Buffer);
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        if (!line) {
          continue;
        }
        let event: { type?: string; object?: any };
        try {
          event = JSON.parse(line, deps.reviver);
        } catch {
          deps.logger.warn('Ignoring unparsable Kubernetes watch line', {
            cluster: deps.clusterName,
          });
          continue;
        }
        receivedAny = true;
        const rv: string | undefined = event.object?.metadata?.resourceVersion;
        switch (event.type) {
          case 'BOOKMARK':
            if (rv) {
              state.resourceVersion = rv;
            }
            break;
          case 'ERROR': {
            const status = event.object ?? {};
            if (status.code === 410) {
              return { kind: 'expired' };
            }
            throw new ApiException(
              typeof status.code === 'number' ? status.code : 500,
              'Kubernetes watch error',
              JSON.stringify(status),
              {},
            );
          }
          case 'ADDED':
          case 'MODIFIED':
          case 'DELETED':
            try {
              await options.onEvent({ type: event.type, object: event.object });
            } catch (error) {
              deps.logger.error('Kubernetes watch event handler failed', {
                cluster: deps.clusterName,
                type: event.type,
                name: event.object?.metadata?.name,
                error: String(error),
              });
            }
            if (rv) {
              state.resourceVersion = rv;
            }
            break;
          default:
            break;
        }
        if (signal.aborted) {
          return { kind: 'closed', healthy: true };
        }
      }
    }
  } catch (err) {
    if (signal.aborted) {
      return { kind: 'closed', healthy: true };
    }
    // A connection dropped after delivering events is routine (load
    // balancers, API server restarts): resume right away from the last
    // resourceVersion. One that dropped without delivering anything, or a
    // server-reported ERROR event, is treated as a failure so we back off.
    if (!receivedAny || err instanceof ApiException) {
      throw err;
    }
    deps.logger.debug('Kubernetes watch connection dropped, resuming', {
      cluster: deps.clusterName,
      error: String(err),
    });
  } finally {
    if (idleTimer) {
      clearTimeout(idleTimer);
    }
    stream.close();
  }
  return {
    kind: 'closed',
    healthy: receivedAny || Date.now() - startedAt >= HEALTHY_CONNECTION_MS,
  };
}
