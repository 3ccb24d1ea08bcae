import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import request from 'supertest';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { checkPaths, formatReport } from '@internal/manifest-policy';
import { parse, parseAllDocuments } from 'yaml';
import scaffolderModuleGpuPool from '@internal/plugin-scaffolder-backend-module-gpu-pool';
import {
  createGpuRequestSchema,
  EXPECTED_DURATION_ANNOTATION,
  GPU_POOL_LOCAL_QUEUE_NAME,
  KUEUE_QUEUE_NAME_LABEL,
} from '@internal/plugin-gpu-pool-common';
import { scaffolderModuleGoldenPaths } from '../module';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { startOfflineRegistry } from './offlineRegistry';

// Starting the scaffolder and dry runs take more than jest's default 5 s on a
// loaded machine (the repo's unit tests run in parallel on few cores).
jest.setTimeout(120_000);

// Jest runs from the package (package test) or the repo root (repo test).
function findRepoRoot(start: string): string {
  let dir = start;
  for (let depth = 0; depth < 6; depth++) {
    if (fs.existsSync(path.join(dir, 'backstage.json'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`no backstage.json above ${start}`);
}
const repoRoot = findRepoRoot(process.cwd());
/** The repository's templates/ directory. */
const templatesDir = path.join(repoRoot, 'templates');

/** The monorepo's workspaces, whose node_modules hold packages not hoisted. */
function workspaceDirs(): string[] {
  return ['packages', 'plugins'].flatMap(group =>
    fs
      .readdirSync(path.join(repoRoot, group), { withFileTypes: true })
      .filter(e => e.isDirectory())
      .map(e => path.join(repoRoot, group, e.name)),
  );
}

/** Runs a command without blocking the event loop (the mirror is in-process). */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', chunk => {
      stdout += chunk;
    });
    child.stderr.on('data', chunk => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${options.timeoutMs} ms)`;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('close', status => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Whether the generated training job's Python checks can run here. */
const hasPytest =
  spawnSync('python3', ['-c', 'import pytest, yaml'], { timeout: 30_000 })
    .status === 0;

/** A template's files as the dry-run API takes them. */
function readTemplate(name: string): {
  template: any;
  directoryContents: Array<{ path: string; base64Content: string }>;
} {
  const dir = path.join(templatesDir, name);
  const directoryContents: Array<{ path: string; base64Content: string }> = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        directoryContents.push({
          path: path.relative(dir, full),
          base64Content: fs.readFileSync(full).toString('base64'),
        });
      }
    }
  };
  walk(dir);
  return {
    template: parse(fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8')),
    directoryContents,
  };
}

/** Writes dry-run output files into a directory, keeping executable bits. */
function writeDirectoryContents(
  target: string,
  files: Array<{ path: string; base64Content: string; executable?: boolean }>,
) {
  for (const file of files) {
    const full = path.join(target, file.path);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, Buffer.from(file.base64Content, 'base64'), {
      mode: file.executable ? 0o755 : 0o644,
    });
  }
}

/** Inputs the templates passed to the gpu-pool actions, by action id. */
const gpuPoolCalls: Array<{ action: string; input: any }> = [];

/**
 * The actions a dry run ran, with their rendered inputs, read from the log
 * line (after a coloured level) the scaffolder writes before it validates an input against the
 * action's schema and runs it.
 */
function actionInputs(log: Array<{ body: { message: string } }>) {
  const calls: Array<{ action: string; input: any }> = [];
  for (const { body: line } of log) {
    const match =
      /Running (\S+) in dry-run mode with inputs \(secrets redacted\): ([\s\S]*)$/.exec(
        line.message,
      );
    if (match) {
      calls.push({ action: match[1], input: JSON.parse(match[2]) });
    }
  }
  return calls;
}

/** The one policy bundle of packages/manifest-policy. */
const policyBundle = path.resolve(
  templatesDir,
  '..',
  'packages',
  'manifest-policy',
  'bundle',
  'manifest-policy.cjs',
);

const user = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'jiwoo.kim', namespace: 'default' },
  spec: { profile: { displayName: 'Jiwoo Kim' }, memberOf: ['ml-team'] },
};

const examples: Record<string, Record<string, unknown>> = {
  'nodejs-service': {
    name: 'petition-search',
    description: 'Search over petitions for citizens',
    owner: 'group:default/citizen-services-team',
    system: 'system:default/petitions',
    lifecycle: 'experimental',
    cluster: 'lab-main',
    publishTarget: 'portal',
  },
  'spring-boot-service': {
    name: 'payments-ledger',
    description: 'Ledger of card payments',
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    javaPackage: 'kr.cloudsmart.ledger',
    dbName: 'ledger',
    lifecycle: 'production',
    cluster: 'lab-main',
    namespace: 'payments',
    publishTarget: 'portal',
  },
  'gpu-training-job': {
    name: 'ocr-finetune',
    description: 'Fine-tunes the OCR model on scanned petitions',
    owner: 'group:default/ml-team',
    system: 'system:default/ocr',
    lifecycle: 'experimental',
    cluster: 'lab-main',
    namespace: 'ml-training',
    gpuPool: 'lab-main-a100-mig',
    gpuResource: 'nvidia.com/mig-3g.40gb',
    gpuCount: 2,
    cpu: '8',
    memory: '32Gi',
    storageSize: '50Gi',
    duration: 'P2D',
    expectedDuration: 'PT2H',
    justification: 'Fine-tuning before the spring release',
    publishTarget: 'portal',
  },
  'team-sandbox': {
    name: 'ml-sandbox',
    description: 'Experiments of the ML team',
    owner: 'group:default/ml-team',
    system: 'system:default/ocr',
    cluster: 'lab-edge',
  },
};

function exists(out: string, files: string[]) {
  return files.filter(f => !fs.existsSync(path.join(out, f)));
}

function entities(out: string) {
  return parseAllDocuments(
    fs.readFileSync(path.join(out, 'catalog-info.yaml'), 'utf8'),
  ).map(d => d.toJS());
}

/**
 * What the generated repository's policy job depends on: the one policy
 * bundle (no template has a copy of its own), run offline by its pipeline.
 */
function policyTool(name: string, out: string) {
  const tool = path.join(out, 'tools', 'manifest-policy.cjs');
  // As in the pipeline's policy job: `out` is outside the monorepo, with no
  // node_modules, and the job has no registry access.
  const job = spawnSync(
    process.execPath,
    ['tools/manifest-policy.cjs', 'k8s/'],
    { cwd: out, encoding: 'utf8', timeout: 30_000 },
  );
  return {
    skeletonHasTools: fs.existsSync(
      path.join(templatesDir, name, 'skeleton', 'tools'),
    ),
    sameAsBundle:
      fs.existsSync(tool) &&
      fs.readFileSync(tool).equals(fs.readFileSync(policyBundle)),
    executable: fs.existsSync(tool) && (fs.statSync(tool).mode & 0o111) !== 0,
    pipelineRunsIt: fs
      .readFileSync(path.join(out, '.gitlab-ci.yml'), 'utf8')
      .includes('node tools/manifest-policy.cjs k8s/'),
    status: job.status,
    stdout: job.stdout,
  };
}

const policyToolOk = {
  skeletonHasTools: false,
  sameAsBundle: true,
  executable: true,
  pipelineRunsIt: true,
  status: 0,
  stdout: expect.stringMatching(/^OK {4}\d+ object\(s\) comply/),
};

const serviceFiles = [
  'Dockerfile',
  '.gitlab-ci.yml',
  'catalog-info.yaml',
  'mkdocs.yml',
  'docs/index.md',
  'tools/manifest-policy.cjs',
];

// The test backend's default database never destroys its SQLite clients, and
// their pool timers keep the jest worker alive after the tests: each plugin
// gets its own in-memory database from TestDatabases, which closes them.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const databaseFactory = createServiceFactory({
  service: coreServices.database,
  deps: {},
  async factory() {
    const knex = await databases.init('SQLITE_3');
    return { getClient: async () => knex };
  },
});

let app: any;
let stop: () => Promise<void>;

beforeAll(async () => {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleGoldenPaths,
      // The real gpu-pool actions: in a dry run they validate their input
      // against their schema and touch neither the gpu-pool backend nor a cluster.
      scaffolderModuleGpuPool,
      catalogServiceMock.factory({ entities: [user as any] }),
      databaseFactory,
      mockServices.rootConfig.factory({
        data: { backend: { baseUrl: 'http://localhost:7007' } },
      }),
    ],
  });
  app = backend.server;
  stop = () => backend.stop();
});

afterAll(async () => stop?.());

async function dryRun(name: string) {
  const { template, directoryContents } = readTemplate(name);
  const res = await request(app)
    .post('/api/scaffolder/v2/dry-run')
    .set('authorization', mockCredentials.user.header('user:default/jiwoo.kim'))
    .send({ template, values: examples[name], directoryContents });
  if (res.status !== 200) {
    throw new Error(
      `dry-run of ${name}: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  gpuPoolCalls.push(
    ...actionInputs(res.body.log).filter(c => c.action.startsWith('gpu-pool:')),
  );
  const out = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  writeDirectoryContents(out, res.body.directoryContents);
  return { out, body: res.body };
}

