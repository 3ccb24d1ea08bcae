import { ConfigReader } from '@backstage/config';
import { readGpuPoolConfig } from '../../config/readGpuPoolConfig';
import { RequestRow } from '../../database/GpuPoolStore';
import {
  buildClusterQueue,
  buildLocalQueue,
  buildResourceFlavor,
  gpuCeilings,
} from './kueueManifests';

const config = readGpuPoolConfig(
  new ConfigReader({
    gpuPool: {
      pools: [
        {
          id: 'main-h100',
          cluster: 'main',
          resource: 'nvidia.com/gpu',
          product: 'H100',
          borrowingLimit: 2,
        },
        {
          id: 'main-l40s',
          cluster: 'main',
          resource: 'nvidia.com/gpu',
          product: 'L40S',
          lendingLimit: 1,
        },
        {
          id: 'main-mig',
          cluster: 'main',
          resource: 'nvidia.com/mig-1g.10gb',
          borrowingLimit: 0,
        },
        {
          id: 'edge-l40s',
          cluster: 'edge',
          resource: 'nvidia.com/gpu',
          product: 'L40S',
        },
      ],
      allowances: [
        { team: 'group:default/ml-team', pool: 'main-h100', gpus: 4 },
        { team: 'group:default/ml-team', pool: 'main-mig', gpus: 3 },
      ],
    },
  }),
);

function row(
  gpus: Array<{ pool: string; count: number }>,
  extra: Partial<RequestRow> = {},
): RequestRow {
  return {
    id: 'r1',
    team: 'group:default/ml-team',
    cluster: 'main',
    namespace: 'ml-a',
    gpus,
    cpu: '8',
    memory: '32Gi',
    duration: 'P1D',
    durationMs: 86_400_000,
    justification: '',
    ephemeral: false,
    priority: 0,
    adoptsNamespace: false,
    createdNamespace: true,
    status: 'active',
    requestedBy: 'user:default/jiwoo.kim',
    createdAt: 0,
    updatedAt: 0,
    cleanupPending: false,
    ...extra,
  } as RequestRow;
}

describe('Kueue manifests', () => {
  it('makes one flavor per pool: product label, or the MIG resource alone', () => {
    expect(buildResourceFlavor(config.pools[0]).spec).toEqual({
      nodeLabels: { 'nvidia.com/gpu.product': 'H100' },
    });
    expect(buildResourceFlavor(config.pools[2]).spec).toEqual({});
    expect(buildResourceFlavor(config.pools[0]).metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'portal-gpu-pool',
    });
  });

  it('guarantees the allowance, raised by leases above it, in one cohort', () => {
    const cq = buildClusterQueue({
      config,
      cluster: 'main',
      team: 'group:default/ml-team',
      holding: [
        row([
          { pool: 'main-h100', count: 6 },
          { pool: 'main-l40s', count: 1 },
        ]),
      ],
    });
    expect(cq.metadata.name).toBe('portal-ml-team');
    expect(cq.spec.cohortName).toBe('portal-gpu-pool');
    expect(cq.spec.namespaceSelector).toEqual({
      matchLabels: { 'portal.cloud-smart.io/owner': 'ml-team' },
    });
    const [gpu, mig, compute] = cq.spec.resourceGroups;
    expect(gpu).toEqual({
      coveredResources: ['nvidia.com/gpu'],
      flavors: [
        {
          name: 'main-h100',
          resources: [
            { name: 'nvidia.com/gpu', nominalQuota: '6', borrowingLimit: '2' },
          ],
        },
        {
          name: 'main-l40s',
          resources: [
            { name: 'nvidia.com/gpu', nominalQuota: '1', lendingLimit: '1' },
          ],
        },
      ],
    });
    // No lease on MIG: the allowance alone.
    expect(mig.flavors[0].resources[0]).toEqual({
      name: 'nvidia.com/mig-1g.10gb',
      nominalQuota: '3',
      borrowingLimit: '0',
    });
    expect(compute.flavors[0].resources).toEqual([
      { name: 'cpu', nominalQuota: '8' },
      { name: 'memory', nominalQuota: '32Gi' },
    ]);
    // The edge pool is another cluster's.
    expect(JSON.stringify(cq)).not.toContain('edge-l40s');
  });

  it('drains the LocalQueue when nothing remains', () => {
    expect(
      buildLocalQueue({
        namespace: 'ml-a',
        team: 'group:default/ml-team',
        stop: true,
      }).spec,
    ).toEqual({
      clusterQueue: 'portal-ml-team',
      stopPolicy: 'HoldAndDrain',
    });
    expect(
      buildLocalQueue({
        namespace: 'ml-a',
        team: 'group:default/ml-team',
        stop: false,
      }).metadata.name,
    ).toBe('portal-gpu-pool');
  });

  it('bounds the namespace quota by the ClusterQueue ceiling', () => {
    const holding = [
      row([{ pool: 'main-mig', count: 5 }]),
      row([{ pool: 'main-l40s', count: 2 }], {
        team: 'group:default/payments-team',
      }),
    ];
    const ml = gpuCeilings(config, 'main', 'group:default/ml-team', holding);
    // H100: own 4 + borrowing 2 = 6 (cohort 4 caps it at 4); L40S: no
    // borrowing limit, so the cohort's 2.
    expect(ml.get('nvidia.com/gpu')).toBe(4 + 2);
    // MIG: the lease raised 3 to 5, borrowing 0.
    expect(ml.get('nvidia.com/mig-1g.10gb')).toBe(5);
    const payments = gpuCeilings(
      config,
      'main',
      'group:default/payments-team',
      holding,
    );
    // H100: nothing own, may borrow 2; L40S: its 2.
    expect(payments.get('nvidia.com/gpu')).toBe(2 + 2);
    expect(payments.get('nvidia.com/mig-1g.10gb')).toBe(0);
  });
});
