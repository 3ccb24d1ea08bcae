import { ResponseError } from '@backstage/errors';
import {
  ClusterDetails,
  ClusterGpuActivity,
  ClusterSummary,
} from '@internal/plugin-cluster-status-common';
import { ClusterStatusApi } from './ClusterStatusApi';

/**
 * HTTP implementation of {@link ClusterStatusApi}.
 *
 * @public
 */
export class ClusterStatusClient implements ClusterStatusApi {
  private readonly discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('cluster-status');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }

  async listClusters(): Promise<ClusterSummary[]> {
    const body = await this.get<{ items: ClusterSummary[] }>('/clusters');
    return body.items;
  }

  async getCluster(name: string): Promise<ClusterDetails> {
    return this.get<ClusterDetails>(`/clusters/${encodeURIComponent(name)}`);
  }

  async listGpuActivity(): Promise<ClusterGpuActivity[]> {
    const body = await this.get<{ items: ClusterGpuActivity[] }>(
      '/gpu-activity',
    );
    return body.items;
  }
}
