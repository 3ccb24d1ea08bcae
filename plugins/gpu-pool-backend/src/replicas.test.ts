import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { gpuPoolPlugin } from './plugin';
import {
  eventually,
  intervalScheduler,
  labConfig,
  sinks,
  userInfoFactory,
} from './testing/fixtures';

jest.setTimeout(120_000);

// Two backend replicas need a database both can reach: PostgreSQL only
// (SQLite in memory is private to one connection).
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const teams = [
  {
    user: 'user:default/jiwoo.kim',
    team: 'group:default/ml-team',
    ns: 'race-ml',
  },
  {
    user: 'user:default/jisoo.han',
    team: 'group:default/payments-team',
    ns: 'race-payments',
  },
  {
    user: 'user:default/eunji.song',
    team: 'group:default/citizen-services-team',
    ns: 'race-citizen',
  },
];

describe.each(databases.eachSupportedId())(
  'two gpu-pool backend replicas on one %p',
  databaseId => {
    let lab: LabFleet;
    const stops: Array<() => Promise<void>> = [];

    beforeAll(async () => {
      lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    });
    afterAll(async () => {
      for (const stop of stops.reverse()) await stop();
      await lab?.stop();
    });

    it('never allocate past capacity to 120 concurrent requests, and both converge the cluster', async () => {
      const knexA = await databases.init(databaseId);
      // Replica B: its own connection pool to the same database.
      const knexB: Knex = knexFactory(knexA.client.config);
      stops.push(() => knexB.destroy());
      const config = labConfig(lab, {
        // Large allowances: every request is approved at once and competes.
        allowances: teams.map(t => ({
          team: t.team,
          pool: 'lab-main-h100',
          gpus: 1000,
        })),
        computeAllowances: teams.map(t => ({
          team: t.team,
          cpu: '1000',
          memory: '100Ti',
        })),
      });
      const servers: any[] = [];
      for (const knex of [knexA, knexB]) {
        const scheduler = intervalScheduler();
        const captured = sinks();
        const backend = await startTestBackend({
          features: [
            gpuPoolPlugin,
            mockServices.rootConfig.factory({ data: config }),
            mockServices.database.factory({ knex }),
            userInfoFactory,
            scheduler.factory,
            ...captured.factories,
          ],
        });
        servers.push(backend.server);
        stops.push(async () => {
          scheduler.stop();
          await backend.stop();
        });
      }

      const auth = (i: number) =>
        mockCredentials.user.header(teams[i % 3].user);
      const results = await Promise.all(
        Array.from({ length: 120 }, (_, i) =>
          request(servers[i % 2])
            .post('/api/gpu-pool/requests')
            .set('Authorization', auth(i))
            .send({
              team: teams[i % 3].team,
              cluster: 'lab-main',
              namespace: teams[i % 3].ns,
              gpus: [{ pool: 'lab-main-h100', count: 1 + (i % 3) }],
              duration: 'P1D', // well beyond notifyBeforeExpiry: no lease turns expiring mid-test
            }),
        ),
      );
      expect(results.map(r => r.status).filter(s => s !== 201)).toEqual([]);
      const held = (r: any) =>
        ['provisioning', 'active'].includes(r.body.status);
      const granted = results.filter(held);
      const grantedGpus = granted.reduce((s, r) => s + r.body.gpus[0].count, 0);
      // 16 H100, 6 held by the fixture's train-llama-0/1 outside any grant.
      expect(grantedGpus).toBeLessThanOrEqual(10);
      expect(grantedGpus).toBeGreaterThanOrEqual(8); // the head of the queue needs at most 3
      expect(results.filter(r => r.body.status === 'queued')).toHaveLength(
        120 - granted.length,
      );

      // Both replicas report the same allocation, from the database.
      for (const server of servers) {
        const pools = await request(server)
          .get('/api/gpu-pool/pools')
          .set('Authorization', auth(0));
        expect(
          pools.body.items.find((p: any) => p.id === 'lab-main-h100'),
        ).toMatchObject({
          capacity: 16,
          allocated: grantedGpus,
        });
      }

      // The cluster converges: each team's ClusterQueue guarantees its
      // H100 grants, at least its allowance (1000 here).
      const cluster = lab.clusters.find(c => c.name === 'lab-main')!;
      for (const t of teams) {
        const heldByTeam = granted
          .filter(r => r.body.team === t.team)
          .reduce((s, r) => s + r.body.gpus[0].count, 0);
        const expected = Math.max(1000, heldByTeam);
        const name = `portal-${t.team.split('/')[1]}`;
        await eventually(async () => {
          const res = await fetch(
            `${cluster.url}/apis/kueue.x-k8s.io/v1beta2/clusterqueues/${name}`,
            { headers: { authorization: `Bearer ${cluster.token}` } },
          );
          if (res.status !== 200) return false;
          const cq = await res.json();
          const h100 = cq.spec.resourceGroups
            .flatMap((g: any) => g.flavors)
            .find((f: any) => f.name === 'lab-main-h100');
          return h100?.resources[0].nominalQuota === String(expected);
        }, 30_000);
      }
      await eventually(async () => {
        const list = await request(servers[1])
          .get('/api/gpu-pool/requests?scope=all&status=active')
          .set(
            'Authorization',
            mockCredentials.user.header('user:default/hyunwoo.park'),
          );
        return list.body.items.length === granted.length;
      }, 30_000);

      // Releases through both replicas at once: the queue advances, never past the 10 grantable.
      const released = await Promise.all(
        granted.map((r, i) =>
          request(servers[(i + 1) % 2])
            .post(`/api/gpu-pool/requests/${r.body.id}/release`)
            .set(
              'Authorization',
              mockCredentials.user.header(r.body.requestedBy),
            )
            .send({}),
        ),
      );
      expect(released.map(r => r.body.status)).toEqual(
        granted.map(() => 'released'),
      );
      const after = await request(servers[0])
        .get('/api/gpu-pool/requests?scope=all&status=provisioning,active')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/hyunwoo.park'),
        );
      const afterGpus = after.body.items.reduce(
        (s: number, r: any) => s + r.gpus[0].count,
        0,
      );
      expect(afterGpus).toBeLessThanOrEqual(10);
      expect(afterGpus).toBeGreaterThanOrEqual(8);
    });
  },
);
