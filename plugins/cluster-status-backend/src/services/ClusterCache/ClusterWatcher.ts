import { LoggerService } from '@backstage/backend-plugin-api';
import type { ClusterClient } from '@internal/plugin-kubernetes-access-node';
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
    const changed = () => {
      state.markContact();
      this.onChange();
    };
    const onError = (error: Error) => this.failed(error);
    this.running = [
      client.nodes.watch({
        signal,
        onResync: items => {
          state.replaceNodes(items.map(toNodeRecord));
          changed();
        },
        onEvent: e => {
          state.applyNode(e.type, toNodeRecord(e.object));
          changed();
        },
        onError,
      }),
      client.pods.watch({
        signal,
        onResync: items => {
          state.replacePods(items.map(toPodRecord));
          changed();
        },
        onEvent: e => {
          state.applyPod(e.type, toPodRecord(e.object));
          changed();
        },
        onError,
      }),
      client.namespaces.watch({
        signal,
        onResync: items => {
          state.replaceNamespaces(items.map(toNamespaceRecord));
          changed();
        },
        onEvent: e => {
          state.applyNamespace(e.type, toNamespaceRecord(e.object));
          changed();
        },
        onError,
      }),
      client.resourceQuotas.watch({
        signal,
        onResync: items => {
          state.replaceQuotas(items.map(toQuotaRecord));
          changed();
        },
        onEvent: e => {
          state.applyQuota(e.type, toQuotaRecord(e.object));
          changed();
        },
        onError,
      }),
      client.events.watch({
        signal,
        // Only warnings are shown; normal events are most of the churn.
        fieldSelector: 'type=Warning',
        onResync: items => {
          state.replaceEvents(items.map(toEventRecord));
          changed();
        },
        onEvent: e => {
          state.applyEvent(e.type, toEventRecord(e.object));
          changed();
        },
        onError,
      }),
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