describe('nodejs-service', () => {
  let out: string;
  let body: any;
  beforeAll(async () => {
    ({ out, body } = await dryRun('nodejs-service'));
  });

  it('generates the repository', () => {
    for (const file of [
      'Dockerfile',
      '.gitlab-ci.yml',
      'catalog-info.yaml',
      'openapi.yaml',
      'mkdocs.yml',
      'docs/index.md',
      'src/app.ts',
      'src/app.test.ts',
      'k8s/deployment.yaml',
      'k8s/service.yaml',
      'k8s/hpa.yaml',
      'k8s/pdb.yaml',
      'k8s/networkpolicy.yaml',
      'tools/manifest-policy.cjs',
    ]) {
      expect({ file, exists: fs.existsSync(path.join(out, file)) }).toEqual({
        file,
        exists: true,
      });
    }
    expect(body.log.map((l: any) => l.body.message).join('\n')).toContain(
      'object(s) comply with the platform policy',
    );
  });

  it('carries the one policy bundle, which its pipeline runs offline', () => {
    expect(policyTool('nodejs-service', out)).toEqual(policyToolOk);
  });

  it('passes the platform policy', () => {
    const report = checkPaths(['k8s'], { cwd: out });
    expect(formatReport(report)).toMatch(/^OK {4}5 object\(s\) comply/);
  });

  it('describes the component for the catalog', () => {
    const [component, api] = parseAllDocuments(
      fs.readFileSync(path.join(out, 'catalog-info.yaml'), 'utf8'),
    ).map(d => d.toJS());
    expect(component.spec).toMatchObject({
      owner: 'group:default/citizen-services-team',
      system: 'system:default/petitions',
      lifecycle: 'experimental',
      providesApis: ['petition-search-api'],
    });
    expect(component.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-id': 'petition-search',
      'backstage.io/kubernetes-namespace': 'petition-search',
    });
    expect(api.spec.definition).toEqual({ $text: './openapi.yaml' });
  });

  it('asks gpu-pool for the namespace of the service', () => {
    expect(gpuPoolCalls).toContainEqual({
      action: 'gpu-pool:namespace:ensure',
      input: {
        team: 'group:default/citizen-services-team',
        cluster: 'lab-main',
        namespace: 'petition-search',
      },
    });
  });

  it('installs offline from what the monorepo fetched, and passes its own tests', async () => {
    // The organisation's mirror: the packages the monorepo's install put in
    // its node_modules trees, served on loopback. No registry on the network.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-npm-'));
    const registry = await startOfflineRegistry({
      roots: [repoRoot, ...workspaceDirs()],
      workDir: path.join(work, 'tarballs'),
    });
    try {
      fs.writeFileSync(path.join(work, 'npmrc'), '');
      const env = {
        ...process.env,
        npm_config_registry: registry.url,
        npm_config_cache: path.join(work, 'cache'),
        npm_config_userconfig: path.join(work, 'npmrc'),
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      };
      const install = await run('npm', ['install', '--no-audit', '--no-fund'], {
        cwd: out,
        env,
        timeoutMs: 240_000,
      });
      expect({
        status: install.status,
        notInMirror: registry.missing(),
        stderr: install.stderr.slice(-2000),
      }).toMatchObject({ status: 0, notInMirror: [] });
      const test = await run('npm', ['test'], {
        cwd: out,
        env,
        timeoutMs: 120_000,
      });
      expect({
        status: test.status,
        out: test.stdout.slice(-2000),
      }).toMatchObject({ status: 0 });
      expect(test.stdout).toMatch(/pass 5/);
      expect(test.stdout).toMatch(/fail 0/);
    } finally {
      await registry.close();
      fs.rmSync(work, { recursive: true, force: true });
    }
  }, 400_000);
});

