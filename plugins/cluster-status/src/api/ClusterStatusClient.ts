import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ClusterDetails,
  ClusterGpuActivity,
  ClusterStatusPaths,
  ClusterSummary,
} from '@internal/plugin-cluster-status-common';
import { openApiFetch } from '@internal/plugin-portal-react';
import createClient from 'openapi-fetch';
import { ClusterStatusApi } from './ClusterStatusApi';

// Non-2xx answers throw in the middleware, so a missing body is a broken
// backend, not an error to hand on.
function body<T>(data: T | undefined): T {
  if (data === undefined) {
    throw new Error('The cluster-status backend answered without a body');
  }
  return data;
}

/**
 * HTTP implementation of {@link ClusterStatusApi}, an openapi-fetch client
 * typed from the backend's OpenAPI spec that sends through the fetchApi (the
 * user's token) as the portal's other clients do (`openApiFetch`).
 *
 * @public
 */
export class ClusterStatusClient implements ClusterStatusApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly client;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.client = createClient<ClusterStatusPaths>({
      fetch: openApiFetch(options.fetchApi),
    });
    // Before openapi-fetch reads the body: the error keeps the backend's
    // name and message.
    this.client.use({
      async onResponse({ response }) {
        if (!response.ok) {
          throw await ResponseError.fromResponse(response);
        }
        return undefined;
      },
    });
  }

  private baseUrl(): Promise<string> {
    return this.discoveryApi.getBaseUrl('cluster-status');
  }

  async listClusters(): Promise<ClusterSummary[]> {
    const { data } = await this.client.request('get', '/clusters', {
      baseUrl: await this.baseUrl(),
    });
    return body(data).items;
  }

  async getCluster(name: string): Promise<ClusterDetails> {
    const { data } = await this.client.request('get', '/clusters/{name}', {
      baseUrl: await this.baseUrl(),
      params: { path: { name } },
    });
    return body(data);
  }

  async listGpuActivity(): Promise<ClusterGpuActivity[]> {
    const { data } = await this.client.request('get', '/gpu-activity', {
      baseUrl: await this.baseUrl(),
    });
    return body(data).items;
  }
}
