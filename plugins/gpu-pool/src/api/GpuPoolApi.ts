import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CreateGpuRequest,
  GpuPoolSummary,
  GpuRequest,
  GpuWorkloadList,
} from '@internal/plugin-gpu-pool-common';

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
    body?: object,
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

/** Default {@link GpuPoolApi} over fetch. @public */
export class GpuPoolClient implements GpuPoolApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('gpu-pool');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, {
      ...init,
      headers: init?.body ? { 'content-type': 'application/json' } : undefined,
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  async listPools(options?: { history?: string }) {
    const q = options?.history
      ? `?history=${encodeURIComponent(options.history)}`
      : '';
    return (await this.call<{ items: GpuPoolSummary[] }>(`/pools${q}`)).items;
  }

  async listRequests(scope: 'mine' | 'team' | 'all', statuses?: string[]) {
    const status = statuses?.length ? `&status=${statuses.join(',')}` : '';
    return (
      await this.call<{ items: GpuRequest[] }>(
        `/requests?scope=${scope}${status}`,
      )
    ).items;
  }

  getRequest(id: string) {
    return this.call<GpuRequest>(`/requests/${encodeURIComponent(id)}`);
  }

  createRequest(body: CreateGpuRequest) {
    return this.call<GpuRequest>('/requests', {
      method: 'POST',
      body: JSON.stringify(body),
    });
  }

  act(
    id: string,
    action: 'approve' | 'reject' | 'release' | 'extend',
    body: object = {},
  ) {
    return this.call<GpuRequest>(
      `/requests/${encodeURIComponent(id)}/${action}`,
      {
        method: 'POST',
        body: JSON.stringify(body),
      },
    );
  }

  listWorkloads(options: { cluster?: string; namespace?: string } = {}) {
    const query = new URLSearchParams();
    if (options.cluster) query.set('cluster', options.cluster);
    if (options.namespace) query.set('namespace', options.namespace);
    const q = query.toString();
    return this.call<GpuWorkloadList>(`/workloads${q ? `?${q}` : ''}`);
  }
}
