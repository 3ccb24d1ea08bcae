import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunningBackend, startBackend } from '../support/backend';
import { eventually } from '../support/eventually';
import { guestToken } from '../support/session';

/**
 * The guest developer (jiwoo.kim, ML team) attacks the running backend with
 * what the portal policy reserves: the Kubernetes proxy, template management,
 * notifications and another user's scaffolder task. Each refusal is checked
 * together with the state it would have changed.
 */

const DEVELOPER = 'user:default/jiwoo.kim';
const OTHER_DEVELOPER = 'user:default/jisoo.han';
const WAIT = { timeoutMs: 120_000, intervalMs: 1000 };
/** Start-up plus sign-in on a busy machine (2 cores shared by everyone). */
const SETUP_TIMEOUT_MS = 540_000;

/** A static service token, the test's own view of state behind the policy. */
const refereeToken = crypto.randomBytes(24).toString('hex');

function overlay(dataDir: string, guest: string) {
  return {
    auth: { providers: { guest: { userEntityRef: guest } } },
    backend: {
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: {
              token: refereeToken,
              subject: 'e2e-permissions-referee',
            },
          },
        ],
      },
    },
    goldenPaths: { git: { rootDir: path.join(dataDir, 'git') } },
  };
}

/** Runs a setup step; when it fails, the backend's log says why. */
async function withLog<T>(backend: RunningBackend, fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (error) {
    throw new Error(
      `${error}\n--- backend log (tail) ---\n${backend
        .output()
        .split('\n')
        .slice(-40)
        .join('\n')}`,
    );
  }
}

