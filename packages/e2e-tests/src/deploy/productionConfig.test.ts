import { execFile, spawn } from 'node:child_process';
import { ConfigSources } from '@backstage/config-loader';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../support/paths';
import { configVariables } from './render';

const productionFile = path.join(repoRoot, 'app-config.production.yaml');
const devFile = path.join(repoRoot, 'app-config.yaml');
/** The operator's file of the production overlay: the installation's GPU pools. */
const siteFile = path.join(
  repoRoot,
  'deploy',
  'overlays',
  'production',
  'app-config.site.yaml',
);
const cli = path.join(repoRoot, 'node_modules', '@backstage', 'cli');

/** Dummy values for every variable app-config.production.yaml reads. */
function fullEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of configVariables(productionFile)) {
    env[name] = `dummy-${name.toLowerCase()}`;
  }
  return {
    ...env,
    PORTAL_BASE_URL: 'https://portal.example.go.kr',
    POSTGRES_PORT: '5432',
    OIDC_METADATA_URL:
      'https://sso.example.go.kr/realms/portal/.well-known/openid-configuration',
    LDAP_URL: 'ldaps://ldap.example.go.kr',
  };
}

/** The process environment without any variable the production file reads. */
function baseEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FORCE_COLOR: '0',
    NODE_ENV: 'production',
  };
  for (const name of configVariables(productionFile)) delete env[name];
  return env;
}

describe('the example organisation', () => {
  it('is loaded by the development config only', () => {
    const read = (file: string) => parse(fs.readFileSync(file, 'utf8'));
    const targets = (file: string): string[] =>
      read(file).catalog.locations.map((l: { target: string }) => l.target);
    expect(targets(devFile)).toContain('../../catalog/all.yaml');
    // Backstage replaces a list from an earlier file with a later file's, so
    // production's own list is all that production loads.
    const production = targets(productionFile);
    expect(production.length).toBeGreaterThan(0);
    expect(production.filter(t => /(^|\/)catalog\//.test(t))).toEqual([]);
  });
});

/** The config Backstage resolves from these files, with fullEnvironment(). */
async function resolvedConfig(files: string[]) {
  const env = fullEnvironment();
  const config = await ConfigSources.toConfig(
    ConfigSources.defaultForTargets({
      targets: files.map(target => ({ type: 'path' as const, target })),
      substitutionFunc: async name => env[name],
      watch: false,
    }),
  );
  try {
    return config.get<any>();
  } finally {
    config.close();
  }
}

describe('production inherits nothing of the lab', () => {
  it('resolves no lab cluster, lab GPU pool, lab allowance or lab token', async () => {
    // The lab's own config has them, so the check below can see them.
    const dev = JSON.stringify(await resolvedConfig([devFile]));
    expect(dev).toMatch(/lab-main-portal-reader-token/);
    expect(dev).toMatch(/lab-main-h100/);

    const production = await resolvedConfig([devFile, productionFile]);
    expect(
      production.kubernetesAccess.clusters.map((c: any) => c.name),
    ).toEqual(['dummy-k8s_main_name']);
    expect(production.gpuPool).toMatchObject({
      clusters: [],
      pools: [],
      allowances: [],
      computeAllowances: [],
    });
    expect(production.gpuPool.protectedNamespaces).not.toContain('lab-system');
    // Nothing anywhere names a lab cluster, pool or token, nor a lab port.
    const text = JSON.stringify(production);
    expect(text.match(/lab-(main|edge)[\w-]*|127\.0\.0\.1:64\d\d/g)).toEqual(
      null,
    );
  });

  it("takes the installation's GPU pools from the operator's file only", async () => {
    const site = await resolvedConfig([devFile, productionFile, siteFile]);
    expect(site.gpuPool.clusters).toEqual([
      { name: 'dummy-k8s_main_name', enforcement: 'kueue' },
    ]);
    expect(site.gpuPool.pools.map((p: any) => [p.id, p.cluster])).toEqual([
      ['main-h100', 'dummy-k8s_main_name'],
    ]);
    expect(site.gpuPool.allowances.map((a: any) => a.pool)).toEqual([
      'main-h100',
    ]);
    expect(JSON.stringify(site)).not.toMatch(/lab-(main|edge)/);
  });
});

describe('production configuration fails early', () => {
  it('passes backstage-cli config:check with every environment variable set', async () => {
    const result = await new Promise<{ code: number; output: string }>(
      resolve => {
        execFile(
          process.execPath,
          [
            path.join(cli, 'bin', 'backstage-cli'),
            'config:check',
            '--config',
            devFile,
            '--config',
            productionFile,
            '--config',
            siteFile,
          ],
          {
            cwd: repoRoot,
            timeout: 240_000,
            env: { ...baseEnvironment(), ...fullEnvironment() },
          },
          (err, stdout, stderr) =>
            resolve({
              code: err ? Number((err as any).code ?? 1) : 0,
              output: `${stdout}${stderr}`,
            }),
        );
      },
    );
    expect(result).toEqual({
      code: 0,
      output: expect.stringContaining('Loaded config from'),
    });
  });

  it.each(['K8S_MAIN_WRITER_TOKEN', 'POSTGRES_HOST'])(
    'stops at start-up without %s, naming it, with a non-zero exit',
    async missing => {
      const env = { ...baseEnvironment(), ...fullEnvironment() };
      delete env[missing];
      const started = Date.now();
      const child = spawn(
        process.execPath,
        [
          '--require',
          path.join(cli, 'config', 'nodeTransform.cjs'),
          'src/index.ts',
          '--config',
          devFile,
          '--config',
          productionFile,
        ],
        {
          cwd: path.join(repoRoot, 'packages', 'backend'),
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout!.on('data', d => (output += d));
      child.stderr!.on('data', d => (output += d));
      const code = await new Promise<number | null>(resolve => {
        // A backend that got past the check would keep running: bound it.
        const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
        child.once('exit', c => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      const seconds = (Date.now() - started) / 1000;
      expect({ code, output }).toEqual({
        code: 78,
        output: expect.stringContaining(
          `Missing environment variable for the configuration:\n  ${missing} (read by ${productionFile})`,
        ),
      });
      // Only the missing one is named, and nothing got as far as a stack trace.
      const others = Object.keys(fullEnvironment()).filter(n => n !== missing);
      expect(others.filter(n => output.includes(n))).toEqual([]);
      expect(output).not.toMatch(/\n\s+at /);
      expect(seconds).toBeLessThan(60);
    },
  );
});
