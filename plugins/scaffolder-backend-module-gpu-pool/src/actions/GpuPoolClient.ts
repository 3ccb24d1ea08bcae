import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CreateGpuRequest,
  GpuPoolSummary,
  GpuRequest,
} from '@internal/plugin-gpu-pool-common';

/**
 * Talks to the gpu-pool backend on behalf of the user who started the task,
 * so the backend applies that user's team membership and permissions.
 */
export class GpuPoolClient {
  private constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  static create(options: { discovery: DiscoveryService; auth: AuthService }) {
    return new GpuPoolClient(options.discovery, options.auth);
  }

  private async call<T>(
    credentials: BackstageCredentials,
    path: string,
    init?: { method: string; body: unknown },
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('gpu-pool');
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'gpu-pool',
    });
    const res = await fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init ? { 'content-type': 'application/json' } : {}),
      },
      body: init ? JSON.stringify(init.body) : undefined,
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }

  createRequest(credentials: BackstageCredentials, body: CreateGpuRequest) {
    return this.call<GpuRequest>(credentials, '/requests', {
      method: 'POST',
      body,
    });
  }

  getRequest(credentials: BackstageCredentials, id: string) {
    return this.call<GpuRequest>(
      credentials,
      `/requests/${encodeURIComponent(id)}`,
    );
  }

  async listPools(credentials: BackstageCredentials) {
    const { items } = await this.call<{ items: GpuPoolSummary[] }>(
      credentials,
      '/pools',
    );
    return items;
  }

  async listTeamRequests(credentials: BackstageCredentials) {
    const { items } = await this.call<{ items: GpuRequest[] }>(
      credentials,
      '/requests?scope=team',
    );
    return items;
  }
}
