// The portal as tools for AI agents, end to end: a real MCP client
// (@modelcontextprotocol/sdk, Streamable HTTP) connected with the guest's
// token (jiwoo.kim, ML team) to the real backend and a lab fleet. It lists the
// tools, asks what GPUs are free, requests one for its team, follows it to
// active, sees the grant through the REST API and kubectl, and releases it;
// it is refused another team's namespace and the platform team's approvals;
// bad input names the field and changes nothing; every call is audited.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errorLines, RunningBackend, startBackend } from '../support/backend';
import { eventually } from '../support/eventually';
import { guestToken } from '../support/session';
import {
  KUBECTL,
  kubectlAvailable,
  makeKubectl,
} from '../kubectl/kubectlRunner';
import { connectMcp, PortalMcpClient } from './mcpClient';

const available = kubectlAvailable();
if (!available) {
  // eslint-disable-next-line no-console
  console.warn(`MCP end-to-end test skipped: ${KUBECTL} not found`);
}
const describeIfKubectl = available ? describe : describe.skip;

const ML_TEAM = 'group:default/ml-team';

describeIfKubectl('Portal actions over MCP as the guest', () => {
  let backend: RunningBackend;
  let dir: string;
  let kubectl: ReturnType<typeof makeKubectl>;
  let token: string;
  let mcp: PortalMcpClient;

  beforeAll(async () => {
    // A short grace period, so a released lease stops in the cluster soon.
    backend = await startBackend({
      overlay: { gpuPool: { stopGracePeriod: 'PT1S' } },
    });
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-e2e-'));
    await backend.lab!.writeKubeconfig(path.join(dir, 'config'));
    kubectl = makeKubectl(path.join(dir, 'config'), path.join(dir, 'cache'));
    token = await guestToken(backend.baseUrl, ML_TEAM);
    mcp = await connectMcp(backend.baseUrl, token);
  });

  afterAll(async () => {
    await mcp?.close();
    await backend?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function rest(route: string) {
    const res = await fetch(`${backend.baseUrl}/api/gpu-pool${route}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: res.status, body: await res.json() };
  }

  async function kubectlJson(args: string[]) {
    const r = await kubectl.run([...args, '-o', 'json']);
    if (r.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
    }
    return JSON.parse(r.stdout);
  }

  /** The audit lines of the portal's actions, as logged by the backend. */
  function auditLines(action: string): string[] {
    return backend
      .output()
      .split('\n')
      .filter(
        l => l.includes('portal-actions.action-call') && l.includes(action),
      );
  }

  it('lists the tools with their destructive and read-only marks', async () => {
    const { tools } = await mcp.client.listTools();
    const byName = new Map(tools.map(t => [t.name, t]));
    for (const name of [
      'list-gpu-pools',
      'request-gpus',
      'list-gpu-requests',
      'get-gpu-request',
      'extend-gpu-request',
      'release-gpu-request',
      'decide-gpu-request',
      'get-cluster-health',
      'list-namespace-problems',
      'get-entity-owner',
      'list-team-entities',
      'get-entity-curation-problems',
      'list-templates',
      'dry-run-template',
      'create-from-template',
      'get-template-task',
    ]) {
      expect(byName.has(`portal-actions.${name}`)).toBe(true);
    }
    const release = byName.get('portal-actions.release-gpu-request')!;
    expect(release.annotations).toMatchObject({
      destructiveHint: true,
      readOnlyHint: false,
    });
    expect(
      byName.get('portal-actions.create-from-template')!.annotations,
    ).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    expect(
      byName.get('portal-actions.list-gpu-pools')!.annotations,
    ).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    // Korean first, then English; the input schema names the fields.
    expect(release.description).toMatch(/^GPU를 반납.* \/ Gives the GPUs back/);
    expect(
      Object.keys(
        (byName.get('portal-actions.request-gpus')!.inputSchema as any)
          .properties,
      ),
    ).toEqual(expect.arrayContaining(['team', 'cluster', 'namespace', 'gpus']));
    const confirm = (
      byName.get('portal-actions.create-from-template')!.inputSchema as any
    ).required;
    expect(confirm).toContain('confirm');
  });

  it('asks what is free, requests a GPU for its team, follows it to active, sees it in REST and kubectl, and releases it', async () => {
    const pools = await eventually(
      async () => {
        const r = await mcp.call('list-gpu-pools', { cluster: 'lab-main' });
        const h100 = r.output?.pools?.find(
          (p: any) => p.id === 'lab-main-h100',
        );
        return h100?.live && h100.available > 0 ? r.output.pools : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000, what: 'live H100 pool over MCP' },
    );
    const h100 = pools.find((p: any) => p.id === 'lab-main-h100');
    // 6 of the 16 H100 are held by the fixture's pods, outside any grant.
    expect(h100).toMatchObject({ capacity: 16, available: 10 });
    expect(pools.every((p: any) => p.cluster === 'lab-main')).toBe(true);

    const namespace = `ml-mcp-${Date.now().toString(36)}`;
    const requested = await mcp.call('request-gpus', {
      team: ML_TEAM,
      cluster: 'lab-main',
      namespace,
      gpus: [{ pool: 'lab-main-h100', count: 1 }],
      // Longer than gpuPool.notifyBeforeExpiry (PT2H), or the lease turns
      // `expiring` as soon as it is granted.
      duration: 'PT4H',
      justification: 'agent end-to-end test',
    });
    expect(requested.text).not.toMatch(/Error/);
    expect(requested.isError).toBe(false);
    expect(requested.output).toMatchObject({
      team: ML_TEAM,
      namespace,
      requestedBy: 'user:default/jiwoo.kim',
    });
    const id: string = requested.output.id;

    const active = await eventually(
      async () => {
        const r = await mcp.call('get-gpu-request', { id });
        return r.output?.status === 'active' ? r.output : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: `request ${id} active` },
    );
    expect(active.reason).toEqual(expect.any(String));
    expect(active.history.map((h: any) => h.to)).toEqual([
      'queued',
      'provisioning',
      'active',
    ]);

    // The same grant through the REST API, made by the guest, not a service.
    const viaRest = await rest(`/requests/${id}`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toMatchObject({
      status: 'active',
      requestedBy: 'user:default/jiwoo.kim',
      gpus: [{ pool: 'lab-main-h100', count: 1 }],
    });
    expect(viaRest.body.history[0].actor).toBe('user:default/jiwoo.kim');

    // …and in the cluster with the real kubectl.
    const ns = await kubectlJson(['get', 'namespace', namespace]);
    expect(ns.metadata.labels).toMatchObject({
      'portal.cloud-smart.io/owner': 'ml-team',
      'portal.cloud-smart.io/gpu-request': id,
    });
    // Kueue enforces the grant: the namespace's LocalQueue feeds the team's
    // ClusterQueue, whose H100 quota covers the lease.
    const localQueue = await kubectlJson([
      '-n',
      namespace,
      'get',
      'localqueues.kueue.x-k8s.io',
      'portal-gpu-pool',
    ]);
    expect(localQueue.spec).toMatchObject({
      clusterQueue: 'portal-ml-team',
      stopPolicy: 'None',
    });

    const mine = await mcp.call('list-gpu-requests', {
      scope: 'mine',
      status: ['active'],
    });
    expect(mine.output.requests.map((r: any) => r.id)).toContain(id);

    const released = await mcp.call('release-gpu-request', {
      id,
      reason: 'agent done',
    });
    expect(released.isError).toBe(false);
    expect(released.output.status).toBe('released');
    // After the grace period the LocalQueue drains: Kueue evicts what runs
    // there and admits nothing more.
    const drained = await eventually(
      async () => {
        const q = await kubectlJson([
          '-n',
          namespace,
          'get',
          'localqueues.kueue.x-k8s.io',
          'portal-gpu-pool',
        ]);
        return q.spec.stopPolicy === 'HoldAndDrain' ? q : undefined;
      },
      { timeoutMs: 30_000, what: 'the LocalQueue drained' },
    );
    expect(drained.spec.clusterQueue).toBe('portal-ml-team');
    expect((await rest(`/requests/${id}`)).body.status).toBe('released');

    // Every call is in the audit log with the guest as actor.
    for (const action of [
      'request-gpus',
      'get-gpu-request',
      'release-gpu-request',
    ]) {
      const lines = auditLines(action);
      expect(lines.some(l => /succeeded/.test(l))).toBe(true);
      expect(lines.every(l => l.includes('user:default/jiwoo.kim'))).toBe(true);
    }
    expect(auditLines('release-gpu-request').some(l => l.includes(id))).toBe(
      true,
    );
    // The MCP server's own audit of the tool call names the guest as actor.
    expect(
      backend
        .output()
        .split('\n')
        .some(
          l =>
            l.includes('mcp-actions.tool-execution') &&
            l.includes('portal-actions.release-gpu-request') &&
            l.includes('"actorId":"user:default/jiwoo.kim"'),
        ),
    ).toBe(true);
  });

  it("is refused another team's namespace and the platform team's approvals", async () => {
    const otherTeam = await mcp.call('request-gpus', {
      team: 'group:default/payments-team',
      cluster: 'lab-main',
      namespace: 'payments-mcp',
      gpus: [{ pool: 'lab-main-l40s', count: 1 }],
    });
    expect(otherTeam.isError).toBe(true);
    expect(otherTeam.text).toMatch(/^InputError: team: you are not a member/);

    const otherNamespace = await mcp.call('request-gpus', {
      team: ML_TEAM,
      cluster: 'lab-main',
      namespace: 'payments',
      gpus: [{ pool: 'lab-main-h100', count: 1 }],
    });
    expect(otherNamespace.isError).toBe(true);
    expect(otherNamespace.text).toMatch(
      /^(ConflictError|NotAllowedError|InputError): namespace: "payments"/,
    );

    const problems = await mcp.call('list-namespace-problems', {
      cluster: 'lab-main',
      namespace: 'payments',
    });
    expect(problems.isError).toBe(true);
    expect(problems.text).toMatch(/^NotAllowedError: namespace: "payments"/);
    const own = await eventually(
      async () => {
        const r = await mcp.call('list-namespace-problems', {
          cluster: 'lab-main',
        });
        return r.isError ? undefined : r.output;
      },
      { timeoutMs: 60_000, intervalMs: 1000, what: 'lab-main reachable' },
    );
    expect(own.namespaces.map((n: any) => n.name)).not.toContain('payments');
    expect(own.problemPods.every((p: any) => p.namespace !== 'payments')).toBe(
      true,
    );

    // Above the allowance (4 H100): waits for the platform team, whose
    // approval the guest cannot give.
    const big = await mcp.call('request-gpus', {
      team: ML_TEAM,
      cluster: 'lab-main',
      namespace: `ml-mcp-big-${Date.now().toString(36)}`,
      gpus: [{ pool: 'lab-main-h100', count: 6 }],
      justification: 'large fine-tuning run',
    });
    expect(big.isError).toBe(false);
    expect(big.output.status).toBe('pending-approval');
    const approve = await mcp.call('decide-gpu-request', {
      id: big.output.id,
      decision: 'approve',
    });
    expect(approve.isError).toBe(true);
    expect(approve.text).toMatch(/^NotAllowedError/);
    expect((await rest(`/requests/${big.output.id}`)).body.status).toBe(
      'pending-approval',
    );
    const withdrawn = await mcp.call('release-gpu-request', {
      id: big.output.id,
    });
    expect(withdrawn.output.status).toBe('released');

    const refusals = auditLines('decide-gpu-request');
    expect(refusals.some(l => /failed/.test(l))).toBe(true);
  });

  it('answers bad input with an error naming the field and changes nothing', async () => {
    const before = (await rest('/requests?scope=mine')).body.items.length;
    const namespace = `ml-mcp-bad-${Date.now().toString(36)}`;

    const zero = await mcp.call('request-gpus', {
      team: ML_TEAM,
      cluster: 'lab-main',
      namespace,
      gpus: [{ pool: 'lab-main-h100', count: 0 }],
    });
    expect(zero.isError).toBe(true);
    expect(zero.text).toMatch(
      /^InputError: gpus\[0\]\.count: must be at least 1/,
    );

    const badNamespace = await mcp.call('request-gpus', {
      team: ML_TEAM,
      cluster: 'lab-main',
      namespace: 'Not_A_Namespace',
      gpus: [{ pool: 'lab-main-h100', count: 1 }],
    });
    expect(badNamespace.text).toMatch(
      /^InputError: namespace: must be a DNS-1123 label/,
    );

    const unknownPool = await mcp.call('request-gpus', {
      team: ML_TEAM,
      cluster: 'lab-main',
      namespace,
      gpus: [{ pool: 'no-such-pool', count: 1 }],
    });
    expect(unknownPool.isError).toBe(true);
    expect(unknownPool.text).toMatch(/^InputError: gpus\[0\]\.pool: /);

    const stray = await mcp.call('request-gpus', {
      team: ML_TEAM,
      cluster: 'lab-main',
      namespace,
      gpuCount: 2,
    });
    expect(stray.text).toMatch(/^InputError: gpuCount: not a field/);

    const unconfirmed = await mcp.call('create-from-template', {
      templateRef: 'template:default/team-sandbox',
      values: {},
    });
    expect(unconfirmed.text).toMatch(/^InputError: confirm: /);

    expect((await rest('/requests?scope=mine')).body.items.length).toBe(before);
    const r = await kubectl.run(['get', 'namespace', namespace]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not found/i);

    expect(
      auditLines('request-gpus').some(l => /gpus\[0\]\.count/.test(l)),
    ).toBe(true);
    const own = errorLines(backend.output()).filter(l =>
      /portal-actions|mcp-actions/.test(l),
    );
    expect(own).toEqual([]);
  });
});
