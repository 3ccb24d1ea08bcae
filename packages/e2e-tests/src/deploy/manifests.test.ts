import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import {
  KUBECTL,
  kubectlAvailable,
  makeKubectl,
} from '../kubectl/kubectlRunner';
import { repoRoot } from '../support/paths';
import {
  configVariables,
  find,
  K8sObject,
  kustomize,
  schemaError,
} from './render';

const available = kubectlAvailable();
if (!available) {
  // eslint-disable-next-line no-console
  console.warn(`deploy/ tests skipped: ${KUBECTL} not found`);
}
const describeIfKubectl = available ? describe : describe.skip;

const OVERLAYS = ['base', 'overlays/production', 'overlays/lab'];

function podLabels(objects: K8sObject[]): Record<string, string> {
  return find(objects, 'Deployment', 'portal').spec.template.metadata.labels;
}

function selects(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  return (
    Object.keys(selector).length > 0 &&
    Object.entries(selector).every(([k, v]) => labels[k] === v)
  );
}

describeIfKubectl('deploy/: the portal in its cluster', () => {
  const rendered = new Map<string, K8sObject[]>();

  beforeAll(async () => {
    for (const dir of OVERLAYS) {
      rendered.set(dir, (await kustomize(dir)).objects);
    }
  });

  it('keeps copies of the repo config files that kustomize can read, unchanged', () => {
    for (const file of ['app-config.yaml', 'app-config.production.yaml']) {
      const copy = fs.readFileSync(
        path.join(repoRoot, 'deploy', 'base', 'config', file),
        'utf8',
      );
      expect({
        file,
        same: copy === fs.readFileSync(path.join(repoRoot, file), 'utf8'),
      }).toEqual({ file, same: true });
    }
  });

  it.each(OVERLAYS)(
    'deploy/%s renders, and every object is valid against the Kubernetes schemas',
    dir => {
      const objects = rendered.get(dir)!;
      expect(objects.map(o => o.kind).sort()).toEqual(
        expect.arrayContaining([
          'ClusterRole',
          'ClusterRoleBinding',
          'ConfigMap',
          'Deployment',
          'Ingress',
          'Namespace',
          'NetworkPolicy',
          'PersistentVolumeClaim',
          'PodDisruptionBudget',
          'Service',
          'ServiceAccount',
        ]),
      );
      expect(objects.map(schemaError).filter(Boolean)).toEqual([]);
    },
  );

  it('runs two replicas as a non-root, read-only, capability-less pod with probes and limits', () => {
    const objects = rendered.get('overlays/production')!;
    const deployment = find(objects, 'Deployment', 'portal');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(deployment.spec.replicas).toBe(2);
    expect(container.image).toBe(
      'registry.example.go.kr/cloud-smart/portal:1.0.0',
    );
    expect(container.readinessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/readiness',
    );
    expect(container.livenessProbe.httpGet.path).toBe(
      '/.backstage/health/v1/liveness',
    );
    expect(container.resources.requests).toEqual(
      expect.objectContaining({
        cpu: expect.any(String),
        memory: expect.any(String),
      }),
    );
    expect(container.resources.limits).toEqual(
      expect.objectContaining({
        cpu: expect.any(String),
        memory: expect.any(String),
      }),
    );
    expect(pod.securityContext).toEqual(
      expect.objectContaining({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      }),
    );
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    const tmp = container.volumeMounts.find((m: any) => m.mountPath === '/tmp');
    expect(
      pod.volumes.find((v: any) => v.name === tmp?.name)?.emptyDir,
    ).toBeDefined();

    // The pod's own ServiceAccount exists and mounts no token.
    const sa = find(objects, 'ServiceAccount', pod.serviceAccountName);
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('points the PDB, Service, NetworkPolicy and Ingress at the portal pods', () => {
    const objects = rendered.get('overlays/production')!;
    const labels = podLabels(objects);
    expect(
      selects(
        find(objects, 'PodDisruptionBudget', 'portal').spec.selector
          .matchLabels,
        labels,
      ),
    ).toBe(true);
    expect(
      find(objects, 'PodDisruptionBudget', 'portal').spec.minAvailable,
    ).toBe(1);
    const service = find(objects, 'Service', 'portal');
    expect(selects(service.spec.selector, labels)).toBe(true);
    const policy = find(objects, 'NetworkPolicy', 'portal');
    expect(selects(policy.spec.podSelector.matchLabels, labels)).toBe(true);
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const ingress = find(objects, 'Ingress', 'portal');
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend.name).toBe(service.metadata.name);
    expect(service.spec.ports.map((p: any) => p.name)).toContain(
      backend.port.name,
    );
    expect(ingress.spec.rules[0].host).toBe('portal.example.go.kr');
  });

  it('gives the pod every variable app-config.production.yaml reads: secrets from the Secret, the rest from the ConfigMap', () => {
    const objects = rendered.get('overlays/production')!;
    const deployment = find(objects, 'Deployment', 'portal');
    const [container] = deployment.spec.template.spec.containers;
    const fromSecret = new Map<string, string>(
      container.env
        .filter((e: any) => e.valueFrom?.secretKeyRef)
        .map((e: any) => [e.name, e.valueFrom.secretKeyRef.name]),
    );
    const envConfigMapName = container.envFrom[0].configMapRef.name;
    const envConfigMap = objects.find(
      o => o.kind === 'ConfigMap' && o.metadata.name === envConfigMapName,
    );
    expect(envConfigMap).toBeDefined();
    const plain = Object.keys(envConfigMap!.data);
    const required = configVariables(
      path.join(repoRoot, 'app-config.production.yaml'),
    );
    expect(required.length).toBeGreaterThan(10);
    const unset = required.filter(
      v => !fromSecret.has(v) && !plain.includes(v),
    );
    expect(unset).toEqual([]);
    // Passwords, secrets and tokens never sit in a ConfigMap.
    expect(plain.filter(v => /PASSWORD|SECRET|TOKEN/.test(v))).toEqual([]);
    expect([...new Set(fromSecret.values())]).toEqual(['portal-secrets']);

    // The config files come from the generated ConfigMap, mounted where the
    // args point.
    const config = objects.find(
      o =>
        o.kind === 'ConfigMap' &&
        o.metadata.name.startsWith('portal-app-config-'),
    )!;
    expect(Object.keys(config.data).sort()).toEqual([
      'app-config.production.yaml',
      'app-config.site.yaml',
      'app-config.yaml',
    ]);
    const volume = deployment.spec.template.spec.volumes.find(
      (v: any) => v.configMap?.name === config.metadata.name,
    );
    const mount = container.volumeMounts.find(
      (m: any) => m.name === volume.name,
    );
    expect(container.args).toEqual([
      '--config',
      `${mount.mountPath}/app-config.yaml`,
      '--config',
      `${mount.mountPath}/app-config.production.yaml`,
      '--config',
      `${mount.mountPath}/app-config.site.yaml`,
    ]);
  });

  it("includes deploy/rbac's identities with their rights unchanged", async () => {
    const alone = (await kustomize('rbac')).objects;
    const withBase = rendered.get('overlays/production')!;
    for (const o of alone) {
      const same = find(withBase, o.kind, o.metadata.name);
      expect({
        kind: o.kind,
        name: o.metadata.name,
        rules: same.rules,
        roleRef: same.roleRef,
        subjects: same.subjects,
      }).toEqual({
        kind: o.kind,
        name: o.metadata.name,
        rules: o.rules,
        roleRef: o.roleRef,
        subjects: o.subjects,
      });
    }
  });

  describe('against the lab cluster', () => {
    let fleet: LabFleet;
    let dir: string;
    let kubectl: ReturnType<typeof makeKubectl>;

    beforeAll(async () => {
      fleet = await startLabFleet({ basePort: 0, adminPort: 0 });
      dir = mkdtempSync(path.join(tmpdir(), 'deploy-kubectl-'));
      await fleet.writeKubeconfig(path.join(dir, 'config'));
      kubectl = makeKubectl(path.join(dir, 'config'), path.join(dir, 'cache'));
    });
    afterAll(async () => {
      await fleet?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('kubectl apply --dry-run=server accepts every object and persists none', async () => {
      const { yaml, objects } = await kustomize('overlays/lab');
      const r = await kubectl.run(
        ['apply', '--dry-run=server', '-f', '-'],
        yaml,
      );
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      const applied = r.stdout
        .split('\n')
        .filter(l => l.endsWith('(server dry run)'));
      expect(applied).toHaveLength(objects.length);
      for (const kind of [
        'deployment.apps/portal',
        'poddisruptionbudget.policy/portal',
        'networkpolicy.networking.k8s.io/portal',
        'ingress.networking.k8s.io/portal',
      ]) {
        expect(r.stdout).toContain(`${kind} created (server dry run)`);
      }
      const after = await kubectl.run([
        'get',
        'deployment',
        'portal',
        '-n',
        'cloud-smart-portal',
      ]);
      expect(after.code).not.toBe(0);
      expect(after.stderr).toMatch(/NotFound|not found/);
    });
  });
});
