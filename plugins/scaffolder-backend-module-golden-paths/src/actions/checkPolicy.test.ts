import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import { createCheckPolicyAction } from './checkPolicy';
import { examples } from './checkPolicy.examples';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: petition-search
  namespace: petition-search
  labels: { portal.cloud-smart.io/owner: citizen-services-team }
spec:
  selector: { matchLabels: { app: petition-search } }
  template:
    metadata: { labels: { app: petition-search } }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 10001 }
      containers:
        - name: app
          image: registry.cloud-smart.internal/citizen/petition-search@sha256:${'a'.repeat(
            64,
          )}
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          readinessProbe: { httpGet: { path: /healthz/ready, port: 8080 } }
          livenessProbe: { httpGet: { path: /healthz/live, port: 8080 } }
`;

const service = `apiVersion: v1
kind: Service
metadata: { name: petition-search, namespace: petition-search }
spec:
  selector: { app: petition-search }
  ports: [{ port: 80, targetPort: 8080 }]
`;

const catalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: petition-search
spec:
  type: service
  owner: group:default/citizen-services-team
  system: system:default/petitions
  lifecycle: experimental
  providesApis: [petition-search-api]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: petition-search-api
spec:
  type: openapi
  owner: group:default/citizen-services-team
  lifecycle: experimental
  definition:
    $text: ./openapi.yaml
`;

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-check-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function run(
  files: Record<string, string>,
  input: object = {},
  auditor = mockServices.auditor.mock(),
) {
  const ctx = createMockActionContext({
    input,
    workspacePath: workspace(files),
    user: { ref: 'user:default/jiwoo.kim' },
  });
  await createCheckPolicyAction({ auditor }).handler(ctx as any);
  return {
    ctx,
    outputs: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
  };
}

describe('portal:policy:check', () => {
  it('records every result, pass or violation, with the auditor', async () => {
    const auditor = mockServices.auditor.mock();
    await run(
      {
        'k8s/deployment.yaml': deployment,
        'k8s/service.yaml': service,
        'catalog-info.yaml': catalogInfo,
      },
      {},
      auditor,
    );
    await expect(
      run(
        {
          'k8s/deployment.yaml': deployment.replace(
            'runAsNonRoot: true',
            'runAsNonRoot: false',
          ),
          'catalog-info.yaml': catalogInfo,
        },
        {},
        auditor,
      ),
    ).rejects.toThrow(InputError);

    expect(auditor.createEvent).toHaveBeenCalledTimes(2);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'policy-check',
      severityLevel: 'medium',
      meta: {
        actor: 'user:default/jiwoo.kim',
        target: { manifestPaths: ['k8s'], template: 'unknown', dryRun: false },
      },
    });
    const [passed, failed] = await Promise.all(
      auditor.createEvent.mock.results.map(r => r.value),
    );
    expect(passed.success).toHaveBeenCalledWith({
      meta: { outcome: 'success', checked: 2, entities: 2 },
    });
    expect(passed.fail).not.toHaveBeenCalled();
    expect(failed.success).not.toHaveBeenCalled();
    expect(failed.fail).toHaveBeenCalledWith({
      error: expect.objectContaining({
        message: expect.stringContaining('non-root'),
      }),
      meta: { outcome: 'failure' },
    });
  });

  it('passes compliant manifests and a valid catalog-info.yaml, counting both', async () => {
    const { outputs } = await run({
      'k8s/deployment.yaml': deployment,
      'k8s/service.yaml': service,
      'catalog-info.yaml': catalogInfo,
    });
    expect(outputs).toEqual({ checked: 2, entities: 2 });
  });

  it.each([
    [
      'non-root',
      deployment.replace('runAsNonRoot: true', 'runAsNonRoot: false'),
    ],
    ['no-latest-tag', deployment.replace(/@sha256:a+/, ':latest')],
    [
      'resources',
      deployment.replace(
        '            limits: { cpu: 500m, memory: 256Mi }\n',
        '',
      ),
    ],
    ['probes', deployment.replace(/ {10}readinessProbe.*\n/, '')],
    [
      'no-privileged',
      deployment.replace(
        'allowPrivilegeEscalation: false,',
        'privileged: true, allowPrivilegeEscalation: false,',
      ),
    ],
    [
      'no-host-path',
      deployment.replace(
        '      containers:',
        '      volumes: [{ name: host, hostPath: { path: /var/run } }]\n      containers:',
      ),
    ],
  ])(
    'fails the task on a [%s] violation, naming rule, file and object',
    async (rule, text) => {
      const result = run({
        'k8s/deployment.yaml': text,
        'catalog-info.yaml': catalogInfo,
      });
      await expect(result).rejects.toThrow(InputError);
      await expect(result).rejects.toThrow(
        new RegExp(
          `\\[${rule}\\] k8s/deployment.yaml Deployment/petition-search`,
        ),
      );
    },
  );

  it('fails when the manifest paths hold nothing, or leave the workspace', async () => {
    await expect(
      run({ 'k8s/readme.yaml': 'a: 1\n', 'catalog-info.yaml': catalogInfo }),
    ).rejects.toThrow(/k8s/);
    await expect(
      run({ 'catalog-info.yaml': catalogInfo }, { manifestPaths: ['../etc'] }),
    ).rejects.toThrow();
  });

  it('fails on a catalog-info.yaml the catalog would refuse, or a missing one', async () => {
    await expect(
      run({
        'k8s/deployment.yaml': deployment,
        'catalog-info.yaml': catalogInfo.replace(
          'name: petition-search\n',
          'name: Petition Search!\n',
        ),
      }),
    ).rejects.toThrow(
      /catalog-info.yaml: Component Petition Search! is not a valid catalog entity/,
    );
    await expect(run({ 'k8s/deployment.yaml': deployment })).rejects.toThrow(
      'catalogInfoPath catalog-info.yaml does not exist',
    );
  });

  it('checks manifests kept elsewhere', async () => {
    const { outputs } = await run(
      {
        'deploy/base/deployment.yaml': deployment,
        'deploy/jobs.yaml': service,
        'catalog-info.yaml': catalogInfo,
      },
      { manifestPaths: ['deploy/base', 'deploy/jobs.yaml'] },
    );
    expect(outputs.checked).toBe(2);
  });

  it('has examples that name the action', () => {
    for (const { example } of examples) {
      expect(parse(example).steps[0].action).toBe('portal:policy:check');
    }
  });
});
