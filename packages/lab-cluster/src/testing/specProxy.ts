import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import http from 'node:http';

/** Backstage's validating proxy in front of a test backend. */
export interface SpecProxy {
  /** Where to send requests (supertest's `request(proxy.server)`). */
  server: http.Server;
  /**
   * Waits until the proxy has checked the last exchange, so that a mismatch
   * fails the test that caused it. Call it in `afterEach`.
   */
  settle(): Promise<void>;
}

/**
 * For backend contract tests: puts Backstage's validating proxy
 * (`wrapServer` from `@backstage/backend-openapi-utils/testUtils`) in front of
 * a running test backend (`startTestBackend(...).server`), so every request
 * and response sent through it is checked against the plugin's spec.
 *
 * Requests use the plugin's real paths (`/api/<pluginId>/...`): the proxy
 * reads the spec at `/openapi.json`, which is answered with what the plugin
 * serves at `/api/<pluginId>/openapi.json`, its paths below that base. The
 * backend's own app (auth, error middleware) answers everything, in process;
 * the proxy listens on loopback only and stops after the test file.
 *
 * The proxy checks each exchange after passing it on, in a promise nobody
 * awaits: a mismatch is an unhandled rejection, which Jest reports as a
 * failure of the running test, with the validator's message.
 */
export async function startSpecProxy(options: {
  backend: http.Server;
  pluginId: string;
  /**
   * The Authorization header to read the spec with, when the backend does
   * not serve it to anonymous callers.
   */
  specAuthorization?: string;
}): Promise<SpecProxy> {
  const { backend, pluginId, specAuthorization } = options;
  const [root] = backend.listeners('request') as http.RequestListener[];
  if (!root) throw new Error('The test backend has no request listener');
  const forward: http.RequestListener = (req, res) => {
    if (req.url === '/openapi.json') {
      req.url = `/api/${pluginId}/openapi.json`;
      if (specAuthorization) req.headers.authorization = specAuthorization;
    }
    root(req, res);
  };
  // wrapServer only calls app.listen(port).
  const app = {
    listen: (port: number) =>
      http.createServer(forward).listen(port, '127.0.0.1'),
  } as unknown as Parameters<typeof wrapServer>[0];
  return {
    server: await wrapServer(app),
    settle: () => new Promise(resolve => setTimeout(resolve, 100)),
  };
}
