import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import { KUBECTL, kubectlAvailable, makeKubectl } from './kubectlRunner';

const available = kubectlAvailable();
if (!available) {
  // eslint-disable-next-line no-console
  console.warn(
    `kubectl referee tests skipped: ${KUBECTL} not found (set KUBECTL to a kubectl binary to run them)`,
  );
}
const describeIfKubectl = available ? describe : describe.skip;

describeIfKubectl('kubectl against the lab cluster', () => {
  let fleet: LabFleet;
  let dir: string;
  let kubectl: ReturnType<typeof makeKubectl>;

  beforeAll(async () => {
    fleet = await startLabFleet();
    dir = mkdtempSync(path.join(tmpdir(), 'lab-kubectl-'));
    await fleet.writeKubeconfig(path.join(dir, 'config'));
    kubectl = makeKubectl(path.join(dir, 'config'), path.join(dir, 'cache'));
  });
  afterAll(async () => {
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('get nodes prints the table with status, roles and version', async () => {
    const r = await kubectl.run(['get', 'nodes']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines).toHaveLength(13);
    expect(r.stdout).toMatch(/gpu-h100-3\s+NotReady\s+gpu\s+45d\s+v1\.31\.4/);
    expect(r.stdout).toMatch(/gpu-l40s-2\s+Ready,SchedulingDisabled\s+gpu/);
    expect(r.stdout).toMatch(/control-plane-1\s+Ready\s+control-plane\s+400d/);
  });

  it('get nodes -o yaml, jsonpath, label and field selectors', async () => {
    const yaml = await kubectl.run([
      'get',
      'nodes',
      'gpu-a100-mig-1',
      '-o',
      'yaml',
    ]);
    expect(yaml.stdout).toContain('nvidia.com/mig-1g.10gb: "14"');
    expect(yaml.stdout).toContain('kind: Node');
    const names = await kubectl.run([
      'get',
      'nodes',
      '-l',
      'nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ]);
    expect(names.stdout).toBe('gpu-h100-1 gpu-h100-2 gpu-h100-3');
    const all = await kubectl.run([
      'get',
      'nodes',
      '-o',
      'jsonpath={.items[*].metadata.name}',
    ]);
    expect(all.stdout.split(' ')).toHaveLength(12);
    const pending = await kubectl.run([
      'get',
      'pods',
      '-A',
      '--field-selector',
      'status.phase=Pending',
      '-o',
      'name',
    ]);
    expect(pending.stdout.trim().split('\n').sort()).toEqual([
      'pod/llm-serve-70b-0',
      'pod/payments-worker-6b8d7c5f9-q8zrt',
    ]);
  });

  it('get pods -A shows namespaces, crash loops and image pull errors', async () => {
    const r = await kubectl.run(['get', 'pods', '-A']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/,
    );
    expect(r.stdout).toMatch(
      /ml-training\s+data-loader-5f7c9d-x2v9q\s+0\/1\s+CrashLoopBackOff\s+37/,
    );
    expect(r.stdout).toMatch(
      /payments\s+payments-worker-6b8d7c5f9-q8zrt\s+0\/1\s+ImagePullBackOff/,
    );
  });

  it('describe node shows capacity, pods and events', async () => {
    const r = await kubectl.run(['describe', 'node', 'gpu-h100-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Name:\s+gpu-h100-1/);
    expect(r.stdout).toMatch(/nvidia.com\/gpu:\s+8/);
    expect(r.stdout).toMatch(/ml-training\s+train-llama-0/);
    expect(r.stdout).toMatch(/nvidia.com\/gpu\s+4\s+4/);
    const notReady = await kubectl.run(['describe', 'node', 'gpu-h100-3']);
    expect(notReady.stdout).toMatch(/NodeNotReady/);
  });

  it('label, patch (merge and strategic) and delete', async () => {
    expect(
      (
        await kubectl.run([
          'label',
          'node',
          'cpu-worker-1',
          'lab.cloud-smart.io/pool=batch',
        ])
      ).stdout,
    ).toContain('node/cpu-worker-1 labeled');
    const labelled = await kubectl.run([
      'get',
      'nodes',
      '-l',
      'lab.cloud-smart.io/pool=batch',
      '-o',
      'name',
    ]);
    expect(labelled.stdout.trim()).toBe('node/cpu-worker-1');
    const merge = await kubectl.run([
      'patch',
      'namespace',
      'platform-tools',
      '--type',
      'merge',
      '-p',
      '{"metadata":{"annotations":{"lab/patched":"merge"}}}',
    ]);
    expect(merge.code).toBe(0);
    const smp = await kubectl.run([
      'patch',
      'pod',
      'finetune-bert-0',
      '-n',
      'ml-training',
      '-p',
      '{"spec":{"containers":[{"name":"finetune","image":"bert:2"}]}}',
    ]);
    expect(smp.code).toBe(0);
    const pod = await kubectl.run([
      'get',
      'pod',
      'finetune-bert-0',
      '-n',
      'ml-training',
      '-o',
      'jsonpath={.spec.containers[0].image} {.spec.containers[0].resources.limits.nvidia\\.com/gpu}',
    ]);
    expect(pod.stdout).toBe('bert:2 1');
    const del = await kubectl.run([
      'delete',
      'configmap',
      'fleet-info',
      '-n',
      'platform-tools',
    ]);
    expect(del.stdout).toContain('configmap "fleet-info" deleted');
    const missing = await kubectl.run([
      'get',
      'configmap',
      'fleet-info',
      '-n',
      'platform-tools',
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(
      'Error from server (NotFound): configmaps "fleet-info" not found',
    );
  });

  it('apply (client-side) creates then updates', async () => {
    const cm = (v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: csa\n  namespace: payments\ndata:\n  level: "${v}"\n`;
    expect((await kubectl.run(['apply', '-f', '-'], cm('1'))).stdout).toContain(
      'configmap/csa created',
    );
    const again = await kubectl.run(['apply', '-f', '-'], cm('2'));
    expect(again.stdout).toContain('configmap/csa configured');
    expect(
      (
        await kubectl.run([
          'get',
          'cm',
          'csa',
          '-n',
          'payments',
          '-o',
          'jsonpath={.data.level}',
        ])
      ).stdout,
    ).toBe('2');
  });

  it('apply --server-side with conflicting field managers and --force-conflicts', async () => {
    const cm = (v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: payments\ndata:\n  owner: "${v}"\n`;
    const a = await kubectl.run(
      ['apply', '--server-side', '--field-manager=team-a', '-f', '-'],
      cm('a'),
    );
    expect(a.stdout).toContain('configmap/ssa serverside-applied');
    const b = await kubectl.run(
      ['apply', '--server-side', '--field-manager=team-b', '-f', '-'],
      cm('b'),
    );
    expect(b.code).not.toBe(0);
    expect(b.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "team-a": .data.owner',
    );
    const forced = await kubectl.run(
      [
        'apply',
        '--server-side',
        '--field-manager=team-b',
        '--force-conflicts',
        '-f',
        '-',
      ],
      cm('b'),
    );
    expect(forced.code).toBe(0);
    const managers = await kubectl.run([
      'get',
      'cm',
      'ssa',
      '-n',
      'payments',
      '--show-managed-fields',
      '-o',
      'jsonpath={.metadata.managedFields[*].manager} {.data.owner}',
    ]);
    expect(managers.stdout).toBe('team-b b');
  });

  it('get -w prints a line for a new object', async () => {
    const lines = await kubectl.waitForLine(
      ['get', 'configmaps', '-n', 'platform-tools', '-w'],
      /^watched-cm\s/,
      () =>
        kubectl.run([
          'create',
          'configmap',
          'watched-cm',
          '-n',
          'platform-tools',
          '--from-literal=a=b',
        ]),
    );
    expect(lines.some(l => /^watched-cm\s+1\s/.test(l))).toBe(true);
  });

  it('api-resources lists built-in and Kueue resources with short names', async () => {
    const r = await kubectl.run(['api-resources']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^nodes\s+no\s+v1\s+false\s+Node$/m);
    expect(r.stdout).toMatch(
      /^resourcequotas\s+quota\s+v1\s+true\s+ResourceQuota$/m,
    );
    expect(r.stdout).toMatch(
      /^networkpolicies\s+netpol\s+networking.k8s.io\/v1\s+true\s+NetworkPolicy$/m,
    );
    expect(r.stdout).toMatch(
      /^clusterqueues\s+cq\s+kueue.x-k8s.io\/v1beta2\s+false\s+ClusterQueue$/m,
    );
    const cq = await kubectl.run(['get', 'cq']);
    expect(cq.stdout).toMatch(/ml-team\s+gpu-fleet\s+1/);
  });

  it('reports 403 for the read-only user', async () => {
    const ro = fleet.clusters[0].readOnlyToken!;
    const r = await kubectl.run([
      '--token',
      ro,
      'delete',
      'node',
      'gpu-h100-2',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(
      /Error from server \(Forbidden\): nodes "gpu-h100-2" is forbidden: User .* cannot delete resource "nodes"/,
    );
  });
});
