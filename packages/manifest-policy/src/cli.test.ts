import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { runCli } from './cli';
import { bundleFile, bundlePolicy } from './bundle';

const good = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: team }
spec:
  template:
    spec:
      securityContext: { runAsNonRoot: true }
      containers:
        - name: app
          image: registry.internal/web@sha256:0123
          securityContext: { allowPrivilegeEscalation: false }
          resources:
            requests: { cpu: 100m, memory: 64Mi }
            limits: { cpu: 500m, memory: 128Mi }
          readinessProbe: { tcpSocket: { port: 8080 } }
          livenessProbe: { tcpSocket: { port: 8080 } }
`;

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function run(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(args, {
    out: s => out.push(s),
    err: s => err.push(s),
    cwd,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('manifest-policy CLI', () => {
  it('exits 0 for compliant manifests and 1 with a line per violation', () => {
    const dir = tempDir({
      'k8s/deploy.yaml': good,
      'bad/deploy.yaml': good.replace('web@sha256:0123', 'web:latest'),
    });
    expect(run(['k8s'], dir)).toMatchObject({ code: 0 });
    const bad = run(['bad'], dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(
      'FAIL  [no-latest-tag] bad/deploy.yaml Deployment/web spec.template.spec.containers[app].image',
    );
    const json = JSON.parse(run(['--format', 'json', 'bad'], dir).out);
    expect(json.violations).toHaveLength(1);
  });

  it('exits 2 when nothing is found, a file does not parse, or usage is wrong', () => {
    const dir = tempDir({
      'empty/readme.yaml': 'a: 1\n',
      'broken/x.yaml': 'a: [',
    });
    expect(run(['empty'], dir).code).toBe(2);
    expect(run(['broken'], dir).code).toBe(2);
    expect(run(['missing'], dir).code).toBe(2);
    expect(run([], dir).code).toBe(2);
    expect(run(['--nope', 'k8s'], dir).code).toBe(2);
  });

  it('the committed bundle is up to date, the only copy, and runs without dependencies', async () => {
    const fresh = await bundlePolicy();
    // Fails when the rules changed without `yarn workspace @internal/manifest-policy bundle`.
    expect(fs.readFileSync(bundleFile, 'utf8') === fresh).toBe(true);
    // Templates get it at scaffolding time (portal:policy:install), never
    // from a copy of their own that could go stale.
    const templatesDir = path.resolve(__dirname, '..', '..', '..', 'templates');
    const copies = fs
      .readdirSync(templatesDir, { recursive: true, encoding: 'utf8' })
      .filter(f => path.basename(f) === 'manifest-policy.cjs');
    expect(copies).toEqual([]);
    // Outside the monorepo, no node_modules: as in a generated repository.
    const dir = tempDir({ 'k8s/deploy.yaml': good, 'tools/mp.cjs': fresh });
    expect(
      execFileSync(process.execPath, ['tools/mp.cjs', 'k8s'], {
        cwd: dir,
        encoding: 'utf8',
      }),
    ).toContain('OK    1 object(s) comply');
    fs.writeFileSync(
      path.join(dir, 'k8s/deploy.yaml'),
      good.replace('runAsNonRoot: true', 'runAsNonRoot: false'),
    );
    const failed = spawnSync(process.execPath, ['tools/mp.cjs', 'k8s'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('[non-root]');
  }, 60_000);
});
