// scripts/backup.sh and scripts/restore.sh on the real backend: a portal on
// PostgreSQL makes a GPU request and publishes a golden-path repository; the
// backup is restored into a fresh set of databases (another prefix) and a
// fresh git directory, and a second portal on the restored data finds the
// request, its audit chain still verifying, and the published repository.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import { gpuPoolApi } from '../gpu-pool/support';
import {
  RunningBackend,
  startBackend,
  testPostgresUrl,
} from '../support/backend';
import { eventually } from '../support/eventually';
import { repoRoot } from '../support/paths';
import { guestToken } from '../support/session';

const postgresUrl = testPostgresUrl();
if (!postgresUrl) {
  // eslint-disable-next-line no-console
  console.warn(
    'backup/restore test skipped: no test PostgreSQL (BACKSTAGE_TEST_DATABASE_POSTGRES*_CONNECTION_STRING)',
  );
}
const describeIfPostgres = postgresUrl ? describe : describe.skip;

const PLATFORM = 'group:default/platform-team';

function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    execFile(
      file,
      args,
      { timeout: 180_000, env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) =>
        resolve({
          code: err ? Number((err as any).code ?? 1) || 1 : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

function psqlBin(): string {
  const versions = fs
    .readdirSync('/usr/lib/postgresql')
    .sort((a, b) => Number(a) - Number(b));
  return path.join(
    '/usr/lib/postgresql',
    versions[versions.length - 1],
    'bin',
    'psql',
  );
}

async function databasesWithPrefix(prefix: string): Promise<string[]> {
  const r = await run(psqlBin(), [
    postgresUrl!,
    '-XAt',
    '-c',
    `select datname from pg_database where left(datname, ${prefix.length}) = '${prefix}' order by 1`,
  ]);
  if (r.code !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

async function dropDatabases(prefix: string) {
  for (const db of await databasesWithPrefix(prefix)) {
    await run(psqlBin(), [
      postgresUrl!,
      '-XAt',
      '-c',
      `drop database if exists "${db}" with (force)`,
    ]);
  }
}

describeIfPostgres('backup and restore of the portal', () => {
  const id = Date.now().toString(36);
  const sourcePrefix = `bk${id}_src_`;
  const restoredPrefix = `bk${id}_dst_`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-backup-'));
  const sourceDir = path.join(work, 'source');
  const restoredDir = path.join(work, 'restored');
  const archive = path.join(work, 'portal-backup.tar');
  let lab: LabFleet;
  let backend: RunningBackend | undefined;

  function overlay(prefix: string, dataDir: string) {
    return {
      backend: {
        database: { client: 'pg', connection: postgresUrl, prefix },
      },
      // A platform-team member: the audit chain is the platform team's.
      auth: {
        providers: { guest: { userEntityRef: 'user:default/hyunwoo.park' } },
      },
      goldenPaths: { git: { rootDir: path.join(dataDir, 'git') } },
    };
  }

  beforeAll(async () => {
    fs.mkdirSync(sourceDir);
    fs.mkdirSync(restoredDir);
    // One lab for both portals: the restored one finds the cluster as it was.
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
  });

  afterAll(async () => {
    await backend?.stop();
    await lab?.stop();
    await dropDatabases(sourcePrefix);
    await dropDatabases(restoredPrefix);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('restores the GPU requests, their verifying audit chain and the published repositories', async () => {
    backend = await startBackend({
      overlay: overlay(sourcePrefix, sourceDir),
      dataDir: sourceDir,
      lab,
    });
    const token = await guestToken(backend.baseUrl, PLATFORM);
    const api = gpuPoolApi(backend.baseUrl, token);

    const created = await api.post('/requests', {
      team: PLATFORM,
      cluster: 'lab-main',
      namespace: `platform-backup-${id}`,
      gpus: [{ pool: 'lab-main-l40s', count: 1 }],
      cpu: '4',
      memory: '16Gi',
      duration: 'PT4H',
      justification: 'backup and restore test',
      ephemeral: false,
    });
    expect(created.status).toBe(201);
    const request = await eventually(
      async () => {
        const r = await api.get(`/requests/${created.body.id}`);
        return r.body.status === 'active' ? r.body : undefined;
      },
      { timeoutMs: 60_000, what: 'the GPU request active' },
    );

    // A golden path published to the portal's git storage.
    const name = `backup-svc-${id}`;
    const task = await fetch(`${backend.baseUrl}/api/scaffolder/v2/tasks`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        templateRef: 'template:default/nodejs-service',
        values: {
          name,
          description: 'Published before the backup',
          owner: PLATFORM,
          system: 'system:default/developer-platform',
          lifecycle: 'experimental',
          cluster: 'lab-main',
          publishTarget: 'portal',
        },
      }),
    });
    expect(task.status).toBe(201);
    const taskId = (await task.json()).id;
    const done = await eventually(
      async () => {
        const r = await fetch(
          `${backend!.baseUrl}/api/scaffolder/v2/tasks/${taskId}`,
          {
            headers: { Authorization: `Bearer ${token}` },
          },
        );
        const body = await r.json();
        if (body.status === 'failed')
          throw new Error(`task failed: ${JSON.stringify(body)}`);
        return body.status === 'completed' ? body : undefined;
      },
      {
        timeoutMs: 180_000,
        intervalMs: 1000,
        what: 'the golden-path task completed',
      },
    );
    expect(done.status).toBe('completed');
    const bare = path.join('repos', `${name}.git`);
    const head = await run('git', [
      '--git-dir',
      path.join(sourceDir, 'git', bare),
      'rev-parse',
      'HEAD',
    ]);
    expect(head.code).toBe(0);

    const before = await api.get('/audit/verify');
    expect(before.body.ok).toBe(true);
    await backend.stop();
    backend = undefined;

    const backup = await run(path.join(repoRoot, 'scripts', 'backup.sh'), [
      '--url',
      postgresUrl!,
      '--prefix',
      sourcePrefix,
      '--git-dir',
      path.join(sourceDir, 'git'),
      '--out',
      archive,
    ]);
    expect({ code: backup.code, stderr: backup.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('wrote'),
    });
    const sourceDatabases = await databasesWithPrefix(sourcePrefix);
    expect(sourceDatabases.length).toBeGreaterThan(5);

    const restore = await run(path.join(repoRoot, 'scripts', 'restore.sh'), [
      '--url',
      postgresUrl!,
      '--in',
      archive,
      '--prefix',
      restoredPrefix,
      '--git-dir',
      path.join(restoredDir, 'git'),
    ]);
    expect({ code: restore.code, stderr: restore.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('restored'),
    });
    expect(await databasesWithPrefix(restoredPrefix)).toEqual(
      sourceDatabases.map(db => restoredPrefix + db.slice(sourcePrefix.length)),
    );
    // Restoring twice is refused: it never overwrites.
    const again = await run(path.join(repoRoot, 'scripts', 'restore.sh'), [
      '--url',
      postgresUrl!,
      '--in',
      archive,
      '--prefix',
      restoredPrefix,
      '--git-dir',
      path.join(work, 'again'),
    ]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('exist already');

    // The source is gone: only the restored data can answer.
    await dropDatabases(sourcePrefix);
    fs.rmSync(path.join(sourceDir, 'git'), { recursive: true, force: true });

    backend = await startBackend({
      overlay: overlay(restoredPrefix, restoredDir),
      dataDir: restoredDir,
      lab,
    });
    const restoredApi = gpuPoolApi(
      backend.baseUrl,
      await guestToken(backend.baseUrl, PLATFORM),
    );
    const found = await restoredApi.get(`/requests/${request.id}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({
      id: request.id,
      team: PLATFORM,
      status: 'active',
    });
    const after = await restoredApi.get('/audit/verify');
    expect(after.status).toBe(200);
    expect(after.body.ok).toBe(true);
    expect(after.body.checked).toBeGreaterThanOrEqual(before.body.checked);

    const restoredHead = await run('git', [
      '--git-dir',
      path.join(restoredDir, 'git', bare),
      'rev-parse',
      'HEAD',
    ]);
    expect(restoredHead.stdout).toBe(head.stdout);
    const entity = await fetch(
      `${backend.baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
      {
        headers: {
          Authorization: `Bearer ${await guestToken(
            backend.baseUrl,
            PLATFORM,
          )}`,
        },
      },
    );
    expect(entity.status).toBe(200);
  });
});
