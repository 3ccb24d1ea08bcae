import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { ConfigReader } from '@backstage/config';
import { readGpuPoolConfig } from '../../config/readGpuPoolConfig';
import { newNamespacesOnly } from '../../testing/newNamespacesOnly';
import { GpuPoolStore } from '../../database/GpuPoolStore';
import { CapacityService } from '../Capacity/CapacityService';
import { DefaultGpuPoolService } from './DefaultGpuPoolService';
import { GpuPoolUser } from './types';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const config = readGpuPoolConfig(
  new ConfigReader({
    gpuPool: {
      pools: [
        {
          id: 'race',
          cluster: 'lab-main',
          resource: 'nvidia.com/gpu',
          maxPerRequest: 4,
        },
      ],
      allowances: Array.from({ length: 10 }, (_, i) => ({
        team: `group:default/team-${i}`,
        pool: 'race',
        gpus: 1000,
      })),
      // Large CPU and memory allowances too: every request competes for GPUs.
      computeAllowances: Array.from({ length: 10 }, (_, i) => ({
        team: `group:default/team-${i}`,
        cpu: '1000',
        memory: '100Ti',
      })),
      namespaces: { maxPerTeam: 100 },
    },
  }),
);

const sixteen: CapacityService = {
  getCapacities: async () => new Map([['race', { capacity: 16, live: true }]]),
};

function user(i: number): GpuPoolUser {
  const team = `group:default/team-${i % 10}`;
  return {
    credentials: {} as any,
    userEntityRef: `user:default/u${i}`,
    ownershipEntityRefs: [`user:default/u${i}`, team],
    isPlatformTeam: false,
  };
}

async function allocated(store: GpuPoolStore) {
  return (await store.read.holdings()).reduce((s, h) => s + h.count, 0);
}

describe.each(databases.eachSupportedId())(
  'allocation race on %p',
  databaseId => {
    it('never hands out more than 16 GPUs to 200 concurrent requests from two replicas', async () => {
      const knexA = await databases.init(databaseId);
      // A second connection pool to the same database plays the second replica
      // (SQLite in memory cannot be shared, so both use one connection there).
      const knexB: Knex =
        databaseId === 'SQLITE_3' ? knexA : knexFactory(knexA.client.config);
      try {
        const storeA = await GpuPoolStore.create({
          database: { getClient: async () => knexA },
        });
        const storeB = await GpuPoolStore.create({
          database: { getClient: async () => knexB },
          skipMigrations: true,
        });
        const logger = mockServices.logger.mock();
        const replicas = await Promise.all(
          [storeA, storeB].map(store =>
            DefaultGpuPoolService.create({
              store,
              config,
              capacity: sixteen,
              kubernetes: newNamespacesOnly(['lab-main']),
              logger,
            }),
          ),
        );

        const results = await Promise.allSettled(
          Array.from({ length: 200 }, (_, i) =>
            replicas[i % 2].createRequest(
              {
                team: `group:default/team-${i % 10}`,
                cluster: 'lab-main',
                namespace: `team-${i % 10}-ns`,
                gpus: [{ pool: 'race', count: 1 + (i % 3) }],
                duration: 'PT1H',
              },
              user(i),
            ),
          ),
        );
        const failures = results.filter(r => r.status === 'rejected');
        expect(failures).toEqual([]);
        const statuses = results.map(
          r => (r as PromiseFulfilledResult<any>).value.status,
        );
        const granted = results
          .map(r => (r as PromiseFulfilledResult<any>).value)
          .filter(r => r.status === 'provisioning');
        const grantedGpus = granted.reduce((s, r) => s + r.gpus[0].count, 0);
        expect(grantedGpus).toBeLessThanOrEqual(16);
        expect(grantedGpus).toBeGreaterThanOrEqual(13); // head of line needs at most 3 more
        expect(await allocated(storeA)).toBe(grantedGpus);
        expect(statuses.filter(s => s === 'queued').length).toBe(
          200 - granted.length,
        );

        // Releases from both replicas at once: the queue advances, never past 16.
        await Promise.all(
          granted.map((r, i) =>
            replicas[i % 2].release(
              r.id,
              user(Number(r.requestedBy.slice(14))),
            ),
          ),
        );
        const after = await allocated(storeA);
        expect(after).toBeGreaterThanOrEqual(13);
        expect(after).toBeLessThanOrEqual(16);
      } finally {
        if (knexB !== knexA) await knexB.destroy();
      }
    });
  
    it('gives a new namespace claimed by two teams at once to exactly one, and the history stays one chain', async () => {
      const knexA = await databases.init(databaseId);
      const knexB: Knex =
        databaseId === 'SQLITE_3' ? knexA : knexFactory(knexA.client.config);
      try {
        const storeA = await GpuPoolStore.create({
          database: { getClient: async () => knexA },
        });
        const storeB = await GpuPoolStore.create({
          database: { getClient: async () => knexB },
          skipMigrations: true,
        });
        const logger = mockServices.logger.mock();
        const replicas = await Promise.all(
          [storeA, storeB].map(store =>
            DefaultGpuPoolService.create({
              store,
              config,
              capacity: sixteen,
              kubernetes: newNamespacesOnly(['lab-main']),
              logger,
            }),
          ),
        );
        for (let round = 0; round < 10; round++) {
          const namespace = `contested-${round}`;
          const results = await Promise.allSettled(
            [1, 2].map(i =>
              replicas[i % 2].createRequest(
                {
                  team: `group:default/team-${i}`,
                  cluster: 'lab-main',
                  namespace,
                  gpus: [],
                },
                user(i),
              ),
            ),
          );
          const won = results.filter(r => r.status === 'fulfilled');
          const lost = results.filter(
            r => r.status === 'rejected',
          ) as PromiseRejectedResult[];
          expect(won).toHaveLength(1);
          expect(lost).toHaveLength(1);
          expect(lost[0].reason.name).toBe('ConflictError');
          expect(lost[0].reason.message).toContain(namespace);
          const stored = await storeA.read.listRequests({
            cluster: 'lab-main',
            namespace,
          });
          expect(stored).toHaveLength(1);
          expect((await storeA.read.getClaim('lab-main', namespace))?.team).toBe(
            stored[0].team,
          );
        }
        // Every append from both replicas went onto one chain.
        const verified = await storeA.verifyAuditChain();
        expect(verified).toEqual({ ok: true, checked: expect.any(Number) });
        expect(verified.checked).toBeGreaterThanOrEqual(20);
      } finally {
        if (knexB !== knexA) await knexB.destroy();
      }
    });
  },
);
