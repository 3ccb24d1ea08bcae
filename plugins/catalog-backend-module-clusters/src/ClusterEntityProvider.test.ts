import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { DefaultKubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import { ClusterEntityProvider } from './ClusterEntityProvider';

describe('ClusterEntityProvider', () => {
  let lab: LabFleet;
  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  function setup() {
    const config = mockServices.rootConfig({
      data: {
        kubernetesAccess: {
          defaultTimeoutMs: 1000,
          clusters: lab.clusters.map(c => ({
            name: c.name,
            url: c.url,
            auth: { provider: 'serviceAccount', serviceAccountToken: c.token },
          })),
        },
      },
    });
    const logger = mockServices.logger.mock();
    const kubernetesAccess = DefaultKubernetesAccess.fromConfig(config, {
      logger,
    });
    const provider = ClusterEntityProvider.create({
      kubernetesAccess,
      logger,
      platformTeam: 'group:default/platform-team',
    });
    const applyMutation = jest.fn();
    const connection: EntityProviderConnection = {
      applyMutation,
      refresh: jest.fn(),
    };
    return { provider, connection, applyMutation };
  }

  function entitiesOf(mock: jest.Mock): Entity[] {
    return mock.mock.lastCall[0].entities.map((e: any) => e.entity);
  }

  it('provides clusters and namespaces with owners and dependencies', async () => {
    const { provider, connection, applyMutation } = setup();
    await provider.connect(connection);
    const result = await provider.refresh();
    expect(result.failedClusters).toEqual([]);
    const entities = entitiesOf(applyMutation);
    const cluster = entities.find(e => e.metadata.name === 'lab-main')!;
    expect(cluster.spec).toEqual({
      type: 'kubernetes-cluster',
      owner: 'group:default/platform-team',
    });
    const training = entities.find(
      e => e.metadata.name === 'lab-main.ml-training',
    )!;
    expect(training.kind).toBe('Resource');
    expect(training.spec).toEqual({
      type: 'kubernetes-namespace',
      owner: 'group:default/ml-team',
      dependsOn: ['resource:default/lab-main'],
    });
    expect(
      entities.find(e => e.metadata.name === 'lab-edge.citizen-portal')?.spec
        ?.owner,
    ).toBe('group:default/citizen-services-team');
    // Unlabelled system namespaces belong to the platform team.
    expect(
      entities.find(e => e.metadata.name === 'lab-main.kube-system')?.spec
        ?.owner,
    ).toBe('group:default/platform-team');
  });

  it('keeps the last known namespaces of a cluster that is down', async () => {
    const { provider, connection, applyMutation } = setup();
    await provider.connect(connection);
    await provider.refresh();
    const before = entitiesOf(applyMutation).length;
    await lab.cluster('lab-edge').faults.set({ status: 503 });
    try {
      const result = await provider.refresh();
      expect(result.failedClusters).toEqual(['lab-edge']);
      expect(entitiesOf(applyMutation)).toHaveLength(before);
    } finally {
      await lab.cluster('lab-edge').faults.clear();
    }
  });
});
