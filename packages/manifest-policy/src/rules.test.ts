import { stringify } from 'yaml';
import { checkManifests } from './checkManifests';
import { parseManifests } from './loadManifests';
import { parseImageReference } from './rules';

function goodDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'payments' },
    spec: {
      template: {
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 10001 },
          containers: [
            {
              name: 'app',
              image: 'registry.internal/payments/web:1.4.2',
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
              },
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '1', memory: '256Mi' },
              },
              readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              livenessProbe: { httpGet: { path: '/health', port: 8080 } },
            },
          ],
        },
      },
    },
  };
}

function check(...objects: any[]) {
  return checkManifests(
    parseManifests(objects.map(o => stringify(o)).join('---\n'), 'k8s/x.yaml'),
  );
}

function rulesOf(report: ReturnType<typeof check>) {
  return report.violations.map(v => v.rule).sort();
}

describe('platform rules', () => {
  it('accepts a compliant deployment, service and namespace', () => {
    const report = check(
      goodDeployment(),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'payments' },
        spec: { ports: [{ port: 80 }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'payments',
          labels: {
            'portal.cloud-smart.io/owner': 'payments-team',
            'pod-security.kubernetes.io/enforce': 'restricted',
          },
        },
      },
    );
    expect(report.checked).toBe(3);
    expect(report.violations).toEqual([]);
  });

  it('rejects root containers', () => {
    const d = goodDeployment();
    delete d.spec.template.spec.securityContext.runAsNonRoot;
    d.spec.template.spec.containers[0].securityContext.runAsUser = 0;
    const report = check(d);
    expect(rulesOf(report)).toEqual(['non-root', 'non-root']);
    expect(report.violations[0].path).toBe(
      'spec.template.spec.containers[app].securityContext.runAsNonRoot',
    );
  });

  it.each([
    ['registry.internal/web:latest', 1],
    ['registry.internal/web', 1],
    ['registry.internal:5000/web', 1],
    ['registry.internal:5000/web:1.0', 0],
    ['registry.internal/web:latest@sha256:abc', 0],
  ])('image %s gives %i violation(s)', (image, count) => {
    const d = goodDeployment();
    d.spec.template.spec.containers[0].image = image;
    const report = check(d);
    expect(
      report.violations.filter(v => v.rule === 'no-latest-tag'),
    ).toHaveLength(count);
  });

  it('parses image references with registry ports', () => {
    expect(parseImageReference('reg:5000/a/b')).toEqual({});
    expect(parseImageReference('reg:5000/a/b:2@sha256:ff')).toEqual({
      tag: '2',
      digest: 'sha256:ff',
    });
  });

  it('requires requests and limits for cpu and memory', () => {
    const d = goodDeployment();
    d.spec.template.spec.containers[0].resources = {
      requests: { cpu: '100m' },
    };
    const report = check(d);
    expect(report.violations.map(v => v.message)).toEqual([
      'requests missing for memory',
      'limits missing for cpu and memory',
    ]);
  });

  it('requires probes on deployments but not on jobs', () => {
    const d = goodDeployment();
    delete d.spec.template.spec.containers[0].readinessProbe;
    expect(rulesOf(check(d))).toEqual(['probes']);

    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'train', namespace: 'ml-training' },
      spec: { template: d.spec.template },
    };
    delete job.spec.template.spec.containers[0].livenessProbe;
    expect(check(job).violations).toEqual([]);
  });

  it('rejects hostPath, privileged and host namespaces', () => {
    const d = goodDeployment();
    d.spec.template.spec.volumes = [
      { name: 'docker', hostPath: { path: '/var/run/docker.sock' } },
    ];
    d.spec.template.spec.hostNetwork = true;
    const c = d.spec.template.spec.containers[0];
    c.securityContext = {
      privileged: true,
      capabilities: { add: ['NET_ADMIN'] },
    };
    const report = check(d);
    expect(rulesOf(report)).toEqual([
      'no-host-path',
      'no-privileged',
      'no-privileged',
      'no-privileged',
      'no-privileged',
    ]);
    expect(report.violations.map(v => v.message)).toContain(
      'volume "docker" mounts the host path /var/run/docker.sock',
    );
  });

  it('checks the pod of a CronJob', () => {
    const d = goodDeployment();
    d.spec.template.spec.containers[0].image = 'busybox';
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'payments' },
      spec: { jobTemplate: { spec: { template: d.spec.template } } },
    };
    expect(rulesOf(check(cron))).toEqual(['no-latest-tag']);
  });

  it('requires namespace labels and namespaced objects to name a namespace', () => {
    const report = check(
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'sandbox', labels: {} },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
    );
    expect(report.violations.map(v => v.path)).toEqual([
      'metadata.labels.portal.cloud-smart.io/owner',
      'metadata.labels.pod-security.kubernetes.io/enforce',
      'metadata.namespace',
    ]);
  });

  it('ignores YAML documents that are not Kubernetes objects and flattens lists', () => {
    const manifests = parseManifests(
      `name: not-k8s\n---\napiVersion: v1\nkind: List\nitems:\n${stringify([
        goodDeployment(),
      ]).replace(/^/gm, '  ')}`,
      'a.yaml',
    );
    expect(manifests.map(m => m.kind)).toEqual(['Deployment']);
  });
});
