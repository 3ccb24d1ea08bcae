import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import http from 'node:http';
import { runInThisContext } from 'node:vm';

/** Backstage's validating proxy in front of a test backend. */
export interface SpecProxy {
  /** Where to send requests (supertest's `request(proxy.server)`). */
  server: http.Server;
  /**
   * Waits until the proxy has checked the exchanges so far and rejects with
   * the validator's findings when any of them is off the spec (a route, a
   * status or a body it does not describe), so that a mismatch fails the test
   * that caused it. Call it in `afterEach`.
   */
  settle(): Promise<void>;
}

/** How long the proxy may take to check an exchange after answering it. */
const SETTLE_MS = 100;

/**
 * The validator's findings read `["GET /path"] …` or `["GET /path" (200)]: …`
 * (backend-openapi-utils' OperationError and OperationResponseError).
 */
const finding = /^\["[A-Z]+ [^"]*"( \(\d+\))?\]/;

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
 * awaits. Its rejections are collected here, from the process's
 * `unhandledRejection` event, and `settle()` rejects with them; any other
 * unhandled rejection is left to the test runner. One proxy at a time per
 * test file: a proxy collects every validator finding of the process.
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

  const mismatches: Error[] = [];
  const collect = (reason: unknown, promise: Promise<unknown>) => {
    if (reason instanceof Error && finding.test(reason.message)) {
      mismatches.push(reason);
      // Handled now: reported by settle(), not as an unhandled rejection.
      promise.catch(() => {});
    }
  };
  // Jest gives each test file its own copy of `process`, whose events never
  // fire; the validator's rejections reach the real one.
  const realProcess = runInThisContext('process') as NodeJS.Process;
  realProcess.on('unhandledRejection', collect);

  // wrapServer only calls app.listen(port), and closes that server when it
  // stops the proxy after the test file.
  const app = {
    listen: (port: number) =>
      http
        .createServer(forward)
        .listen(port, '127.0.0.1')
        .on('close', () =>
          realProcess.removeListener('unhandledRejection', collect),
        ),
  } as unknown as Parameters<typeof wrapServer>[0];
  let server: http.Server;
  try {
    server = await wrapServer(app);
  } catch (error) {
    realProcess.removeListener('unhandledRejection', collect);
    throw error;
  }
  return {
    server,
    settle: async () => {
      await new Promise(resolve => setTimeout(resolve, SETTLE_MS));
      const found = mismatches.splice(0);
      if (found.length) {
        throw new Error(
          `The spec proxy found exchanges off the spec:\n${found
            .map(e => `  ${e.message}`)
            .join('\n')}`,
        );
      }
    },
  };
}
