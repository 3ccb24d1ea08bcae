// Kueue's manageJobsWithoutQueueName in the lab: on lab-main (bundled
// fixture) a Job without a queue name in a namespace the GPU pool manages is
// held suspended, not run; elsewhere it runs as before; naming a queue hands
// it to Kueue. The fixture's setting is validated, naming the field.
import { LabFleet, startLabFleet } from '../index';
import { Target, req, waitFor } from '../testing/http';
import { readFixture } from '../fixture/load';

jest.setTimeout(30_000);

const MANAGED = 'gpu-managed';
const UNMANAGED = 'platform-tools';

function plainJob(name: string) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: {
      template: {
        metadata: { annotations: { 'lab.cloud-smart.io/run-seconds': '600' } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'train',
              image: 'registry.local/ml/train:1',
              resources: {
                requests: { cpu: '1', memory: '1Gi' },
                limits: { 'nvidia.com/gpu': '1' },
              },
            },
          ],
        },
      },
    },
  };
}

describe('Jobs without a queue name (manageJobsWithoutQueueName)', () => {
  let lab: LabFleet;
  let main: Target;

  beforeAll(async () => {
    lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    const c = lab.clusters.find(x => x.name === 'lab-main')!;
    main = { url: c.url, token: c.token };
    const ns = await req(main, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: MANAGED,
        labels: {
          'app.kubernetes.io/managed-by': 'portal-gpu-pool',
          'portal.cloud-smart.io/owner': 'ml-team',
        },
      },
    });
    if (ns.status !== 201)
      throw new Error(
        `creating ${MANAGED}: ${ns.status} ${JSON.stringify(ns.body)}`,
      );
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const pods = async (ns: string, job: string) =>
    (
      await req(
        main,
        'GET',
        `/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3D${job}`,
      )
    ).body.items;
  const getJob = async (ns: string, name: string) =>
    (await req(main, 'GET', `/apis/batch/v1/namespaces/${ns}/jobs/${name}`))
      .body;

  it('holds one in a GPU pool namespace suspended, and runs one elsewhere', async () => {
    const held = await req(
      main,
      'POST',
      `/apis/batch/v1/namespaces/${MANAGED}/jobs`,
      plainJob('sneaky'),
    );
    expect(held.status).toBe(201);
    expect(held.body.spec.suspend).toBe(true);
    const free = await req(
      main,
      'POST',
      `/apis/batch/v1/namespaces/${UNMANAGED}/jobs`,
      plainJob('tooling'),
    );
    expect(free.status).toBe(201);
    expect(free.body.spec.suspend).toBe(false);
    // The controllers ran: the unmanaged Job has its pod...
    await waitFor(
      async () => (await pods(UNMANAGED, 'tooling')).length === 1,
      'the unmanaged Job runs a pod',
    );
    // ...and the held one has none, and no Workload (it names no queue).
    expect(await pods(MANAGED, 'sneaky')).toEqual([]);
    const workloads = await req(
      main,
      'GET',
      `/apis/kueue.x-k8s.io/v1beta2/namespaces/${MANAGED}/workloads`,
    );
    expect(workloads.body.items).toEqual([]);
  });

  it('suspends it again when someone unsuspends it', async () => {
    const patched = await req(
      main,
      'PATCH',
      `/apis/batch/v1/namespaces/${MANAGED}/jobs/sneaky`,
      { spec: { suspend: false } },
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(200);
    await waitFor(
      async () => (await getJob(MANAGED, 'sneaky')).spec.suspend === true,
      'the Job suspended again',
    );
    // Any pod the Job controller created in between is gone again.
    await waitFor(
      async () =>
        (
          await pods(MANAGED, 'sneaky')
        ).filter((p: any) => !p.metadata.deletionTimestamp).length === 0,
      'no pod of the held Job',
    );
  });

  it('hands it to Kueue once it names a queue', async () => {
    const labelled = await req(
      main,
      'PATCH',
      `/apis/batch/v1/namespaces/${MANAGED}/jobs/sneaky`,
      {
        metadata: {
          labels: { 'kueue.x-k8s.io/queue-name': 'portal-gpu-pool' },
        },
      },
      'application/merge-patch+json',
    );
    expect(labelled.status).toBe(200);
    const wl = await waitFor(async () => {
      const list = await req(
        main,
        'GET',
        `/apis/kueue.x-k8s.io/v1beta2/namespaces/${MANAGED}/workloads`,
      );
      return list.body.items?.[0];
    }, 'a Workload for the Job');
    expect(wl.spec.queueName).toBe('portal-gpu-pool');
    // No such LocalQueue here: it waits, still suspended, with Kueue's reason.
    const pending = await waitFor(async () => {
      const w = (
        await req(
          main,
          'GET',
          `/apis/kueue.x-k8s.io/v1beta2/namespaces/${MANAGED}/workloads/${wl.metadata.name}`,
        )
      ).body;
      return (w.status?.conditions ?? []).find(
        (c: any) => c.type === 'QuotaReserved',
      );
    }, 'the Workload pending');
    expect(pending).toMatchObject({
      status: 'False',
      reason: 'Inadmissible',
      message: "LocalQueue portal-gpu-pool doesn't exist",
    });
    expect((await getJob(MANAGED, 'sneaky')).spec.suspend).toBe(true);
  });

  it('refuses a fixture setting it cannot honour, naming the field', async () => {
    const cluster = {
      name: 'x',
      tokens: { admin: 't' },
      kueue: true,
      kueueConfig: { manageJobsWithoutQueueName: 'yes' },
    };
    await expect(readFixture({ clusters: [cluster] } as any)).rejects.toThrow(
      'fixture cluster x: kueueConfig.manageJobsWithoutQueueName must be true or false, got "yes"',
    );
    await expect(
      readFixture({
        clusters: [{ ...cluster, kueue: false, kueueConfig: {} }],
      } as any),
    ).rejects.toThrow('fixture cluster x: kueueConfig needs kueue: true');
  });
});
