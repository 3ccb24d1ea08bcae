import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  CoreV1Event,
  KubernetesObject,
  V1LimitRange,
  V1Namespace,
  V1NetworkPolicy,
  V1Node,
  V1Pod,
  V1ResourceQuota,
  V1RoleBinding,
} from '@kubernetes/client-node';
import { ClusterDetails } from '../registry/ClusterRegistry';
import { KubernetesTransport } from '../transport/KubernetesTransport';
import { WatchOptions } from '../watch/WatchOptions';
import {
  ApplyOptions,
  ClusterClient,
  CustomResourceRef,
  ResourceClient,
} from './ClusterClient';
import { ClientContext, DefaultResourceClient } from './DefaultResourceClient';
import {
  builtinReviver,
  customResourceReviver,
  findBuiltinType,
  kubernetesResourceTypes,
  ResourceType,
} from './resources';

/** Field managers are sent as a query parameter and limited to 128 chars. */
const FIELD_MANAGER = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

function isCustomResourceRef(
  value: ResourceType | CustomResourceRef,
): value is CustomResourceRef {
  return 'namespace' in value || !('namespaced' in value);
}

/**
 * ClusterClient bound to one cluster, one field manager and optionally one
 * abort signal.
 *
 * @public
 */
export class DefaultClusterClient implements ClusterClient {
  readonly cluster: ClusterDetails;
  readonly fieldManager: string;
  readonly namespaces: ResourceClient<V1Namespace>;
  readonly resourceQuotas: ResourceClient<V1ResourceQuota>;
  readonly limitRanges: ResourceClient<V1LimitRange>;
  readonly networkPolicies: ResourceClient<V1NetworkPolicy>;
  readonly roleBindings: ResourceClient<V1RoleBinding>;
  readonly nodes: ResourceClient<V1Node>;
  readonly pods: ResourceClient<V1Pod>;
  readonly events: ResourceClient<CoreV1Event>;
  private readonly context: ClientContext;

  /**
   * Creates a client. Prefer `KubernetesAccess.forCluster`, which shares
   * transports and registry lookups.
   */
  static create(options: {
    cluster: ClusterDetails;
    transport: KubernetesTransport | (() => KubernetesTransport);
    fieldManager: string;
    logger: LoggerService;
    signal?: AbortSignal;
    timeoutMs?: number;
  }): DefaultClusterClient {
    if (!FIELD_MANAGER.test(options.fieldManager ?? '')) {
      throw new InputError(
        `Invalid fieldManager "${options.fieldManager}"; use a constant per component such as "portal-gpu-pool"`,
      );
    }
    return new DefaultClusterClient(options);
  }

  private constructor(options: {
    cluster: ClusterDetails;
    transport: KubernetesTransport | (() => KubernetesTransport);
    fieldManager: string;
    logger: LoggerService;
    signal?: AbortSignal;
    timeoutMs?: number;
  }) {
    this.cluster = options.cluster;
    this.fieldManager = options.fieldManager;
    this.context = {
      clusterName: options.cluster.name,
      transport:
        typeof options.transport === 'function'
          ? options.transport
          : () => options.transport as KubernetesTransport,
      fieldManager: options.fieldManager,
      logger: options.logger,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    };
    const t = kubernetesResourceTypes;
    this.namespaces = this.resources(t.namespaces);
    this.resourceQuotas = this.resources(t.resourceQuotas);
    this.limitRanges = this.resources(t.limitRanges);
    this.networkPolicies = this.resources(t.networkPolicies);
    this.roleBindings = this.resources(t.roleBindings);
    this.nodes = this.resources(t.nodes);
    this.pods = this.resources(t.pods);
    this.events = this.resources(t.events);
  }

  resources<T extends KubernetesObject = KubernetesObject>(
    type: ResourceType,
  ): ResourceClient<T> {
    const builtin = findBuiltinType(
      type.group ? `${type.group}/${type.version}` : type.version,
      type.kind,
    );
    return DefaultResourceClient.create<T>({
      context: this.context,
      type,
      reviver: builtin ? builtinReviver : customResourceReviver,
    });
  }

  customResources<T extends KubernetesObject = KubernetesObject>(
    ref: CustomResourceRef,
  ): ResourceClient<T> {
    return DefaultResourceClient.create<T>({
      context: this.context,
      type: {
        group: ref.group,
        version: ref.version,
        plural: ref.plural,
        kind: ref.kind,
      },
      reviver: customResourceReviver,
      defaultNamespace: ref.namespace,
    });
  }

  apply<T extends KubernetesObject>(
    object: T,
    options: ApplyOptions,
  ): Promise<T> {
    const type = findBuiltinType(object?.apiVersion, object?.kind);
    if (!type) {
      return Promise.reject(
        new InputError(
          `Kubernetes cluster "${this.cluster.name}": cannot apply ${object?.apiVersion}/${object?.kind}; use customResources({ group, version, plural }).apply for custom resources`,
        ),
      );
    }
    return this.resources<T>(type).apply(object, options);
  }

  watch<T extends KubernetesObject = KubernetesObject>(
    resource: ResourceType | CustomResourceRef,
    options: WatchOptions<T>,
  ): Promise<void> {
    const client = isCustomResourceRef(resource)
      ? this.customResources<T>(resource)
      : this.resources<T>(resource);
    return client.watch(options);
  }
}
