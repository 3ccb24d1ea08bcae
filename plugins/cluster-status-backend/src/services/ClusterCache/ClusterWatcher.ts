import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ClusterClient,
  WatchEvent,
  WatchOptions,
} from '@internal/plugin-kubernetes-access-node';
import { ClusterState } from './ClusterState';
import {
  toEventRecord,
  toNamespaceRecord,
  toNodeRecord,
  toPodRecord,
  toQuotaRecord,
} from './projections';

/** Errors that mean the cluster answered but rejected our credentials. */
function isAuthFailure(error: Error): boolean {
  return error.name === 'AuthenticationError' || error.name === 'NotAllowedError';
}

/**
 * Keeps one {@link ClusterState} up to date: list+watch of nodes, pods,
 * namespaces, resource quotas and warning events through the access layer
 * (which resumes dropped watches from their resourceVersion and relists on
 * 410), plus a cheap periodic probe that detects a cluster going away while
 * its watch sockets are silent, and its return.
 */
export class ClusterWatcher {
  private readonly client: ClusterClient;
  private readonly state: ClusterState;
  private readonly logger: LoggerService;
  private readonly probeIntervalMs: number;
  private readonly probeTimeoutMs: number;
  private readonly onChange: () => void;
  private readonly abort = new AbortController();
  private running: Promise<unknown>[] = [];

  static create(options: {
    client: ClusterClient;
    state: ClusterState;
    logger: LoggerService;
    probeIntervalMs: number;
    probeTimeoutMs: number;
    onChange: () => void;
  }): ClusterWatcher {
    return new ClusterWatcher(options);
  }

  private constructor(options: {
    client: ClusterClient;
    state: ClusterState;
    logger: LoggerService;
    probeIntervalMs: number;
    probeTimeoutMs: number;
    onChange: () => void;
  }) {
    this.client = options.client;
    this.state = options.state;
    this.logger = options.logger;
    this.probeIntervalMs = options.probeIntervalMs;
    this.probeTimeoutMs = options.probeTimeoutMs;
    this.onChange = options.onChange;
  }

  start(): void {
    const { signal } = this.abort;
    const client = this.client;
    const state = this.state;
    const onError = (error: Error) => this.failed(error);
    // Each kind is mirrored the same way: a relist replaces the records, an
    // event applies one, and either counts as contact with the cluster.
    const mirror = <T, R>(
      resource: { watch(options: WatchOptions<T>): Promise<void> },
      project: (object: T) => R,
      replace: (records: R[]) => void,
      apply: (type: WatchEvent<T>['type'], record: R) => void,
      fieldSelector?: string,
    ) =>
      resource.watch({
        signal,
        fieldSelector,
        onResync: items => {
          replace(items.map(project));
          state.markContact();
          this.onChange();
        },
        onEvent: e => {
          apply(e.type, project(e.object));
          state.markContact();
          this.onChange();
        },
        onError,
      });
    this.running = [
      mirror(
        client.nodes,
        toNodeRecord,
        r => state.replaceNodes(r),
        (t, r) => state.applyNode(t, r),
      ),
      mirror(
        client.pods,
        toPodRecord,
        r => state.replacePods(r),
        (t, r) => state.applyPod(t, r),
      ),
      mirror(
        client.namespaces,
        toNamespaceRecord,
        r => state.replaceNamespaces(r),
        (t, r) => state.applyNamespace(t, r),
      ),
      mirror(
        client.resourceQuotas,
        toQuotaRecord,
        r => state.replaceQuotas(r),
        (t, r) => state.applyQuota(t, r),
      ),
      mirror(
        client.events,
        toEventRecord,
        r => state.replaceEvents(r),
        (t, r) => state.applyEvent(t, r),
        // Only warnings are shown; normal events are most of the churn.
        'type=Warning',
      ),
      this.probeLoop(),
    ];
  }

  private failed(error: Error): void {
    const status = isAuthFailure(error) ? 'authentication-failed' : 'unreachable';
    if (this.state.markFailure(status, error.message)) {
      this.logger.warn(`Cluster ${this.state.name} is ${status}`, {
        cluster: this.state.name,
        error: error.message,
      });
      this.onChange();
    }
  }

  /**
   * One tiny request per interval: watches alone do not notice a server that
   * stops answering while a socket stays open, nor its return before their
   * backoff expires.
   */
  private async probeLoop(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, this.probeIntervalMs);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      if (signal.aborted) {
        return;
      }
      try {
        await this.client.namespaces.list({
          limit: 1,
          signal,
          timeoutMs: this.probeTimeoutMs,
        });
        if (this.state.markContact()) {
          this.logger.info(`Cluster ${this.state.name} is reachable again`, {
            cluster: this.state.name,
          });
          this.onChange();
        }
      } catch (error) {
        if (!signal.aborted) {
          this.failed(error as Error);
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.running);
  }
}
