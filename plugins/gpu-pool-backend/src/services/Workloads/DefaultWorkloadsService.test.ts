import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startLabFleet, LabFleet } from '@internal/lab-cluster';
import { DefaultKubernetesAccess } from '@internal/plugin-kubernetes-access-node';
import { members } from '../../testing/fixtures';
import { AuthorizedWorkloadsService } from './AuthorizedWorkloadsService';
import { DefaultWorkloadsService } from './DefaultWorkloadsService';
import { WorkloadsWatcher } from './WorkloadsWatcher';

jest.setTimeout(30_000);

/**
 * The lab's Kueue objects are written here as Kueue would write them (the
 * Workload and its status), so these tests pin the portal's reading of
 * Kueue's API whatever the lab's own Kueue emulation does.
 */
describe('workloads of the teams, read from the lab cluster', () => {
  let lab: LabFleet;
  let admin: { url: string; token: string };
  const logger = mockServices.logger.mock();

  async function kube(method: string, path: string, body?: object, patch = false) {
    const res = await fetch(`${admin.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${admin.token}`,
        'content-type': patch ? 'application/merge-patch+json' : 'application/json',
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  async function namespace(name: string, owner?: string) {
    await kube('POST', '/api/v1/namespaces', {
      metadata: { name, labels: owner ? { 'portal.cloud-smart.io/owner': owner } : {} },
    });
  }

  async function job(ns: string, name: string, annotations: Record<string, string> = {}) {
    // Not queue-named for the lab, so that no emulated Kueue takes it over:
    // the Workload below stands for Kueue's.
    await kube('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
      metadata: { name, annotations, labels: { app: name } },
      spec: {
        suspend: true,
        template: {
          spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
        },
      },
    });
  }

  async function workload(ns: string, name: string, gpus: number, conditions: object[], admission?: object) {
    await kube('POST', `/apis/kueue.x-k8s.io/v1beta2/namespaces/${ns}/workloads`, {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'Workload',
      metadata: {
        name,
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: name.replace(/^job-/, ''), uid: 'u', controller: true }],
      },
      spec: {
        queueName: 'portal-gpu-pool',
        podSets: [
          {
            name: 'main',
            count: 1,
            template: {
              metadata: { annotations: { 'lab.cloud-smart.io/run-seconds': '600' } },
              spec: { containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': String(gpus) } } }] },
            },
          },
        ],
      },
    });
    await kube(
      'PATCH',
      `/apis/kueue.x-k8s.io/v1beta2/namespaces/${ns}/workloads/${name}/status`,
      { status: { conditions, ...(admission ? { admission } : {}) } },
      true,
    );
  }

  function access() {
    return DefaultKubernetesAccess.fromConfig(
      new ConfigReader({
        kubernetesAccess: {
          defaultTimeoutMs: 2000,
          clusters: lab.clusters.map(c => ({
            name: c.name,
            url: c.url,
            // The reader of deploy/rbac, as in production.
            auth: { provider: 'serviceAccount', serviceAccountToken: c.readerToken },
          })),
        },
      }),
      { logger },
    );
  }

  /** Decides like the portal policy: members of the team, platform team all. */
  const permissions = {
    async authorize(requests: any[], { credentials }: any) {
      const refs = members[credentials.principal.userEntityRef] ?? [];
      return requests.map(r => ({
        result:
          refs.includes('group:default/platform-team') || refs.includes(r.resourceRef)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
  } as any;

  const now = Date.parse('2026-01-01T00:00:00Z');
  const ltt = '2026-01-01T00:00:00Z';

  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    admin = lab.clusters.find(c => c.name === 'lab-main')!;
    await namespace('ml-jobs', 'ml-team');
    await namespace('pay-jobs', 'payments-team');
    await namespace('unowned-jobs');
    await job('ml-jobs', 'running', { 'portal.cloud-smart.io/expected-duration': 'PT1H' });
    await workload('ml-jobs', 'job-running', 4, [
      { type: 'QuotaReserved', status: 'True', reason: 'QuotaReserved', message: 'Quota reserved in ClusterQueue ml-team-lab-main', lastTransitionTime: ltt },
      { type: 'Admitted', status: 'True', reason: 'Admitted', message: 'The workload is admitted', lastTransitionTime: ltt },
      { type: 'PodsReady', status: 'True', reason: 'Started', message: 'All pods reached readiness', lastTransitionTime: ltt },
    ], {
      clusterQueue: 'ml-team-lab-main',
      podSetAssignments: [{ name: 'main', flavors: { 'nvidia.com/gpu': 'lab-main-h100' }, count: 1 }],
    });
    await job('ml-jobs', 'waiting');
    await workload('ml-jobs', 'job-waiting', 4, [
      { type: 'QuotaReserved', status: 'False', reason: 'Pending', message: "couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor lab-main-h100, 4 more needed", lastTransitionTime: ltt },
    ]);
    await workload('pay-jobs', 'job-payments', 1, [
      { type: 'QuotaReserved', status: 'False', reason: 'Pending', message: 'waiting', lastTransitionTime: ltt },
    ]);
    await workload('unowned-jobs', 'job-outside', 1, []);
    await kube('POST', '/apis/kueue.x-k8s.io/v1beta2/namespaces/ml-jobs/localqueues', {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'LocalQueue',
      metadata: { name: 'portal-gpu-pool' },
      spec: { clusterQueue: 'ml-team-lab-main' },
    });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  function service() {
    return AuthorizedWorkloadsService.create({
      service: DefaultWorkloadsService.create({ kubernetes: access(), logger, now: () => now }),
      permissions,
    });
  }

  it("shows a member their team's workloads with state, reason, GPUs, flavor and estimated start", async () => {
    const { items, errors } = await service().list(
      { cluster: 'lab-main' },
      mockCredentials.user('user:default/jiwoo.kim'),
    );
    expect(errors).toEqual([]);
    const byName = Object.fromEntries(items.map(w => [w.name, w]));
    // The lab's fixture has ML workloads of its own in ml-training and ml-inference.
    expect(
      items.filter(w => w.namespace === 'ml-jobs').map(w => w.name).sort(),
    ).toEqual(['job-running', 'job-waiting']);
    expect(items.every(w => w.team === 'group:default/ml-team')).toBe(true);
    expect(byName['job-running']).toMatchObject({
      team: 'group:default/ml-team',
      namespace: 'ml-jobs',
      job: { kind: 'Job', name: 'running' },
      state: 'running',
      reason: 'Started',
      gpus: { 'nvidia.com/gpu': 4 },
      flavors: { 'nvidia.com/gpu': 'lab-main-h100' },
      expectedDurationSeconds: 3600,
      expectedEnd: '2026-01-01T01:00:00.000Z',
    });
    // The reason is Kueue's, as stored (the lab's Kueue may have rewritten it).
    const stored = await kube(
      'GET',
      '/apis/kueue.x-k8s.io/v1beta2/namespaces/ml-jobs/workloads/job-waiting',
    );
    const quota = stored.status.conditions.find(
      (c: any) => c.type === 'QuotaReserved',
    );
    expect(byName['job-waiting']).toMatchObject({
      state: 'pending',
      reason: quota.reason,
      message: quota.message,
      // Its LocalQueue feeds the same ClusterQueue: starts when the 4 GPUs free.
      estimatedStart: '2026-01-01T01:00:00.000Z',
    });
    // Without Kueue's visibility API: no position rather than a guess.
    expect(byName['job-waiting'].positionInLocalQueue).toBeUndefined();
  });

  it('shows the platform team every team, and nothing of namespaces the portal does not own', async () => {
    const { items } = await service().list({}, mockCredentials.user('user:default/hyunwoo.park'));
    const mine = ['ml-jobs', 'pay-jobs', 'unowned-jobs'];
    expect(
      items
        .filter(w => mine.includes(w.namespace))
        .map(w => `${w.cluster}/${w.namespace}/${w.name}`)
        .sort(),
    ).toEqual([
      'lab-main/ml-jobs/job-running',
      'lab-main/ml-jobs/job-waiting',
      'lab-main/pay-jobs/job-payments',
    ]);
  });

  it('filters by namespace and refuses a malformed cluster name with NotFound', async () => {
    const user = mockCredentials.user('user:default/hyunwoo.park');
    const { items } = await service().list({ cluster: 'lab-main', namespace: 'pay-jobs' }, user);
    expect(items.map(w => w.name)).toEqual(['job-payments']);
    await expect(service().list({ cluster: 'nope' }, user)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('"nope"'),
    });
  });

  it('fails closed with 503 naming the cluster when it is down, and reports it among many', async () => {
    const user = mockCredentials.user('user:default/jiwoo.kim');
    await lab.cluster('lab-main').faults.set({ status: 503 });
    try {
      await expect(service().list({ cluster: 'lab-main' }, user)).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining('cluster lab-main'),
      });
      const all = await service().list({}, user);
      expect(all.items).toEqual([]);
      expect(all.errors).toEqual([
        { cluster: 'lab-main', message: expect.stringContaining('lab-main') },
      ]);
    } finally {
      await lab.cluster('lab-main').faults.clear();
    }
  });

  it('signals a change of a team namespace once, and nothing when nothing changed', async () => {
    const published: any[] = [];
    const watcher = WorkloadsWatcher.create({
      kubernetes: access(),
      signals: { publish: async (s: any) => void published.push(s) },
      logger,
    });
    expect(await watcher.pass()).toEqual([]);
    expect(await watcher.pass()).toEqual([]);
    await kube(
      'PATCH',
      '/apis/kueue.x-k8s.io/v1beta2/namespaces/pay-jobs/workloads/job-payments/status',
      { status: { conditions: [{ type: 'Admitted', status: 'True', reason: 'Admitted', message: 'ok', lastTransitionTime: ltt }] } },
      true,
    );
    expect(await watcher.pass()).toEqual([
      { team: 'group:default/payments-team', cluster: 'lab-main', namespace: 'pay-jobs' },
    ]);
    expect(published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'gpu-pool:workloads',
        message: { team: 'group:default/payments-team', cluster: 'lab-main', namespace: 'pay-jobs' },
      },
    ]);
    expect(await watcher.pass()).toEqual([]);
  });
});