describe('spring-boot-service', () => {
  let out: string;
  beforeAll(async () => {
    ({ out } = await dryRun('spring-boot-service'));
  });

  it('generates the repository with the Java package as directories', () => {
    const pkg = 'src/main/java/kr/cloudsmart/ledger';
    expect(
      exists(out, [
        ...serviceFiles,
        'pom.xml',
        'openapi.yaml',
        `${pkg}/Application.java`,
        `${pkg}/GreetingController.java`,
        `${pkg}/GreetingRepository.java`,
        'src/test/java/kr/cloudsmart/ledger/GreetingControllerTest.java',
        'src/main/resources/application.yaml',
        'src/main/resources/db/migration/V1__create_greeting.sql',
        'k8s/deployment.yaml',
        'k8s/service.yaml',
        'k8s/hpa.yaml',
        'k8s/pdb.yaml',
        'k8s/networkpolicy.yaml',
        'k8s/configmap.yaml',
      ]),
    ).toEqual([]);
    expect(
      fs.readFileSync(path.join(out, `${pkg}/Application.java`), 'utf8'),
    ).toMatch(/^package kr\.cloudsmart\.ledger;/);
    const settings = fs.readFileSync(
      path.join(out, 'src/main/resources/application.yaml'),
      'utf8',
    );
    expect(settings).toContain(
      'url: ${DB_URL:jdbc:postgresql://localhost:5432/ledger}',
    );
    expect(settings).toContain('password: ${DB_PASSWORD:}');
  });

  it('carries the one policy bundle, which its pipeline runs offline', () => {
    expect(policyTool('spring-boot-service', out)).toEqual(policyToolOk);
  });

  it('passes the platform policy and reads the password from a secret', () => {
    const report = checkPaths(['k8s'], { cwd: out });
    expect(formatReport(report)).toMatch(/^OK {4}6 object\(s\) comply/);
    expect(
      fs.readFileSync(path.join(out, 'k8s/deployment.yaml'), 'utf8'),
    ).toContain('secretKeyRef: { name: payments-ledger-db, key: password }');
  });

  it('describes the component, its API and its database', () => {
    const [component, db, api] = entities(out);
    expect(component.spec).toMatchObject({
      owner: 'group:default/payments-team',
      system: 'system:default/payments',
      lifecycle: 'production',
      providesApis: ['payments-ledger-api'],
    });
    expect(
      component.metadata.annotations['backstage.io/kubernetes-namespace'],
    ).toBe('payments');
    expect(api.kind).toBe('API');
    expect(db).toMatchObject({
      kind: 'Resource',
      metadata: { name: 'ledger-db' },
    });
  });
});

