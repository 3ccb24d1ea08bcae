import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { InputError } from '@backstage/errors';
import {
  createGpuRequestSchema,
  describeZodError,
  type CreateGpuRequest,
  type GpuPoolSummary,
  type GpuRequest,
  type GpuWorkloadList,
} from '@internal/plugin-gpu-pool-common';
import { body, gpuPoolFetchClient } from './gpuPoolFetchClient';

/**
 * Body of `act`: a reason for approve, reject and release; a duration (and
 * an optional justification) for extend.
 *
 * @public
 */
export interface GpuRequestActionBody {
  reason?: string;
  duration?: string;
  justification?: string;
}

/** Client of the gpu-pool backend. @public */
export interface GpuPoolApi {
  listPools(options?: { history?: string }): Promise<GpuPoolSummary[]>;
  listRequests(
    scope: 'mine' | 'team' | 'all',
    statuses?: string[],
  ): Promise<GpuRequest[]>;
  getRequest(id: string): Promise<GpuRequest>;
  createRequest(body: CreateGpuRequest): Promise<GpuRequest>;
  act(
    id: string,
    action: 'approve' | 'reject' | 'release' | 'extend',
    body?: GpuRequestActionBody,
  ): Promise<GpuRequest>;
  /** The Kueue workloads (jobs) of the user's teams. */
  listWorkloads(options?: {
    cluster?: string;
    namespace?: string;
  }): Promise<GpuWorkloadList>;
}

/** @public */
export const gpuPoolApiRef = createApiRef<GpuPoolApi>({
  id: 'plugin.gpu-pool.api',
});

/**
 * Default {@link GpuPoolApi}, generated from the backend's spec
 * (openapi-fetch). @public
 */
export class GpuPoolClient implements GpuPoolApi {
  private readonly api: ReturnType<typeof gpuPoolFetchClient>;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.api = gpuPoolFetchClient(deps);
  }

  async listPools(options?: { history?: string }) {
    const { client, baseUrl } = this.api;
    const query = options?.history ? { history: options.history } : {};
    return body(
      await client.request('get', '/pools', {
        baseUrl: await baseUrl(),
        params: { query },
      }),
    ).items;
  }

  async listRequests(scope: 'mine' | 'team' | 'all', statuses?: string[]) {
    const { client, baseUrl } = this.api;
    const status = statuses?.length ? statuses.join(',') : undefined;
    return body(
      await client.request('get', '/requests', {
        baseUrl: await baseUrl(),
        params: { query: status ? { scope, status } : { scope } },
      }),
    ).items;
  }

  async getRequest(id: string) {
    const { client, baseUrl } = this.api;
    return body(
      await client.request('get', '/requests/{id}', {
        baseUrl: await baseUrl(),
        params: { path: { id } },
      }),
    );
  }

  async createRequest(request: CreateGpuRequest) {
    const { client, baseUrl } = this.api;
    // The backend's schema, defaults filled in: the spec's body is complete.
    const parsed = createGpuRequestSchema.safeParse(request);
    if (!parsed.success) throw new InputError(describeZodError(parsed.error));
    return body(
      await client.request('post', '/requests', {
        baseUrl: await baseUrl(),
        body: parsed.data,
      }),
    );
  }

  async act(
    id: string,
    action: 'approve' | 'reject' | 'release' | 'extend',
    options: GpuRequestActionBody = {},
  ) {
    const { client, baseUrl } = this.api;
    const init = { baseUrl: await baseUrl(), params: { path: { id } } };
    if (action === 'extend') {
      const { duration, justification } = options;
      if (!duration) throw new InputError('duration is required to extend');
      return body(
        await client.request('post', '/requests/{id}/extend', {
          ...init,
          body: justification ? { duration, justification } : { duration },
        }),
      );
    }
    const decision = options.reason ? { reason: options.reason } : {};
    return body(
      await client.request('post', `/requests/{id}/${action}`, {
        ...init,
        body: decision,
      }),
    );
  }

  async listWorkloads(options: { cluster?: string; namespace?: string } = {}) {
    const { client, baseUrl } = this.api;
    const query: { cluster?: string; namespace?: string } = {};
    if (options.cluster) query.cluster = options.cluster;
    if (options.namespace) query.namespace = options.namespace;
    return body(
      await client.request('get', '/workloads', {
        baseUrl: await baseUrl(),
        params: { query },
      }),
    );
  }
}
