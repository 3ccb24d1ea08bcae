import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { KubernetesObject } from '@kubernetes/client-node';
import { toBackstageError } from '../errors/toBackstageError';
import {
  JsonReviver,
  KubernetesTransport,
  TransportRequest,
} from '../transport/KubernetesTransport';
import { runWatch } from '../watch/runWatch';
import { WatchOptions } from '../watch/WatchOptions';
import {
  ApplyOptions,
  DeleteOptions,
  DeleteResult,
  GetOptions,
  ListOptions,
  ResourceClient,
  ResourceList,
} from './ClusterClient';
import {
  apiVersionOf,
  fromWire,
  resourcePath,
  ResourceType,
  toWire,
} from './resources';

/** Shared state of all resource clients of one ClusterClient. */
export interface ClientContext {
  clusterName: string;
  /**
   * Resolved per call, so a missing identity (no writer configured) fails the
   * call through the usual error path instead of the client's construction.
   */
  transport: () => KubernetesTransport;
  fieldManager: string;
  logger: LoggerService;
  signal?: AbortSignal;
  timeoutMs?: number;
}

function combineSignals(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): AbortSignal | undefined {
  if (a && b) {
    return AbortSignal.any([a, b]);
  }
  return a ?? b;
}

/**
 * ResourceClient over the raw transport. Every request goes through `call`,
 * which is the single place where errors are translated.
 */
