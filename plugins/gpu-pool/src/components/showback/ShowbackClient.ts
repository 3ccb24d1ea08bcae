import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  IdleReclaimStatus,
  ShowbackPeriod,
  ShowbackReport,
} from '@internal/plugin-gpu-pool-common';

/** Query of the showback report. */
export interface ShowbackFilter {
  period: ShowbackPeriod;
  team?: string;
  pool?: string;
  from?: string;
  to?: string;
}

/** Client of the gpu-pool backend's showback and idle-reclaim routes. */
export class ShowbackClient {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async fetch(path: string, init?: RequestInit) {
    const base = await this.deps.discoveryApi.getBaseUrl('gpu-pool');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, {
      ...init,
      headers: init?.body ? { 'content-type': 'application/json' } : undefined,
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res;
  }

  private query(filter: ShowbackFilter) {
    const q = new URLSearchParams({ period: filter.period });
    for (const key of ['team', 'pool', 'from', 'to'] as const) {
      if (filter[key]) q.set(key, filter[key]!);
    }
    return q.toString();
  }

  async report(filter: ShowbackFilter): Promise<ShowbackReport> {
    return (await this.fetch(`/showback?${this.query(filter)}`)).json();
  }

  /** The CSV export as a blob, with the file name the backend suggests. */
  async csv(filter: ShowbackFilter): Promise<{ blob: Blob; name: string }> {
    const res = await this.fetch(`/showback.csv?${this.query(filter)}`);
    const disposition = res.headers.get('content-disposition') ?? '';
    const name =
      /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'gpu-showback.csv';
    return { blob: await res.blob(), name };
  }

  async reclaimStatus(id: string): Promise<IdleReclaimStatus> {
    return (
      await this.fetch(`/reclaim/requests/${encodeURIComponent(id)}`)
    ).json();
  }

  async answer(
    id: string,
    action: 'keep' | 'release' | 'exempt',
    reason?: string,
  ): Promise<IdleReclaimStatus> {
    return (
      await this.fetch(
        `/reclaim/requests/${encodeURIComponent(id)}/${action}`,
        { method: 'POST', body: JSON.stringify(reason ? { reason } : {}) },
      )
    ).json();
  }
}
