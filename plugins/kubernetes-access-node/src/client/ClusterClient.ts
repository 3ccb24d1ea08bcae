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
import type { ClusterDetails } from '../registry/ClusterRegistry';
import type { ClusterIdentity } from '../registry/readKubernetesAccessConfig';
import type { WatchOptions } from '../watch/WatchOptions';
import type { ResourceType } from './resources';

/**
 * Options shared by every call.
 *
 * @public
 */
export interface RequestOptions {
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Overrides the cluster's per-request timeout. */
  timeoutMs?: number;
}

/**
 * Options of `get`.
 *
 * @public
 */
export interface GetOptions extends RequestOptions {
  /** Required for namespaced kinds unless the client has a default namespace. */
  namespace?: string;
}

/**
 * Options of `list` and `listPages`.
 *
 * @public
 */
export interface ListOptions extends RequestOptions {
  /** Lists one namespace; all namespaces when omitted. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size. */
  limit?: number;
  /** Continue token from a previous page. */
  continue?: string;
  /** Server semantics of `resourceVersion` on list calls. */
  resourceVersion?: string;
}

/**
 * One page of a list.
 *
 * @public
 */
export interface ResourceList<T> {
  items: T[];
  /** Resource version of the list; a watch can start from it. */
  resourceVersion: string;
  /** Token for the next page; undefined on the last page. */
  continue?: string;
  remainingItemCount?: number;
}

/**
 * Options of a server-side apply.
 *
 * @public
 */
export interface ApplyOptions extends RequestOptions {
  /**
   * Whether to take ownership of fields managed by another field manager.
   * Deliberately required: forcing silently overrides other controllers, so
   * every call site must decide.
   */
  force: boolean;
  /** Validate and compute the result without persisting it. */
  dryRun?: boolean;
}

/**
 * Options of `delete`.
 *
 * @public
 */
export interface DeleteOptions extends RequestOptions {
  namespace?: string;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
}

/**
 * Result of an idempotent delete.
 *
 * @public
 */
export interface DeleteResult {
  /** False when the object did not exist (HTTP 404), which counts as success. */
  deleted: boolean;
}

/**
 * Typed access to one resource type on one cluster. All failures are thrown
 * as Backstage errors (see `toBackstageError`).
 *
 * @public
 */
export interface ResourceClient<T extends KubernetesObject> {
  /** The resource type this client talks to. */
  readonly type: ResourceType;
  /** Reads one object; throws NotFoundError when it does not exist. */
  get(name: string, options?: GetOptions): Promise<T>;
  /** Reads one page. */
  list(options?: ListOptions): Promise<ResourceList<T>>;
  /** Iterates over all pages, following continue tokens. */
  listPages(options?: ListOptions): AsyncIterable<ResourceList<T>>;
  /** Reads all pages and returns every item. */
  listAll(options?: Omit<ListOptions, 'continue'>): Promise<T[]>;
  /**
   * Server-side apply of the object with the client's field manager.
   * `metadata.managedFields` is stripped; a `metadata.resourceVersion` is kept
   * and makes the apply conditional (ConflictError when stale).
   */
  apply(object: T, options: ApplyOptions): Promise<T>;
  /** Server-side apply to the `/status` subresource. */
  applyStatus(object: T, options: ApplyOptions): Promise<T>;
  /** Deletes an object; a missing object is reported as `{ deleted: false }`. */
  delete(name: string, options?: DeleteOptions): Promise<DeleteResult>;
  /** Lists, then watches; see {@link WatchOptions}. */
  watch(options: WatchOptions<T>): Promise<void>;
}

/**
 * Identifies a custom resource type.
 *
 * @public
 */
export interface CustomResourceRef {
  group: string;
  version: string;
  plural: string;
  /** Kind, needed to apply objects that omit `kind`. */
  kind?: string;
  /** Default namespace for calls on this client; cluster-scoped when omitted. */
  namespace?: string;
}

/**
 * Options of `forCluster`.
 *
 * @public
 */
export interface ClusterClientOptions {
  /**
   * Server-side apply field manager, one constant per component, for example
   * `portal-gpu-pool`.
   */
  fieldManager: string;
  /**
   * Which of the portal's identities on the cluster to use. Defaults to
   * `reader` (get, list, watch only); ask for `writer` only to change objects.
   * A cluster without `writerAuth` throws ServiceUnavailableError for it.
   */
  as?: ClusterIdentity;
  /** Aborts every call made through this client. */
  signal?: AbortSignal;
  /** Overrides the cluster's per-request timeout. */
  timeoutMs?: number;
}

/**
 * Access to one cluster.
 *
 * @public
 */
export interface ClusterClient {
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
  /** A client for a custom resource type. */
  customResources<T extends KubernetesObject = KubernetesObject>(
    ref: CustomResourceRef,
  ): ResourceClient<T>;
  /** A client for any resource type. */
  resources<T extends KubernetesObject = KubernetesObject>(
    type: ResourceType,
  ): ResourceClient<T>;
  /**
   * Server-side apply of a built-in object, resolved from its apiVersion and
   * kind. Use `customResources(...).apply` for custom resources.
   */
  apply<T extends KubernetesObject>(
    object: T,
    options: ApplyOptions,
  ): Promise<T>;
  /** Lists, then watches a resource type; see {@link WatchOptions}. */
  watch<T extends KubernetesObject = KubernetesObject>(
    resource: ResourceType | CustomResourceRef,
    options: WatchOptions<T>,
  ): Promise<void>;
}
