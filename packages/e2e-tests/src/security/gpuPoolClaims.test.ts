import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunningBackend, startBackend } from '../support/backend';
import { guestToken } from '../support/session';
import { gpuPoolApi } from '../gpu-pool/support';

/**
 * Two teams claim the same new namespace at the same moment on the real
 * backend: exactly one wins, the other gets 409 and nothing of it is stored
 * or created. Both teams' requests come from a platform-team member (who may
 * request for any team), the only way one guest session can speak for two
 * teams. The same member then checks the history's hash chain.
 */

const PLATFORM_MEMBER = 'user:default/hyunwoo.park';

describe('GPU pool: one namespace, one team', () => {
  let dataDir: string;
  let backend: RunningBackend | undefined;
  let api: ReturnType<typeof gpuPoolApi>;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-gpu-claims-'));
    backend = await startBackend({
      dataDir,
      overlay: {
        auth: { providers: { guest: { userEntityRef: PLATFORM_MEMBER } } },
      },
    });
    api = gpuPoolApi(
      backend.baseUrl,
      await guestToken(backend.baseUrl, 'group:default/platform-team'),
    );
  }, 600_000);

  afterAll(async () => {
    await backend?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives a new namespace claimed by two teams at once to exactly one; the other gets 409', async () => {
    const labMain = backend!.lab!.clusters.find(c => c.name === 'lab-main')!;
    const client = api;
    for (let round = 0; round < 5; round++) {
      const namespace = `contested-${round}`;
      const results = await Promise.all(
        ['group:default/ml-team', 'group:default/payments-team'].map(team =>
          client.post('/requests', {
            team,
            cluster: 'lab-main',
            namespace,
            gpus: [],
          }),
        ),
      );
      expect(results.map(r => r.status).sort()).toEqual([201, 409]);
      const winner = results.find(r => r.status === 201)!.body;
      const loser = results.find(r => r.status === 409)!;
      expect(loser.body.error.message).toContain(namespace);

      const stored = (await client.get('/requests?scope=all')).body.items.filter(
        (r: any) => r.namespace === namespace,
      );
      expect(stored.map((r: any) => r.team)).toEqual([winner.team]);
      // Whatever the cluster has is the winner's.
      const ns = await fetch(`${labMain.url}/api/v1/namespaces/${namespace}`, {
        headers: { Authorization: `Bearer ${labMain.token}` },
      });
      const owner =
        ns.status === 200
          ? `group:default/${
              (await ns.json()).metadata.labels['portal.cloud-smart.io/owner']
            }`
          : winner.team;
      expect([200, 404]).toContain(ns.status);
      expect(owner).toBe(winner.team);
    }

    const verified = await api.get('/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.body.ok).toBe(true);
    expect(verified.body.checked).toBeGreaterThanOrEqual(5);
  });
});