export class DefaultResourceClient<T extends KubernetesObject>
  implements ResourceClient<T>
{
  readonly type: ResourceType;
  private readonly ctx: ClientContext;
  private readonly defaultNamespace?: string;
  private readonly reviver: JsonReviver;

  static create<T extends KubernetesObject>(options: {
    context: ClientContext;
    type: ResourceType;
    reviver: JsonReviver;
    defaultNamespace?: string;
  }): DefaultResourceClient<T> {
    return new DefaultResourceClient<T>(options);
  }

  private constructor(options: {
    context: ClientContext;
    type: ResourceType;
    reviver: JsonReviver;
    defaultNamespace?: string;
  }) {
    this.ctx = options.context;
    this.type = options.type;
    this.reviver = options.reviver;
    this.defaultNamespace = options.defaultNamespace;
  }

  async get(name: string, options: GetOptions = {}): Promise<T> {
    const namespace = this.requireNamespace(options.namespace, name);
    const object = await this.call<T>({
      method: 'GET',
      path: resourcePath(this.type, namespace, this.requireName(name)),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    return this.withTypeMeta(object);
  }

  async list(options: ListOptions = {}): Promise<ResourceList<T>> {
    const namespace = options.namespace ?? this.defaultNamespace;
    const list = await this.call<{
      items?: T[];
      metadata?: {
        resourceVersion?: string;
        continue?: string;
        remainingItemCount?: number;
      };
    }>({
      method: 'GET',
      path: resourcePath(this.type, namespace),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.resourceVersion,
      },
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    return {
      // The API server omits apiVersion/kind on list items; restoring them
      // lets callers re-apply or route items without knowing the list type.
      items: (list.items ?? []).map(item => this.withTypeMeta(item)),
      resourceVersion: list.metadata?.resourceVersion ?? '',
      continue: list.metadata?.continue || undefined,
      remainingItemCount: list.metadata?.remainingItemCount,
    };
  }

  async *listPages(options: ListOptions = {}): AsyncIterable<ResourceList<T>> {
    let token = options.continue;
    do {
      const page = await this.list({ ...options, continue: token });
      yield page;
      token = page.continue;
    } while (token);
  }

  async listAll(options: Omit<ListOptions, 'continue'> = {}): Promise<T[]> {
    const items: T[] = [];
    for await (const page of this.listPages(options)) {
      items.push(...page.items);
    }
    return items;
  }

  apply(object: T, options: ApplyOptions): Promise<T> {
    return this.serverSideApply(object, options);
  }

  applyStatus(object: T, options: ApplyOptions): Promise<T> {
    return this.serverSideApply(object, options, 'status');
  }

  async delete(
    name: string,
    options: DeleteOptions = {},
  ): Promise<DeleteResult> {
    const namespace = this.requireNamespace(options.namespace, name);
    try {
      await this.call({
        method: 'DELETE',
        path: resourcePath(this.type, namespace, this.requireName(name)),
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: options.propagationPolicy,
          gracePeriodSeconds: options.gracePeriodSeconds,
        },
        signal: options.signal,
        timeoutMs: options.timeoutMs,
      });
      return { deleted: true };
    } catch (error) {
      // Deletes are idempotent: "already gone" is the desired end state.
      if (error instanceof NotFoundError) {
        return { deleted: false };
      }
      throw error;
    }
  }

  watch(options: WatchOptions<T>): Promise<void> {
    const namespace = options.namespace ?? this.defaultNamespace;
    const signal = combineSignals(this.ctx.signal, options.signal)!;
    return runWatch<T>(
      {
        clusterName: this.ctx.clusterName,
        logger: this.ctx.logger,
        reviver: this.reviver,
        listAll: async ({ signal: listSignal, pageSize }) => {
          let resourceVersion = '';
          const items: T[] = [];
          for await (const page of this.listPages({
            namespace,
            labelSelector: options.labelSelector,
            fieldSelector: options.fieldSelector,
            limit: pageSize,
            signal: listSignal,
          })) {
            items.push(...page.items);
            resourceVersion = page.resourceVersion;
          }
          return { items, resourceVersion };
        },
        openStream: async (query, streamSignal) => {
          try {
            return await this.ctx.transport().stream({
              method: 'GET',
              path: resourcePath(this.type, namespace),
              query,
              signal: streamSignal,
              timeoutMs: this.ctx.timeoutMs,
            });
          } catch (error) {
            throw toBackstageError(error, this.ctx.clusterName);
          }
        },
      },
      {
        ...options,
        namespace,
        signal,
        onEvent: event =>
          options.onEvent({
            type: event.type,
            object: fromWire(event.object, this.type.kind),
          }),
      },
    );
  }

  private async serverSideApply(
    object: T,
    options: ApplyOptions,
    subresource?: string,
  ): Promise<T> {
    if (typeof options?.force !== 'boolean') {
      throw new InputError(
        'apply requires an explicit "force" option (true or false)',
      );
    }
    const name = this.requireName(object?.metadata?.name);
    const namespace = this.requireNamespace(object.metadata?.namespace, name);
    const kind = object.kind ?? this.type.kind;
    if (!kind) {
      throw new InputError(
        `cannot apply ${this.type.plural} "${name}": kind is required`,
      );
    }
    const apiVersion = object.apiVersion ?? apiVersionOf(this.type);
    if (apiVersion !== apiVersionOf(this.type)) {
      throw new InputError(
        `cannot apply ${kind} "${name}": apiVersion ${apiVersion} does not match ${apiVersionOf(
          this.type,
        )}`,
      );
    }
    // managedFields must be empty in an apply request; objects read back from
    // the API server carry them, so strip rather than fail.
    const { managedFields: _ignored, ...metadata } = object.metadata ?? {};
    const body = {
      ...object,
      apiVersion,
      kind,
      metadata: {
        ...metadata,
        ...(namespace && this.type.namespaced !== false ? { namespace } : {}),
      },
    };
    const result = await this.call<T>({
      method: 'PATCH',
      path: resourcePath(this.type, namespace, name, subresource),
      query: {
        fieldManager: this.ctx.fieldManager,
        force: options.force,
        dryRun: options.dryRun ? 'All' : undefined,
      },
      body: toWire(body, kind),
      contentType: 'application/apply-patch+yaml',
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    return this.withTypeMeta(result);
  }

  private async call<R>(request: TransportRequest): Promise<R> {
    try {
      return await this.ctx.transport().request<R>(
        {
          ...request,
          signal: combineSignals(this.ctx.signal, request.signal),
          timeoutMs: request.timeoutMs ?? this.ctx.timeoutMs,
        },
        this.reviver,
      );
    } catch (error) {
      throw toBackstageError(error, this.ctx.clusterName);
    }
  }

  private withTypeMeta(object: T): T {
    if (!object || typeof object !== 'object') {
      return object;
    }
    return fromWire(
      {
        ...object,
        apiVersion: object.apiVersion ?? apiVersionOf(this.type),
        kind: object.kind ?? this.type.kind,
      },
      this.type.kind,
    );
  }

  private requireName(name: string | undefined): string {
    if (!name) {
      throw new InputError(
        `Kubernetes cluster "${this.ctx.clusterName}": a name is required for ${this.type.plural}`,
      );
    }
    return name;
  }

  private requireNamespace(
    namespace: string | undefined,
    name: string | undefined,
  ): string | undefined {
    const resolved = namespace ?? this.defaultNamespace;
    if (this.type.namespaced === true && !resolved) {
      throw new InputError(
        `Kubernetes cluster "${this.ctx.clusterName}": a namespace is required for ${this.type.plural} "${name}"`,
      );
    }
    return this.type.namespaced === false ? undefined : resolved;
  }
}
