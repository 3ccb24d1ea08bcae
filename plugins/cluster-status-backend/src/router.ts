import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { clusterNameSchema } from '@internal/plugin-cluster-status-common';
import express from 'express';
import Router from 'express-promise-router';
import { ClusterStatusService } from './services/ClusterStatusService/ClusterStatusService';

/**
 * The HTTP API described in `src/schema/openapi.yaml`.
 *
 * @public
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  clusterStatus: ClusterStatusService;
}): Promise<express.Router> {
  const { httpAuth, clusterStatus } = options;
  const router = Router();
  router.use(express.json());

  // Answers are immutable snapshots of the cache, reused while nothing
  // changes; serializing the 5,000-node fleet once instead of per request is
  // what keeps page views cheap.
  const serialized = new WeakMap<object, string>();
  const sendJson = (res: express.Response, key: object, body: () => unknown) => {
    let text = serialized.get(key);
    if (text === undefined) {
      text = JSON.stringify(body());
      serialized.set(key, text);
    }
    res.type('application/json').send(text);
  };

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await clusterStatus.listClusters({ credentials });
    sendJson(res, items, () => ({ items }));
  });

  router.get('/gpu-activity', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const items = await clusterStatus.listGpuActivity({ credentials });
    res.json({ items });
  });

  router.get('/clusters/:name', async (req, res) => {
    const parsed = clusterNameSchema.safeParse(req.params.name);
    if (!parsed.success) {
      throw new InputError(
        `Invalid cluster name: ${parsed.error.issues[0]?.message}`,
      );
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const details = await clusterStatus.getCluster(parsed.data, {
      credentials,
    });
    sendJson(res, details, () => details);
  });

  return router;
}
