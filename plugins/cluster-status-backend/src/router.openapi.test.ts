import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { isNamespaceOwner } from '@internal/plugin-cluster-status-common';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import {
  servedRoutes,
  specRoutes,
  startSpecProxy,
  SpecProxy,
} from '@internal/lab-cluster/testing';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { clusterStatusPlugin } from './plugin';
import { spec } from './schema/openapi/generated/router';

jest.setTimeout(60_000);

const API = '/api/cluster-status';

/**
 * Every route, in success and error cases, through the validating proxy of
 * backend-openapi-utils: any response (status or body) that the spec does not
 * describe fails the test. The backend is the real one (startTestBackend with
 * the plugin, its services and the root error middleware) over the lab fleet.
 */
describe('cluster-status HTTP API against its OpenAPI spec', () => {
  let lab: LabFleet;
  let stopBackend: () => Promise<void>;
  let proxy: SpecProxy;
  /** The backend's own express app. */
  let root: RequestListener;
  let decision: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
    AuthorizeResult.ALLOW;
  const authorizeConditional = jest.fn();

  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    const backend = await startTestBackend({
      features: [
        clusterStatusPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetesAccess: {
              defaultTimeoutMs: 2000,
              clusters: lab.clusters.map(c => ({
                name: c.name,
                url: c.url,
                auth: {
                  provider: 'serviceAccount',
                  serviceAccountToken: c.token,
                },
              })),
            },
            clusterStatus: { probeIntervalSeconds: 1 },
          },
        }),
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(() => ({ result: decision })),
          authorizeConditional,
        }).factory,
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({ publish: async () => {} }),
        }),
      ],
    });
    stopBackend = () => backend.stop();
    root = backend.server.listeners('request')[0] as RequestListener;
    proxy = await startSpecProxy({
      backend: backend.server,
      pluginId: 'cluster-status',
    });
  });

  afterAll(async () => {
    await stopBackend?.();
    await lab?.stop();
  });

  beforeEach(() => {
    decision = AuthorizeResult.ALLOW;
    authorizeConditional.mockResolvedValue([{ result: AuthorizeResult.ALLOW }]);
  });

  afterEach(() => proxy.settle());

  it('GET /clusters: the fleet, then 401 without credentials and 403 when denied', async () => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const res = await request(proxy.server).get(`${API}/clusters`);
      expect(res.status).toBe(200);
      if (
        res.body.items.every(
          (c: any) => c.status === 'reachable' && c.nodes.total > 0,
        )
      ) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    const synced = await request(proxy.server).get(`${API}/clusters`);
    expect(synced.body.items.map((c: any) => [c.name, c.status])).toEqual([
      ['lab-main', 'reachable'],
      ['lab-edge', 'reachable'],
    ]);
    expect(synced.body.items[0].gpus.byModel.length).toBe(3);

    const anonymous = await request(proxy.server)
      .get(`${API}/clusters`)
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);

    decision = AuthorizeResult.DENY;
    const denied = await request(proxy.server).get(`${API}/clusters`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.name).toBe('NotAllowedError');
  });

  it('GET /clusters/{name}: full, redacted, 404 and a 400 naming the parameter', async () => {
    // Quotas arrive with their own watch, after the nodes the first test
    // waited for: poll (bounded) until the cache holds them.
    let full = await request(proxy.server).get(`${API}/clusters/lab-main`);
    for (
      let attempt = 0;
      attempt < 100 &&
      !full.body.namespaces?.some((n: any) => n.quotas.length > 0);
      attempt++
    ) {
      await new Promise(resolve => setTimeout(resolve, 100));
      full = await request(proxy.server).get(`${API}/clusters/lab-main`);
    }
    expect(full.status).toBe(200);
    expect(full.body.nodeDetails.length).toBe(12);
    expect(full.body.nodeDetails.some((n: any) => n.gpu?.mig.length > 0)).toBe(
      true,
    );
    expect(full.body.namespaces.some((n: any) => n.quotas.length > 0)).toBe(
      true,
    );

    authorizeConditional.mockResolvedValue([
      {
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'cluster-status',
        resourceType: 'cluster-status-namespace',
        conditions: isNamespaceOwner({ claims: ['group:default/ml-team'] }),
      },
    ]);
    const redacted = await request(proxy.server).get(
      `${API}/clusters/lab-main`,
    );
    expect(redacted.status).toBe(200);
    expect(redacted.body.hiddenNamespaces.count).toBeGreaterThan(0);

    const unknown = await request(proxy.server).get(`${API}/clusters/nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ name: 'NotFoundError' });

    const invalid = await request(proxy.server).get(
      `${API}/clusters/Not_Valid`,
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.name).toBe('InputError');
    expect(invalid.body.error.message).toMatch(
      /params\/name must match pattern/,
    );
    // The routes take no query: an unknown parameter is refused by name.
    const unknownQuery = await request(proxy.server).get(
      `${API}/clusters/lab-main?verbose=1`,
    );
    expect(unknownQuery.status).toBe(400);
    expect(unknownQuery.body.error).toMatchObject({
      name: 'InputError',
      message: "Unknown query parameter 'verbose'",
    });

    decision = AuthorizeResult.DENY;
    const denied = await request(proxy.server).get(`${API}/clusters/lab-main`);
    expect(denied.status).toBe(403);
  });

  it('GET /gpu-activity: per model and profile, then 403 when denied', async () => {
    const res = await request(proxy.server).get(`${API}/gpu-activity`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => [i.cluster, i.status])).toEqual([
      ['lab-main', 'not-configured'],
      ['lab-edge', 'not-configured'],
    ]);
    expect(res.body.items[0].byModel.length).toBeGreaterThan(0);
    expect(res.body.items[1].byProfile.length).toBeGreaterThan(0);

    decision = AuthorizeResult.DENY;
    const denied = await request(proxy.server).get(`${API}/gpu-activity`);
    expect(denied.status).toBe(403);
  });

  it('serves every operation of the spec, and no other route, through one validating router', () => {
    const served = servedRoutes(root);
    expect(served.routers).toBe(1);
    expect(served.routes).toEqual(specRoutes(spec));
    expect(served.routes.length).toBeGreaterThan(2);
  });
});
