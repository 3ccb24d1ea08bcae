import type { FetchApi } from '@backstage/frontend-plugin-api';

/**
 * The `fetch` for an openapi-fetch client that goes through Backstage's
 * fetchApi (the user's token, plugin:// URLs).
 *
 * openapi-fetch hands its `fetch` a `Request`. The fetchApi's middlewares
 * each build a new `Request` from their input, which consumes a body the
 * first time: a second one fails with "Cannot construct a Request with a
 * Request object that has already been used" and nothing is sent. So the
 * request is passed on as URL and init, its body read once into a buffer
 * that every rebuilt `Request` can reuse, byte for byte (JSON or not).
 *
 * A request without a body (a GET, or a POST or DELETE that openapi-fetch
 * builds without one) stays without: an empty string body would make each
 * rebuilt `Request` add `content-type: text/plain;charset=UTF-8`.
 */
export function openApiFetch(fetchApi: FetchApi) {
  return async (request: Request): Promise<Response> => {
    return fetchApi.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : await request.arrayBuffer(),
      signal: request.signal,
    });
  };
}
