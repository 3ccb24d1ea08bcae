import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import { KUBECTL, kubectlAvailable, makeKubectl } from './kubectlRunner';

const available = kubectlAvailable();
if (!available) {
  // eslint-disable-next-line no-console
  console.warn(`kubectl quota tests skipped: ${KUBECTL} not found`);
}
const describeIfKubectl = available ? describe : describe.skip;

const gpuPod = (
  name: string,
  ns: string,
  resource: string,
  count: number,
) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  containers:
    - name: main
      image: nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04
      resources:
        limits:
          ${resource}: "${count}"
`;

describeIfKubectl('GPU ResourceQuota through kubectl', () => {
  let fleet: LabFleet;
  let dir: string;
  let kubectl: ReturnType<typeof makeKubectl>;

  beforeAll(async () => {
    fleet = await startLabFleet();
    dir = mkdtempSync(path.join(tmpdir(), 'lab-kubectl-quota-'));
    await fleet.writeKubeconfig(path.join(dir, 'config'));
    kubectl = makeKubectl(path.join(dir, 'config'), path.join(dir, 'cache'));
  });
  afterAll(async () => {
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a pod over the namespace GPU quota with the exceeded-quota message', async () => {
    const r = await kubectl.run(
      ['create', '-f', '-'],
      gpuPod('too-many-gpus', 'ml-training', 'nvidia.com/gpu', 2),
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'Error from server (Forbidden): error when creating "STDIN": pods "too-many-gpus" is forbidden: exceeded quota: gpu-quota, requested: requests.nvidia.com/gpu=2, used: requests.nvidia.com/gpu=7, limited: requests.nvidia.com/gpu=8',
    );
  });

  it('admits a pod that fits and shows the new usage in the quota', async () => {
    const r = await kubectl.run(
      ['apply', '-f', '-'],
      gpuPod('one-gpu', 'ml-training', 'nvidia.com/gpu', 1),
    );
    expect(r.stdout).toContain('pod/one-gpu created');
    const used = await kubectl.run([
      'get',
      'resourcequota',
      'gpu-quota',
      '-n',
      'ml-training',
      '-o',
      'jsonpath={.status.used.requests\\.nvidia\\.com/gpu}/{.status.hard.requests\\.nvidia\\.com/gpu}',
    ]);
    expect(used.stdout).toBe('8/8');
    const table = await kubectl.run(['get', 'quota', '-n', 'ml-training']);
    expect(table.stdout).toMatch(
      /gpu-quota\s+\S+\s+.*requests\.nvidia\.com\/gpu: 8\/8/,
    );
    const full = await kubectl.run(
      ['create', '-f', '-'],
      gpuPod('no-room', 'ml-training', 'nvidia.com/gpu', 1),
    );
    expect(full.stderr).toContain(
      'used: requests.nvidia.com/gpu=8, limited: requests.nvidia.com/gpu=8',
    );
    await kubectl.run(['delete', 'pod', 'one-gpu', '-n', 'ml-training']);
    const after = await kubectl.run([
      'get',
      'resourcequota',
      'gpu-quota',
      '-n',
      'ml-training',
      '-o',
      'jsonpath={.status.used.requests\\.nvidia\\.com/gpu}',
    ]);
    expect(after.stdout).toBe('7');
  });

  it('rejects MIG slices over the quota on the edge cluster', async () => {
    const r = await kubectl.run(
      ['--context', 'lab-edge', 'create', '-f', '-'],
      gpuPod('mig-burst', 'ml-inference', 'nvidia.com/mig-1g.6gb', 4),
    );
    expect(r.stderr).toContain(
      'pods "mig-burst" is forbidden: exceeded quota: gpu-quota, requested: requests.nvidia.com/mig-1g.6gb=4, used: requests.nvidia.com/mig-1g.6gb=1, limited: requests.nvidia.com/mig-1g.6gb=4',
    );
  });
});
