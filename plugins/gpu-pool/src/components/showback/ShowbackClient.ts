import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type {
  IdleReclaimStatus,
  ShowbackPeriod,
  ShowbackReport,
} from '@internal/plugin-gpu-pool-common';
import { body, gpuPoolFetchClient } from '../../api/gpuPoolFetchClient';

/** Query of the showback report. */
export interface ShowbackFilter {
  period: ShowbackPeriod;
  team?: string;
  pool?: string;
  from?: string;
  to?: string;
}

/**
 * Client of the gpu-pool backend's showback and idle-reclaim routes,
 * generated from its spec (openapi-fetch).
 */
export class ShowbackClient {
  private readonly api: ReturnType<typeof gpuPoolFetchClient>;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.api = gpuPoolFetchClient(deps);
  }

  private query(filter: ShowbackFilter) {
    const query: ShowbackFilter = { period: filter.period };
    for (const key of ['team', 'pool', 'from', 'to'] as const) {
      if (filter[key]) query[key] = filter[key];
    }
    return query;
  }

  async report(filter: ShowbackFilter): Promise<ShowbackReport> {
    const { client, baseUrl } = this.api;
    return body(
      await client.request('get', '/showback', {
        baseUrl: await baseUrl(),
        params: { query: this.query(filter) },
      }),
    );
  }

  /** The CSV export as a blob, with the file name the backend suggests. */
  async csv(filter: ShowbackFilter): Promise<{ blob: Blob; name: string }> {
    const { client, baseUrl } = this.api;
    const { data, response } = await client.request('get', '/showback.csv', {
      baseUrl: await baseUrl(),
      params: { query: this.query(filter) },
      parseAs: 'blob',
    });
    const disposition = response.headers.get('content-disposition') ?? '';
    const name =
      /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'gpu-showback.csv';
    return { blob: body({ data, response }), name };
  }

  async reclaimStatus(id: string): Promise<IdleReclaimStatus> {
    const { client, baseUrl } = this.api;
    return body(
      await client.request('get', '/reclaim/requests/{id}', {
        baseUrl: await baseUrl(),
        params: { path: { id } },
      }),
    );
  }

  async answer(
    id: string,
    action: 'keep' | 'release' | 'exempt',
    reason?: string,
  ): Promise<IdleReclaimStatus> {
    const { client, baseUrl } = this.api;
    const init = { baseUrl: await baseUrl(), params: { path: { id } } };
    if (action === 'exempt') {
      return body(
        await client.request('post', '/reclaim/requests/{id}/exempt', {
          ...init,
          body: { reason: reason ?? '' },
        }),
      );
    }
    return body(
      await client.request('post', `/reclaim/requests/{id}/${action}`, {
        ...init,
        body: reason ? { reason } : {},
      }),
    );
  }
}
