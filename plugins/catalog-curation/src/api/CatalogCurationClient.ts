import {
  DiscoveryApi,
  FetchApi,
  createApiRef,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CurationReport,
  QualityReport,
  TeamCountsHistory,
} from '@internal/plugin-catalog-curation-common';

/**
 * The catalog-curation backend.
 *
 * @public
 */
export interface CatalogCurationApi {
  getReport(): Promise<CurationReport>;
  getHistory(days: number): Promise<TeamCountsHistory>;
  unregisterOrphan(entityRef: string): Promise<void>;
  getQuality(entityRef: string): Promise<QualityReport>;
}

/** @public */
export const catalogCurationApiRef = createApiRef<CatalogCurationApi>({
  id: 'plugin.catalog-curation.client',
});

/**
 * Talks to the backend over HTTP with the signed-in user's token.
 *
 * @public
 */
export class CatalogCurationClient implements CatalogCurationApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  async getReport(): Promise<CurationReport> {
    return this.#get('/report');
  }

  async getHistory(days: number): Promise<TeamCountsHistory> {
    return this.#get(`/history?days=${encodeURIComponent(String(days))}`);
  }

  async getQuality(entityRef: string): Promise<QualityReport> {
    return this.#get(`/quality?entityRef=${encodeURIComponent(entityRef)}`);
  }

  async unregisterOrphan(entityRef: string): Promise<void> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('catalog-curation');
    const res = await this.#fetchApi.fetch(`${baseUrl}/orphans/unregister`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ entityRef }),
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
  }

  async #get<T>(path: string): Promise<T> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('catalog-curation');
    const res = await this.#fetchApi.fetch(`${baseUrl}${path}`);
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
