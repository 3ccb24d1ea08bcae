import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import { ConfigReader } from '@backstage/config';
import { DefaultKubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { kubernetesModulePortalClusters } from './module';
import { PortalClustersSupplier } from './PortalClustersSupplier';

jest.setTimeout(60_000);

describe('kubernetesModulePortalClusters', () => {
  let lab: LabFleet;
  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('lets the upstream Kubernetes plugin list the kubernetesAccess clusters', async () => {
    const kubeconfig = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-module-')),
      'kubeconfig',
    );
    await lab.writeKubeconfig(kubeconfig);
    const backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModulePortalClusters,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [],
            },
            kubernetesAccess: {
              clusters: [
                ...lab.clusters.map(c => ({
                  name: c.name,
                  url: c.url,
                  auth: {
                    provider: 'serviceAccount',
                    serviceAccountToken: c.readerToken,
                  },
                  writerAuth: {
                    provider: 'serviceAccount',
                    serviceAccountToken: c.writerToken,
                  },
                })),
                {
                  name: 'from-kubeconfig',
                  auth: {
                    provider: 'kubeconfig',
                    kubeconfigPath: kubeconfig,
                    context: 'lab-edge',
                  },
                },
              ],
            },
          },
        }),
      ],
    });
    try {
      const clusters = await request(backend.server).get(
        '/api/kubernetes/clusters',
      );
      expect(clusters.status).toBe(200);
      expect(clusters.body.items.map((c: any) => c.name)).toEqual([
        'lab-main',
        'lab-edge',
      ]);
      // Tokens never leave the backend.
      expect(JSON.stringify(clusters.body)).not.toMatch(
        /portal-(reader|writer)-token|admin-token/,
      );

      // Workloads are fetched with @kubernetes/client-node, an ES module that
      // jest cannot load here; the e2e test covers them with the real backend.
    } finally {
      await backend.stop();
    }
  });

  it('hands the upstream plugin the reader token only, never the writer', async () => {
    const config = new ConfigReader({
      kubernetesAccess: {
        clusters: lab.clusters.map(c => ({
          name: c.name,
          url: c.url,
          auth: {
            provider: 'serviceAccount',
            serviceAccountToken: c.readerToken,
          },
          writerAuth: {
            provider: 'serviceAccount',
            serviceAccountToken: c.writerToken,
          },
        })),
      },
    });
    const logger = mockServices.logger.mock();
    const supplier = PortalClustersSupplier.fromConfig(config, {
      kubernetesAccess: DefaultKubernetesAccess.fromConfig(config, { logger }),
      logger,
    });
    const clusters = await supplier.getClusters();
    expect(
      clusters.map(c => [c.name, c.authMetadata.serviceAccountToken]),
    ).toEqual(lab.clusters.map(c => [c.name, c.readerToken]));
    expect(JSON.stringify(clusters)).not.toContain('portal-writer');
  });
});
