import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * For tests: puts Backstage's validating proxy (`wrapServer`) in front of a
 * running test backend, so that every request and response that goes
 * through it is checked against the plugin's spec.
 *
 * `wrapServer` reads the spec at the root (`/openapi.json`) of the app it
 * wraps; the plugin serves it at `/api/<pluginId>/openapi.json`, with its
 * paths prefixed by that base. This app forwards everything to the backend
 * unchanged, and the spec from the plugin's base (with credentials: the
 * backend serves it to signed-in callers only).
 */
export async function specProxy(
  backend: http.Server,
  pluginId: string,
  /** The Authorization header to read the spec with (it is not public). */
  specAuthorization: string,
): Promise<http.Server> {
  const { port } = backend.address() as AddressInfo;
  const app = express();
  app.use((req, res) => {
    const spec = req.url === '/openapi.json';
    const path = spec ? `/api/${pluginId}/openapi.json` : req.url;
    const headers = spec
      ? { ...req.headers, authorization: specAuthorization }
      : req.headers;
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: req.method,
        headers,
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', error => res.destroy(error));
    req.pipe(upstream);
  });
  // wrapServer calls app.listen(port): listen on loopback only.
  const listen = app.listen.bind(app);
  app.listen = ((p: number) => listen(p, '127.0.0.1')) as typeof app.listen;
  return wrapServer(app);
}
