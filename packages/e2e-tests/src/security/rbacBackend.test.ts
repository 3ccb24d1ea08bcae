// The real backend with deploy/rbac's identities (issue 10, item 2): cluster
// status and the GPU pool work with exactly the reader's and writer's rights,
// the lab admin is never used, and a right taken from the writer shows up as
// the GPU request's error instead of being skipped.
import { LabFleet } from '@internal/lab-cluster';
import { RunningBackend, startBackend } from '../support/backend';
import { eventually } from '../support/eventually';
import { guestToken } from '../support/session';
import { gpuPoolApi } from '../gpu-pool/support';

const READER = 'system:serviceaccount:cloud-smart-portal:portal-reader';
const WRITER = 'system:serviceaccount:cloud-smart-portal:portal-writer';
const WRITER_ROLE =
  '/apis/rbac.authorization.k8s.io/v1/clusterroles/portal-writer';

async function labAdmin(
  lab: LabFleet,
  cluster: string,
  method: string,
  route: string,
  body?: unknown,
) {
  const c = lab.clusters.find(x => x.name === cluster)!;
  const res = await fetch(`${c.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${c.token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok)
    throw new Error(`${method} ${route}: ${res.status} ${json.message}`);
  return json;
}

/** Verbs the user sent, e.g. ['list nodes', 'patch namespaces']. */
function verbsBy(lab: LabFleet, cluster: string, user: string): string[] {
  return Object.keys(lab.cluster(cluster).metricsByUser()[user] ?? {});
}

describe('the portal on deploy/rbac identities', () => {
  let backend: RunningBackend;
  let lab: LabFleet;

  beforeAll(async () => {
    backend = await startBackend();
    lab = backend.lab!;
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('runs cluster status with the reader only, never the lab admin', async () => {
    const token = await guestToken(backend.baseUrl, 'group:default/ml-team');
    const clusters = await eventually(
      async () => {
        const res = await fetch(
          `${backend.baseUrl}/api/cluster-status/clusters`,
          {
            headers: { authorization: `Bearer ${token}` },
          },
        );
        const items: any[] = (await res.json()).items ?? [];
        return items.length === 2 &&
          items.every(c => c.status === 'reachable' && c.nodes.total > 0)
          ? items
          : undefined;
      },
      {
        timeoutMs: 60_000,
        what: 'both lab clusters reachable in cluster status',
      },
    );
    expect(clusters.map(c => c.name).sort()).toEqual(['lab-edge', 'lab-main']);

    for (const cluster of ['lab-main', 'lab-edge']) {
      const users = Object.keys(lab.cluster(cluster).metricsByUser());
      // Only the portal's two service accounts talk to the cluster.
      expect(users.filter(u => u !== READER && u !== WRITER)).toEqual([]);
      const read = verbsBy(lab, cluster, READER);
      expect(read).toEqual(
        expect.arrayContaining(['list nodes', 'watch pods', 'list namespaces']),
      );
      expect(read.filter(v => !/^(get|list|watch) /.test(v))).toEqual([]);
    }
  });

  it('provisions a GPU lease with the writer, surfaces a right taken away, and recovers when it is back', async () => {
    const token = await guestToken(backend.baseUrl, 'group:default/ml-team');
    const api = gpuPoolApi(backend.baseUrl, token);
    await eventually(
      async () => {
        const res = await api.get('/pools');
        const h100 = (res.body?.items ?? []).find(
          (p: any) => p.id === 'lab-main-h100',
        );
        return h100?.live && h100.capacity > 0;
      },
      { timeoutMs: 60_000, what: 'the H100 pool live' },
    );

    // Take `create` on limitranges away from the writer, as a cluster admin
    // trimming the role too far would.
    const role = await labAdmin(lab, 'lab-main', 'GET', WRITER_ROLE);
    const trimmed = role.rules.map((r: any) =>
      r.resources.includes('limitranges') && r.verbs.includes('create')
        ? {
            ...r,
            resources: r.resources.filter((x: string) => x !== 'limitranges'),
          }
        : r,
    );
    await labAdmin(lab, 'lab-main', 'PUT', WRITER_ROLE, {
      ...role,
      rules: trimmed,
    });

    const namespace = `ml-rbac-${Date.now().toString(36)}`;
    const created = await api.post('/requests', {
      team: 'group:default/ml-team',
      cluster: 'lab-main',
      namespace,
      gpus: [{ pool: 'lab-main-h100', count: 1 }],
      cpu: '4',
      memory: '16Gi',
      duration: 'PT2H',
      justification: 'RBAC end-to-end test',
      ephemeral: false,
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;

    const stuck = await eventually(
      async () => {
        const res = await api.get(`/requests/${id}`);
        return res.body.lastError ? res.body : undefined;
      },
      {
        timeoutMs: 30_000,
        what: `request ${id} reporting the reconciler's error`,
      },
    );
    expect(stuck.status).toBe('provisioning');
    expect(stuck.lastError).toContain(
      `cannot create resource "limitranges" in API group "" in the namespace "${namespace}"`,
    );
    expect(stuck.lastError).toContain(WRITER);
    const store = lab.cluster('lab-main').store;
    expect(
      store.get('/limitranges', namespace, 'portal-gpu-pool'),
    ).toBeUndefined();
    expect(backend.output()).toMatch(
      /cannot create resource \\?"limitranges\\?"/,
    );

    // Give the right back: the next reconcile completes the lease.
    const current = await labAdmin(lab, 'lab-main', 'GET', WRITER_ROLE);
    await labAdmin(lab, 'lab-main', 'PUT', WRITER_ROLE, {
      ...role,
      metadata: current.metadata,
    });
    const active = await eventually(
      async () => {
        const res = await api.get(`/requests/${id}`);
        return res.body.status === 'active' ? res.body : undefined;
      },
      {
        timeoutMs: 30_000,
        what: `request ${id} active once the right is back`,
      },
    );
    expect(active.lastError).toBeFalsy();
    expect(
      store.get('/limitranges', namespace, 'portal-gpu-pool'),
    ).toBeDefined();
    expect(
      store.get('/rolebindings', namespace, 'portal-gpu-pool'),
    ).toBeUndefined();
    expect(
      store.get(
        'rbac.authorization.k8s.io/rolebindings',
        namespace,
        'portal-gpu-pool',
      )?.obj.roleRef.name,
    ).toBe('edit');

    // Every write came from the writer; the reader never wrote anything.
    const written = verbsBy(lab, 'lab-main', WRITER);
    expect(written).toEqual(
      expect.arrayContaining([
        'patch namespaces',
        'patch limitranges',
        'patch rolebindings',
      ]),
    );
    expect(
      verbsBy(lab, 'lab-main', READER).filter(
        v => !/^(get|list|watch) /.test(v),
      ),
    ).toEqual([]);

    const released = await api.post(`/requests/${id}/release`, {
      reason: 'done',
    });
    expect(released.status).toBe(200);
  });
});