async function call(
  backend: RunningBackend,
  token: string,
  method: string,
  route: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${backend.baseUrl}${route}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(options.body === undefined
        ? {}
        : { 'Content-Type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the failure message
  }
  return { status: res.status, body };
}

/**
 * Refused by Backstage (NotAllowedError from the permission check), not by
 * the cluster or anything behind it.
 */
function expectRefused(res: { status: number; body: any }) {
  expect({ status: res.status, error: res.body?.error?.name }).toEqual({
    status: 403,
    error: 'NotAllowedError',
  });
}

async function authorize(backend: RunningBackend, token: string, name: string) {
  const res = await call(backend, token, 'POST', '/api/permission/authorize', {
    body: {
      items: [{ id: '1', permission: { type: 'basic', name, attributes: {} } }],
    },
  });
  expect(res.status).toBe(200);
  return res.body.items[0].result as string;
}

async function notificationsOf(backend: RunningBackend, token: string) {
  const res = await call(
    backend,
    token,
    'GET',
    '/api/notifications/notifications?limit=100',
  );
  expect(res.status).toBe(200);
  return res.body as {
    totalCount: number;
    notifications: { payload: { title: string } }[];
  };
}

describe('permissions: what a developer is refused', () => {
  let dataDir: string;
  let backend: RunningBackend | undefined;
  let developer: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-permissions-'));
    backend = await startBackend({
      dataDir,
      overlay: overlay(dataDir, DEVELOPER),
    });
    developer = await withLog(backend, () =>
      guestToken(backend!.baseUrl, 'group:default/ml-team'),
    );
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await backend?.stop();
    if (dataDir) {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('cannot delete a namespace through the Kubernetes proxy', async () => {
    const lab = backend!.lab!;
    const labMain = lab.clusters.find(c => c.name === 'lab-main')!;
    const namespace = () =>
      fetch(`${labMain.url}/api/v1/namespaces/payments`, {
        headers: { Authorization: `Bearer ${labMain.token}` },
      });
    expect((await namespace()).status).toBe(200);
    const deletesBefore =
      lab.cluster('lab-main').metrics()['delete namespaces'] ?? 0;

    const res = await call(
      backend!,
      developer,
      'DELETE',
      '/api/kubernetes/proxy/api/v1/namespaces/payments',
      { headers: { 'Backstage-Kubernetes-Cluster': 'lab-main' } },
    );
    expectRefused(res);

    const after = await namespace();
    expect(after.status).toBe(200);
    expect((await after.json()).metadata.deletionTimestamp).toBeUndefined();
    expect(lab.cluster('lab-main').metrics()['delete namespaces'] ?? 0).toBe(
      deletesBefore,
    );
  });

  // kubernetes-backend 0.21.13+ no longer forwards the caller's Authorization
  // and Cookie: even a caller the proxy admits (here the referee's service
  // token, which Backstage's permissions service allows without the policy)
  // reaches the cluster as the portal's reader, whose RBAC refuses writes.
  it('reaches the cluster through the Kubernetes proxy as the reader only, never with the caller’s credentials', async () => {
    const lab = backend!.lab!;
    const reader = 'system:serviceaccount:cloud-smart-portal:portal-reader';
    const before = lab.cluster('lab-main').metricsByUser();
    const proxy = (method: string, route: string) =>
      fetch(`${backend!.baseUrl}/api/kubernetes/proxy${route}`, {
        method,
        headers: {
          Authorization: `Bearer ${refereeToken}`,
          Cookie: `backstage-session=${refereeToken}`,
          'Backstage-Kubernetes-Cluster': 'lab-main',
        },
      });

    const listed = await proxy('GET', '/api/v1/namespaces');
    expect(listed.status).toBe(200);
    const names = (await listed.json()).items.map((n: any) => n.metadata.name);
    expect(names).toContain('payments');

    const removed = await proxy('DELETE', '/api/v1/namespaces/payments');
    expect(removed.status).toBe(403);
    const status = await removed.json();
    expect(status).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
    expect(status.message).toContain(reader);

    const after = lab.cluster('lab-main').metricsByUser();
    const calls = (user: string, verb: string) =>
      (after[user]?.[verb] ?? 0) - (before[user]?.[verb] ?? 0);
    expect(calls(reader, 'delete namespaces')).toBe(1);
    expect(calls(reader, 'list namespaces')).toBeGreaterThanOrEqual(1);
    // Nobody but the reader tried to delete anything.
    expect(
      Object.keys(after).filter(
        u => u !== reader && calls(u, 'delete namespaces') !== 0,
      ),
    ).toEqual([]);
    const labMain = lab.clusters.find(c => c.name === 'lab-main')!;
    const payments = await fetch(`${labMain.url}/api/v1/namespaces/payments`, {
      headers: { Authorization: `Bearer ${labMain.token}` },
    });
    expect((await payments.json()).metadata.deletionTimestamp).toBeUndefined();
  });

  it('cannot manage templates or dry-run steps, nor broadcast through one', async () => {
    const before = await notificationsOf(backend!, developer);
    const title = `e2e broadcast ${Date.now().toString(36)}`;
    const dryRun = await call(
      backend!,
      developer,
      'POST',
      '/api/scaffolder/v2/dry-run',
      {
        body: {
          template: {
            apiVersion: 'scaffolder.backstage.io/v1beta3',
            kind: 'Template',
            metadata: { name: 'e2e-broadcast' },
            spec: {
              type: 'service',
              parameters: [],
              steps: [
                {
                  id: 'broadcast',
                  name: 'Broadcast',
                  action: 'notification:send',
                  input: { recipients: 'broadcast', title },
                },
              ],
            },
          },
          values: {},
          directoryContents: [],
        },
      },
    );
    expectRefused(dryRun);
    expect(
      await authorize(backend!, developer, 'scaffolder.template.management'),
    ).toBe('DENY');
    expect(
      await authorize(backend!, developer, 'scaffolder.template.dry-run'),
    ).toBe('DENY');

    const after = await notificationsOf(backend!, developer);
    expect(after.totalCount).toBe(before.totalCount);
    expect(after.notifications.map(n => n.payload.title)).not.toContain(title);
  });

  it('cannot send a notification with a user token', async () => {
    const before = await notificationsOf(backend!, developer);
    const title = `e2e user broadcast ${Date.now().toString(36)}`;
    const res = await call(
      backend!,
      developer,
      'POST',
      '/api/notifications/notifications',
      {
        body: { recipients: { type: 'broadcast' }, payload: { title } },
      },
    );
    expectRefused(res);
    const after = await notificationsOf(backend!, developer);
    expect(after.totalCount).toBe(before.totalCount);
    expect(after.notifications.map(n => n.payload.title)).not.toContain(title);
  });

  describe("another user's scaffolder task", () => {
    let taskId: string;
    let other: string;

    beforeAll(async () => {
      const running = backend!;
      await eventually(
        async () =>
          (
            await call(
              running,
              developer,
              'GET',
              '/api/catalog/entities/by-name/template/default/nodejs-service',
            )
          ).status === 200,
        { ...WAIT, what: 'the nodejs-service template in the catalog' },
      );
      const created = await call(
        running,
        developer,
        'POST',
        '/api/scaffolder/v2/tasks',
        {
          body: {
            templateRef: 'template:default/nodejs-service',
            values: {
              name: `e2e-perm-${Date.now().toString(36)}`,
              description: 'A task whose owner is the ML developer',
              owner: 'group:default/ml-team',
              system: 'system:default/document-ai',
              lifecycle: 'experimental',
              cluster: 'lab-main',
              publishTarget: 'portal',
            },
          },
        },
      );
      if (created.status !== 201) {
        throw new Error(
          `creating the task answered ${created.status}: ${JSON.stringify(
            created.body,
          )}`,
        );
      }
      taskId = created.body.id;
      // The owner may cancel their own task (and it keeps this test short).
      const cancelled = await call(
        running,
        developer,
        'POST',
        `/api/scaffolder/v2/tasks/${taskId}/cancel`,
      );
      if (cancelled.status !== 200) {
        throw new Error(`the owner's cancel answered ${cancelled.status}`);
      }
      await eventually(
        async () => {
          const task = await call(
            running,
            developer,
            'GET',
            `/api/scaffolder/v2/tasks/${taskId}`,
          );
          return ['cancelled', 'failed', 'completed'].includes(
            task.body?.status,
          );
        },
        { ...WAIT, what: `task ${taskId} to finish` },
      );

      // The same data, another signed-in developer (payments team).
      await running.stop();
      backend = undefined;
      backend = await startBackend({
        dataDir,
        overlay: overlay(dataDir, OTHER_DEVELOPER),
      });
      other = await withLog(backend, () =>
        guestToken(backend!.baseUrl, 'group:default/payments-team'),
      );
    }, 2 * SETUP_TIMEOUT_MS);

    it('is neither readable, listed, cancellable nor retryable by another developer', async () => {
      const running = backend!;
      const referee = async () => {
        const task = await call(
          running,
          refereeToken,
          'GET',
          `/api/scaffolder/v2/tasks/${taskId}`,
        );
        const events = await call(
          running,
          refereeToken,
          'GET',
          `/api/scaffolder/v2/tasks/${taskId}/events`,
        );
        expect(task.status).toBe(200);
        expect(events.status).toBe(200);
        return {
          status: task.body.status,
          createdBy: task.body.createdBy,
          events: events.body.length,
        };
      };
      const before = await referee();
      expect(before.createdBy).toBe(DEVELOPER);

      const read = await call(
        running,
        other,
        'GET',
        `/api/scaffolder/v2/tasks/${taskId}`,
      );
      expectRefused(read);
      expect(JSON.stringify(read.body)).not.toContain('A task whose owner');
      const events = await call(
        running,
        other,
        'GET',
        `/api/scaffolder/v2/tasks/${taskId}/events`,
      );
      expectRefused(events);
      const listed = await call(
        running,
        other,
        'GET',
        '/api/scaffolder/v2/tasks',
      );
      expect(listed.status).toBe(200);
      expect(listed.body.tasks.map((t: { id: string }) => t.id)).not.toContain(
        taskId,
      );
      const cancel = await call(
        running,
        other,
        'POST',
        `/api/scaffolder/v2/tasks/${taskId}/cancel`,
      );
      expectRefused(cancel);
      const retry = await call(
        running,
        other,
        'POST',
        `/api/scaffolder/v2/tasks/${taskId}/retry`,
        { body: {} },
      );
      expectRefused(retry);

      expect(await referee()).toEqual(before);
    });
  });
});
