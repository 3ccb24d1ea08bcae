import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { stripVTControlCharacters } from 'node:util';
import { stringify } from 'yaml';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import { repoRoot } from './paths';

/** A backend process started the way the README's start command starts it. */
export interface RunningBackend {
  baseUrl: string;
  dataDir: string;
  /** The lab clusters this backend talks to, on random loopback ports. */
  lab?: LabFleet;
  /** Everything the process printed so far, ANSI colours removed. */
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s; stops the lab unless it was shared. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crashed node or an evicted pod would die. */
  kill(): Promise<void>;
}

/**
 * Production mode: `app-config.production.yaml` over the dev defaults, with
 * its environment variables set, on PostgreSQL. The overlay still moves the
 * backend to a free loopback port and the lab fleet.
 */
export interface ProductionOptions {
  /** A PostgreSQL connection string (the CI's throwaway server). */
  postgresUrl: string;
  /** Database name prefix, one per test so tests never share databases. */
  databasePrefix: string;
  /** The OpenID Provider: metadata URL and the portal's client. */
  oidc: { metadataUrl: string; clientId: string; clientSecret: string };
  /** Extra environment (e.g. LDAP_URL); wins over the defaults here. */
  env?: Record<string, string>;
}

/** The throwaway PostgreSQL of scripts/system-packages.sh, if any. */
export function testPostgresUrl(): string | undefined {
  const key = Object.keys(process.env)
    .filter(k =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
    )
    .sort()
    .pop();
  return key ? process.env[key] : undefined;
}

/** Asks the OS for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The `kubernetesAccess` config of the dev defaults, pointed at a fleet on
 * random ports instead of the fixed ones the start command uses.
 */
export function labClustersConfig(lab: LabFleet) {
  return {
    kubernetesAccess: {
      defaultTimeoutMs: 5000,
      clusters: lab.clusters.map(c => ({
        name: c.name,
        url: c.url,
        // deploy/rbac's least-privilege identities, enforced by the lab.
        auth: {
          provider: 'serviceAccount',
          serviceAccountToken: c.readerToken,
        },
        writerAuth: {
          provider: 'serviceAccount',
          serviceAccountToken: c.writerToken,
        },
      })),
    },
  };
}

/**
 * Starts packages/backend with `backstage-cli package start`, the dev config,
 * and an overlay that moves it to a free port and a fresh data directory.
 * Unless `lab: false`, a lab fleet is started first on random ports and the
 * backend pointed at it. Resolves once the readiness probe answers 200.
 */
export async function startBackend(
  options: {
    overlay?: object;
    readyTimeoutMs?: number;
    dataDir?: string;
    /** A loopback port chosen beforehand (e.g. for an OIDC redirect URI). */
    port?: number;
    /** `false`: no lab; a fleet: share it (not stopped with this backend). */
    lab?: boolean | LabFleet;
    production?: ProductionOptions;
  } = {},
): Promise<RunningBackend> {
  const sharedLab = typeof options.lab === 'object' ? options.lab : undefined;
  const lab =
    sharedLab ??
    (options.lab === false
      ? undefined
      : await startLabFleet({ basePort: 0, adminPort: 0 }));
  const ownLab = sharedLab ? undefined : lab;
  const production = options.production;
  const port = options.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  const dataDir =
    options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-'));
  const overlayFile = path.join(dataDir, 'app-config.e2e.yaml');
  fs.writeFileSync(
    overlayFile,
    stringify(
      deepMerge(
        {
          app: { baseUrl },
          backend: {
            baseUrl,
            listen: { port, host: '127.0.0.1' },
            cors: { origin: baseUrl },
            database: production
              ? {
                  client: 'pg',
                  // A string replaces the production file's TLS settings:
                  // the throwaway server listens on loopback without TLS.
                  connection: production.postgresUrl,
                  prefix: production.databasePrefix,
                }
              : {
                  client: 'better-sqlite3',
                  connection: { directory: path.join(dataDir, 'sqlite') },
                },
          },
          techdocs: {
            publisher: {
              local: { publishDirectory: path.join(dataDir, 'techdocs') },
            },
          },
          // Production keeps golden-path repositories on its volume
          // (/var/lib/portal/git); a test keeps them in its own directory.
          ...(production
            ? { goldenPaths: { git: { rootDir: path.join(dataDir, 'git') } } }
            : {}),
        },
        deepMerge(lab ? labClustersConfig(lab) : {}, options.overlay ?? {}),
      ),
    ),
  );

  const backendDir = path.join(repoRoot, 'packages', 'backend');
  const child = spawn(
    process.execPath,
    [
      path.join(
        repoRoot,
        'node_modules',
        '@backstage',
        'cli',
        'bin',
        'backstage-cli',
      ),
      'package',
      'start',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      ...(production
        ? ['--config', path.join(repoRoot, 'app-config.production.yaml')]
        : []),
      '--config',
      overlayFile,
    ],
    {
      cwd: backendDir,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        FORCE_COLOR: '0',
        ...(production ? productionEnv(baseUrl, production) : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += stripVTControlCharacters(chunk.toString('utf8'));
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  const backend: RunningBackend = {
    baseUrl,
    dataDir,
    lab,
    output: () => output,
    stop: async () => {
      await stopProcess(child);
      await ownLab?.stop();
    },
    kill: async () => {
      await stopProcess(child, 'SIGKILL');
      await ownLab?.stop();
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 240_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await ownLab?.stop();
      throw new Error(`backend exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (res.status === 200) {
        return backend;
      }
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  await backend.stop();
  throw new Error(`backend was not ready within the timeout:\n${output}`);
}

/**
 * The environment app-config.production.yaml reads. Database and clusters are
 * replaced by the overlay; their variables are set so the file resolves.
 */
function productionEnv(
  baseUrl: string,
  production: ProductionOptions,
): Record<string, string> {
  return {
    PORTAL_BASE_URL: baseUrl,
    BACKEND_SECRET: 'e2e-production-backend-secret',
    AUTH_SESSION_SECRET: 'e2e-production-session-secret',
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: '5432',
    POSTGRES_USER: 'postgres',
    POSTGRES_PASSWORD: 'unused',
    POSTGRES_CA_CERT: 'unused',
    OIDC_METADATA_URL: production.oidc.metadataUrl,
    OIDC_CLIENT_ID: production.oidc.clientId,
    OIDC_CLIENT_SECRET: production.oidc.clientSecret,
    OIDC_EMAIL_DOMAIN: 'cloudsmart.go.kr',
    K8S_MAIN_NAME: 'lab-main',
    K8S_MAIN_URL: 'http://127.0.0.1:1',
    K8S_MAIN_CA_DATA: 'unused',
    K8S_MAIN_TOKEN: 'unused',
    K8S_MAIN_WRITER_TOKEN: 'unused-writer',
    ...production.env,
  };
}

async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) {
    return;
  }
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  // The CLI starts the backend as a child of its own: stop the whole group.
  process.kill(-child.pid, signal);
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

function deepMerge(a: any, b: any): any {
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    !a ||
    !b ||
    Array.isArray(b)
  ) {
    return b;
  }
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    out[key] = key in a ? deepMerge(a[key], value) : value;
  }
  return out;
}

/** Lines of the backend log at error level, and unhandled rejections. */
export function errorLines(output: string): string[] {
  return output
    .split('\n')
    .filter(
      line =>
        /^\S+\s+\S+\s+error\s/.test(line) ||
        /"level":"error"/.test(line) ||
        /unhandled ?rejection/i.test(line),
    );
}
