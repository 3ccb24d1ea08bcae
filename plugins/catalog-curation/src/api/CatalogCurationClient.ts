import {
  DiscoveryApi,
  FetchApi,
  createApiRef,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CatalogCurationPaths,
  CurationReport,
  QualityReport,
  TeamCountsHistory,
} from '@internal/plugin-catalog-curation-common';
import { openApiFetch } from '@internal/plugin-portal-react';
import createClient from 'openapi-fetch';

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

// Non-2xx answers throw in the middleware, so a missing body is a broken
// backend, not an error to hand on.
function body<T>(data: T | undefined): T {
  if (data === undefined) {
    throw new Error('The catalog-curation backend answered without a body');
  }
  return data;
}

/**
 * Talks to the backend over HTTP with the signed-in user's token, through an
 * openapi-fetch client typed from the backend's OpenAPI spec.
 *
 * @public
 */
export class CatalogCurationClient implements CatalogCurationApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #client;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    const { fetchApi } = options;
    this.#client = createClient<CatalogCurationPaths>({
      fetch: openApiFetch(fetchApi),
    });
    // Before openapi-fetch reads the body: the error keeps the backend's
    // name and message.
    this.#client.use({
      async onResponse({ response }) {
        if (!response.ok) {
          throw await ResponseError.fromResponse(response);
        }
        return undefined;
      },
    });
  }

  async getReport(): Promise<CurationReport> {
    const { data } = await this.#client.request('get', '/report', {
      baseUrl: await this.#baseUrl(),
    });
    return body(data);
  }

  async getHistory(days: number): Promise<TeamCountsHistory> {
    const { data } = await this.#client.request('get', '/history', {
      baseUrl: await this.#baseUrl(),
      params: { query: { days } },
    });
    return body(data);
  }

  async getQuality(entityRef: string): Promise<QualityReport> {
    const { data } = await this.#client.request('get', '/quality', {
      baseUrl: await this.#baseUrl(),
      params: { query: { entityRef } },
    });
    return body(data);
  }

  async unregisterOrphan(entityRef: string): Promise<void> {
    await this.#client.request('post', '/orphans/unregister', {
      baseUrl: await this.#baseUrl(),
      body: { entityRef },
    });
  }

  #baseUrl(): Promise<string> {
    return this.#discoveryApi.getBaseUrl('catalog-curation');
  }
}
