import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  mockServices,
  ServiceFactoryTester,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { KubernetesAccess } from './KubernetesAccess';
import {
  kubernetesAccessServiceFactory,
  kubernetesAccessServiceRef,
} from './kubernetesAccessServiceRef';

const data = {
  kubernetesAccess: {
    clusters: [
      {
        name: 'lab-main',
        url: 'https://10.0.0.1:6443',
        auth: { provider: 'serviceAccount', serviceAccountToken: 'secret' },
      },
    ],
  },
};

describe('kubernetesAccessServiceRef', () => {
  it('is created by the explicit factory', async () => {
    const tester = ServiceFactoryTester.from(kubernetesAccessServiceFactory, {
      dependencies: [mockServices.rootConfig.factory({ data })],
    });
    const access = await tester.getSubject();
    expect(access.listClusters().map(c => c.name)).toEqual(['lab-main']);
  });

  it('has a default factory that plugins get without registration', async () => {
    let captured: KubernetesAccess | undefined;
    await startTestBackend({
      features: [
        mockServices.rootConfig.factory({ data }),
        createBackendPlugin({
          pluginId: 'consumer',
          register(env) {
            env.registerInit({
              deps: { access: kubernetesAccessServiceRef },
              async init({ access }) {
                captured = access;
              },
            });
          },
        }),
      ],
    });
    expect(captured?.listClusters()[0]).toMatchObject({
      name: 'lab-main',
      authProvider: 'serviceAccount',
    });
    expect(JSON.stringify(captured?.listClusters())).not.toContain('secret');
  });
});
