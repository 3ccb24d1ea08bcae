import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { GpuPoolApiPaths } from '@internal/plugin-gpu-pool-common';
import { openApiFetch } from '@internal/plugin-portal-react';
import createClient from 'openapi-fetch';

/**
 * The gpu-pool backend's client generated from its spec (openapi-fetch over
 * the types in `@internal/plugin-gpu-pool-common`): paths, parameters,
 * bodies and answers are typed by `schema/openapi.yaml`. Requests go through
 * Backstage's fetchApi (the user's token) to the discovered base URL; an
 * answer other than 2xx throws a `ResponseError` with the backend's message.
 */
export function gpuPoolFetchClient(deps: {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}) {
  const client = createClient<GpuPoolApiPaths>({
    fetch: async (request: Request) => {
      const response = await openApiFetch(deps.fetchApi)(request);
      if (!response.ok) throw await ResponseError.fromResponse(response);
      return response;
    },
  });
  return {
    client,
    /** Per call: the base URL can change while the app runs. */
    baseUrl: () => deps.discoveryApi.getBaseUrl('gpu-pool'),
  };
}

/** The body of a 2xx answer (non-2xx answers have thrown already). */
export function body<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(
      `gpu-pool answered ${result.response.status} without a body`,
    );
  }
  return result.data;
}
