import { LabFleet, startLabFleet } from '../fleet';
import { Target, req, sleep } from '../testing/http';

// RBAC enforcement over HTTP, with deploy/rbac seeded as at every start.
const fixture = {
  clusters: [
    {
      name: 'rbac-lab',
      tokens: { admin: 'rbac-admin' },
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
      ],
    },
  ],
};

const APPLY = 'application/apply-patch+yaml';
const WRITER_ROLE =
  '/apis/rbac.authorization.k8s.io/v1/clusterroles/portal-writer';

describe('lab RBAC enforcement', () => {
  let lab: LabFleet;
  let admin: Target;
  let reader: Target;
  let writer: Target;

  beforeAll(async () => {
    lab = await startLabFleet({ fixture, basePort: 0, adminPort: 0 });
    const c = lab.clusters[0];
    admin = { url: c.url, token: c.token };
    reader = { url: c.url, token: c.readerToken };
    writer = { url: c.url, token: c.writerToken };
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const ns = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  const applyNs = (t: Target, name: string) =>
    req(
      t,
      'PATCH',
      `/api/v1/namespaces/${name}?fieldManager=test&force=true`,
      ns(name),
      APPLY,
    );

  it('issues tokens for deploy/rbac service accounts and rejects unknown tokens', async () => {
    expect(lab.clusters[0].readerToken).toBe('rbac-lab-portal-reader-token');
    expect(lab.clusters[0].writerToken).toBe('rbac-lab-portal-writer-token');
    expect((await req(reader, 'GET', '/api/v1/nodes')).status).toBe(200);
    expect(
      (await req({ url: admin.url, token: 'nope' }, 'GET', '/api/v1/nodes'))
        .status,
    ).toBe(401);
  });

  it('answers 403 with a Kubernetes Status naming user, verb and resource', async () => {
    const r = await req(reader, 'DELETE', '/api/v1/namespaces/team-a');
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      details: { name: 'team-a', kind: 'namespaces' },
    });
    expect(r.body.message).toBe(
      'namespaces "team-a" is forbidden: User "system:serviceaccount:cloud-smart-portal:portal-reader" cannot delete resource "namespaces" in API group "" in the namespace "team-a"',
    );
    const secrets = await req(
      reader,
      'GET',
      '/api/v1/namespaces/team-a/secrets',
    );
    expect(secrets.status).toBe(403);
    expect(secrets.body.message).toContain('cannot list resource "secrets"');
    expect(
      lab.cluster('rbac-lab').store.get('/namespaces', '', 'team-a'),
    ).toBeDefined();
  });

  it('lets the writer apply exactly what deploy/rbac grants', async () => {
    expect((await applyNs(writer, 'granted')).status).toBe(201);
    const quota = (name: string) =>
      req(
        writer,
        'PATCH',
        `/api/v1/namespaces/granted/resourcequotas/${name}?fieldManager=test&force=true`,
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: { name, namespace: 'granted' },
          spec: { hard: { pods: '5' } },
        },
        APPLY,
      );
    expect((await quota('portal-gpu-pool')).status).toBe(201);
    // patch and delete are limited to the reconciler's own object name.
    const other = await quota('someone-elses');
    expect(other.status).toBe(403);
    expect(other.body.message).toContain(
      'cannot patch resource "resourcequotas"',
    );
    expect(
      (
        await req(
          writer,
          'DELETE',
          '/api/v1/namespaces/granted/resourcequotas/portal-gpu-pool',
        )
      ).status,
    ).toBe(200);
    // Not listed in portal-writer: reading pods, writing configmaps.
    expect(
      (await req(writer, 'GET', '/api/v1/namespaces/granted/pods')).status,
    ).toBe(403);
    const cm = await req(
      writer,
      'POST',
      '/api/v1/namespaces/granted/configmaps',
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x' },
      },
    );
    expect(cm.status).toBe(403);
  });

  it('needs create as well as patch when a server-side apply creates', async () => {
    const role = (await req(admin, 'GET', WRITER_ROLE)).body;
    const withoutCreate = {
      ...role,
      rules: role.rules.map((r: any) =>
        r.resources.includes('namespaces')
          ? { ...r, verbs: r.verbs.filter((v: string) => v !== 'create') }
          : r,
      ),
    };
    expect((await req(admin, 'PUT', WRITER_ROLE, withoutCreate)).status).toBe(
      200,
    );
    try {
      const created = await applyNs(writer, 'apply-creates');
      expect(created.status).toBe(403);
      expect(created.body.message).toContain(
        'cannot create resource "namespaces"',
      );
      expect(
        lab.cluster('rbac-lab').store.get('/namespaces', '', 'apply-creates'),
      ).toBeUndefined();
      // Patching an existing namespace needs only patch.
      expect((await applyNs(writer, 'granted')).status).toBe(200);
    } finally {
      const current = (await req(admin, 'GET', WRITER_ROLE)).body;
      await req(admin, 'PUT', WRITER_ROLE, {
        ...role,
        metadata: current.metadata,
      });
    }
    expect((await applyNs(writer, 'apply-creates')).status).toBe(201);
  });

  it('lets the writer bind edit but no other role (escalation check)', async () => {
    const binding = (roleName: string, namespace: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'portal-gpu-pool', namespace },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: roleName,
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: 'ml-team',
        },
      ],
    });
    const path = (namespace: string) =>
      `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings/portal-gpu-pool?fieldManager=test&force=true`;
    expect(
      (
        await req(
          writer,
          'PATCH',
          path('granted'),
          binding('edit', 'granted'),
          APPLY,
        )
      ).status,
    ).toBe(201);
    const escalate = await req(
      writer,
      'PATCH',
      path('team-a'),
      binding('cluster-admin', 'team-a'),
      APPLY,
    );
    expect(escalate.status).toBe(403);
    expect(escalate.body.message).toContain(
      'needs "bind" on clusterroles "cluster-admin"',
    );
    // Nor may it rewrite its own role.
    const own = (await req(admin, 'GET', WRITER_ROLE)).body;
    expect((await req(writer, 'PUT', WRITER_ROLE, own)).status).toBe(403);
  });

  it('answers SelfSubjectAccessReview and SelfSubjectReview', async () => {
    const can = async (t: Target, resourceAttributes: object) => {
      const r = await req(
        t,
        'POST',
        '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes },
        },
      );
      expect(r.status).toBe(201);
      return r.body.status.allowed as boolean;
    };
    expect(await can(reader, { verb: 'watch', resource: 'pods' })).toBe(true);
    expect(await can(reader, { verb: 'create', resource: 'namespaces' })).toBe(
      false,
    );
    expect(
      await can(writer, { verb: 'delete', resource: 'namespaces', name: 'x' }),
    ).toBe(true);
    expect(
      await can(writer, {
        verb: 'bind',
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
        name: 'edit',
      }),
    ).toBe(true);
    expect(
      await can(writer, {
        verb: 'bind',
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterroles',
        name: 'admin',
      }),
    ).toBe(false);
    const who = await req(
      writer,
      'POST',
      '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      },
    );
    expect(who.body.status.userInfo.username).toBe(
      'system:serviceaccount:cloud-smart-portal:portal-writer',
    );
    const bad = await req(
      reader,
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { spec: {} },
    );
    expect(bad.status).toBe(422);
  });

  it('serves RBAC objects through the API and revokes tokens with their service account', async () => {
    const list = await req(
      reader,
      'GET',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    );
    expect(list.status).toBe(403); // the reader has no business with RBAC objects
    const names = (
      await req(admin, 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')
    ).body.items.map((i: any) => i.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'cluster-admin',
        'portal-reader',
        'portal-writer',
      ]),
    );

    // A new token Secret gets its token filled in, as by the token controller.
    await req(
      admin,
      'POST',
      '/api/v1/namespaces/cloud-smart-portal/serviceaccounts',
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'temp' },
      },
    );
    await req(admin, 'POST', '/api/v1/namespaces/cloud-smart-portal/secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name: 'temp-token',
        annotations: { 'kubernetes.io/service-account.name': 'temp' },
      },
    });
    let token = '';
    for (let i = 0; i < 50 && !token; i++) {
      const s = await req(
        admin,
        'GET',
        '/api/v1/namespaces/cloud-smart-portal/secrets/temp-token',
      );
      token = s.body.data?.token
        ? Buffer.from(s.body.data.token, 'base64').toString()
        : '';
      if (!token) await sleep(20);
    }
    expect(token).toBe('rbac-lab-temp-token');
    const temp = { url: admin.url, token };
    // Authenticated, but bound to nothing but discovery and self reviews.
    expect((await req(temp, 'GET', '/api')).status).toBe(200);
    expect((await req(temp, 'GET', '/api/v1/nodes')).status).toBe(403);
    await req(
      admin,
      'DELETE',
      '/api/v1/namespaces/cloud-smart-portal/serviceaccounts/temp',
    );
    expect((await req(temp, 'GET', '/api')).status).toBe(401);
  });
});
