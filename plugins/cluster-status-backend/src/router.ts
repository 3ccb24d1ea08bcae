import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import { createOpenApiRouter } from './schema/openapi/generated/router';
import { ClusterStatusService } from './services/ClusterStatusService/ClusterStatusService';

/**
 * The HTTP API of `src/schema/openapi.yaml`, served by the router generated
 * from it: requests are validated against the spec before any handler runs,
 * and handlers are typed from it.
 *
 * @public
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  clusterStatus: ClusterStatusService;
}): Promise<express.Router> {
  const { httpAuth, clusterStatus } = options;
  const router = await createOpenApiRouter();

  // Answers are immutable snapshots of the cache, reused while nothing
  // changes; serializing the 5,000-node fleet once instead of per request is
  // what keeps page views cheap. `body` is typed by the spec through `res`;
  // only the pre-serialized text is sent through the untyped response.
  const serialized = new WeakMap<object, string>();
  function sendCached<T>(
    res: express.Response<T>,
    key: object,
    body: () => T,
  ): void {
    let text = serialized.get(key);
    if (text === undefined) {
      text = JSON.stringify(body());
      serialized.set(key, text);
    }
    (res as express.Response).type('application/json').send(text);
  }

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await clusterStatus.listClusters({ credentials });
    sendCached(res, items, () => ({ items }));
  });

  router.get('/gpu-activity', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await clusterStatus.listGpuActivity({ credentials });
    res.json({ items });
  });

  // The spec checks the name (a DNS-1123 label) before this runs.
  router.get('/clusters/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const details = await clusterStatus.getCluster(req.params.name, {
      credentials,
    });
    sendCached(res, details, () => details);
  });

  return router;
}