describe('gpu-training-job', () => {
  let out: string;
  beforeAll(async () => {
    ({ out } = await dryRun('gpu-training-job'));
  });

  it('generates the training skeleton', () => {
    expect(
      exists(out, [
        ...serviceFiles,
        'train.py',
        'experiment.py',
        'experiments/baseline.yaml',
        'requirements.txt',
        'k8s/job.yaml',
        'k8s/pvc.yaml',
      ]),
    ).toEqual([]);
  });

  it('carries the one policy bundle, which its pipeline runs offline', () => {
    expect(policyTool('gpu-training-job', out)).toEqual(policyToolOk);
  });

  it('requests the MIG profile in a Job that passes the policy and checkpoints to the PVC', () => {
    expect(formatReport(checkPaths(['k8s'], { cwd: out }))).toMatch(
      /^OK {4}3 object\(s\) comply/,
    );
    const [job] = parseAllDocuments(
      fs.readFileSync(path.join(out, 'k8s/job.yaml'), 'utf8'),
    ).map(d => d.toJS());
    const pod = job.spec.template.spec;
    expect(pod.containers[0].resources.limits['nvidia.com/mig-3g.40gb']).toBe(
      2,
    );
    expect(pod.volumes[0]).toEqual({
      name: 'checkpoints',
      persistentVolumeClaim: { claimName: 'ocr-finetune-checkpoints' },
    });
  });

  it('submits a suspended Job to the namespace LocalQueue, for Kueue to admit and place', () => {
    const [job] = parseAllDocuments(
      fs.readFileSync(path.join(out, 'k8s/job.yaml'), 'utf8'),
    ).map(d => d.toJS());
    expect(job.spec.suspend).toBe(true);
    expect(job.metadata.labels).toMatchObject({
      [KUEUE_QUEUE_NAME_LABEL]: GPU_POOL_LOCAL_QUEUE_NAME,
      'portal.cloud-smart.io/gpu-pool': 'lab-main-a100-mig',
    });
    expect(job.metadata.annotations).toEqual({
      [EXPECTED_DURATION_ANNOTATION]: 'PT2H',
    });
    // A MIG pool has its own resource name: no product to pin (a whole-GPU
    // pool's product comes from the gpu-pool step, which a dry run skips),
    // and Kueue injects the assigned flavor's node labels at admission.
    expect(job.spec.template.spec.nodeSelector).toBeUndefined();
    // The queue label sits on the Job only; pods carry the owner labels.
    expect(job.spec.template.metadata.labels[KUEUE_QUEUE_NAME_LABEL]).toBe(
      undefined,
    );
  });

  it('asks the GPU pool for the GPUs with a request the pool accepts', () => {
    expect(gpuPoolCalls).toContainEqual({
      action: 'gpu-pool:request:create',
      input: expect.objectContaining({
        team: 'group:default/ml-team',
        cluster: 'lab-main',
        namespace: 'ml-training',
        gpus: [{ pool: 'lab-main-a100-mig', count: 2 }],
        duration: 'P2D',
        waitTimeoutSeconds: 0,
      }),
    });
  });

  // Without python3, pytest and PyYAML the check cannot run: reported as
  // skipped (decided when the tests are collected), never passed in silence.
  // Expectations in a named check so the conditional test stays one block.
  function pythonCompilesAndTestsPass() {
    const compile = spawnSync(
      'python3',
      ['-m', 'py_compile', 'train.py', 'experiment.py'],
      {
        cwd: out,
        encoding: 'utf8',
      },
    );
    expect(compile.stderr).toBe('');
    const pytest = spawnSync('python3', ['-m', 'pytest', '-q', 'tests'], {
      cwd: out,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(pytest.stdout).toMatch(/2 passed/);
  }
  (hasPytest ? it : it.skip)(
    'has Python that compiles and config tests that pass (no GPU needed)',
    pythonCompilesAndTestsPass,
  );
});

describe('team-sandbox', () => {
  let out: string;
  beforeAll(async () => {
    ({ out } = await dryRun('team-sandbox'));
  });

  it('generates the namespace policies and a Resource entity', () => {
    expect(
      exists(out, [
        'k8s/namespace.yaml',
        'k8s/limitrange.yaml',
        'catalog-info.yaml',
        'docs/index.md',
      ]),
    ).toEqual([]);
    expect(formatReport(checkPaths(['k8s'], { cwd: out }))).toMatch(
      /^OK {4}3 object\(s\) comply/,
    );
    const [resource] = entities(out);
    expect(resource).toMatchObject({
      kind: 'Resource',
      spec: { type: 'kubernetes-namespace', owner: 'group:default/ml-team' },
    });
  });

  it('carries the one policy bundle, which its pipeline runs offline', () => {
    expect(policyTool('team-sandbox', out)).toEqual(policyToolOk);
  });

  it('ensures the namespace through the GPU pool', () => {
    expect(gpuPoolCalls).toContainEqual({
      action: 'gpu-pool:namespace:ensure',
      input: {
        team: 'group:default/ml-team',
        cluster: 'lab-edge',
        namespace: 'ml-sandbox',
      },
    });
  });
});

describe('template parameters', () => {
  it('reject names that are not DNS-1123 labels before anything runs', async () => {
    const { template, directoryContents } = readTemplate('team-sandbox');
    const res = await request(app)
      .post('/api/scaffolder/v2/dry-run')
      .set(
        'authorization',
        mockCredentials.user.header('user:default/jiwoo.kim'),
      )
      .send({
        template,
        values: { ...examples['team-sandbox'], name: 'ML_Sandbox' },
        directoryContents,
      });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('does not match pattern');
  });

  it('give the gpu-pool actions inputs the gpu-pool backend accepts', () => {
    // The actions forward their input (minus waitTimeoutSeconds) to
    // POST /api/gpu-pool/requests, which parses it with this schema.
    expect(gpuPoolCalls.length).toBeGreaterThanOrEqual(3);
    for (const { action, input } of gpuPoolCalls) {
      const { waitTimeoutSeconds: _wait, ...body } = input;
      const parsed = createGpuRequestSchema.safeParse(body);
      expect({ action, input, errors: parsed.error?.issues }).toEqual({
        action,
        input,
        errors: undefined,
      });
    }
  });

  it("pins a whole-GPU pool's model in the Job, so Kueue cannot place it on another", async () => {
    // A dry run skips the gpu-pool step, which names the product: give the
    // skeleton the value that step outputs for an H100 pool.
    const { template, directoryContents } = readTemplate('gpu-training-job');
    const fetchStep = template.spec.steps.find((s: any) => s.id === 'fetch');
    expect(fetchStep.input.values.gpuProduct).toBe(
      '${{ steps.gpus.output.gpuProduct }}',
    );
    fetchStep.input.values.gpuProduct = 'NVIDIA-H100-80GB-HBM3';
    const res = await request(app)
      .post('/api/scaffolder/v2/dry-run')
      .set(
        'authorization',
        mockCredentials.user.header('user:default/jiwoo.kim'),
      )
      .send({
        template,
        values: {
          ...examples['gpu-training-job'],
          gpuPool: 'lab-main-h100',
          gpuResource: 'nvidia.com/gpu',
        },
        directoryContents,
      });
    expect(res.status).toBe(200);
    const file = res.body.directoryContents.find(
      (f: any) => f.path === 'k8s/job.yaml',
    );
    const [job] = parseAllDocuments(
      Buffer.from(file.base64Content, 'base64').toString('utf8'),
    ).map(d => d.toJS());
    expect(job.spec.template.spec.nodeSelector).toEqual({
      'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3',
    });
    expect(job.spec.template.spec.containers[0].resources.limits).toMatchObject(
      { 'nvidia.com/gpu': 2 },
    );
  });

  it('fail the dry run on an input the real gpu-pool action does not take', async () => {
    const { template, directoryContents } = readTemplate('gpu-training-job');
    const gpus = template.spec.steps.find((s: any) => s.id === 'gpus');
    gpus.input.wait = false;
    const res = await request(app)
      .post('/api/scaffolder/v2/dry-run')
      .set(
        'authorization',
        mockCredentials.user.header('user:default/jiwoo.kim'),
      )
      .send({
        template,
        values: examples['gpu-training-job'],
        directoryContents,
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'Invalid input passed to action gpu-pool:request:create',
    );
  });
});
