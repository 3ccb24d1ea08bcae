// startLabFleet: one ClusterServer per fixture cluster plus the admin server.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { bootstrapRbacObjects } from './auth/bootstrap';
import { issueServiceAccountTokens } from './auth/tokenController';
import { serviceAccountTokenOf } from './auth/identity';
import { readDeployRbac } from './fixture/deployRbac';
import { readFixture, seedCluster } from './fixture/load';
import { FleetFixture } from './fixture/types';
import { AdminServer } from './server/admin';
import { ClusterServer, TLS_DIR } from './server/clusterServer';
import { FaultControl } from './server/faults';
import { LabClock, createLabClock } from './controllers/clock';
import { ObjectStore } from './store/store';

export interface LabFleetOptions {
  /** Path to a YAML fixture or a fixture object; default: the bundled fixtures/fleet.yaml. */
  fixture?: string | FleetFixture;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Cluster i listens on basePort+i; 0 (default) picks random free ports. */
  basePort?: number;
  /** Cluster i also serves HTTPS on tlsBasePort+i (kubectl needs TLS to send tokens); default basePort+100, or random. */
  tlsBasePort?: number;
  /** Admin/metrics server port; 0 (default) is random. */
  adminPort?: number;
  /** Events kept per cluster for watch resume before 410 Gone (default 1000). */
  watchHistory?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 1000 ms). */
  bookmarkIntervalMs?: number;
  /**
   * Folder with a kustomization.yaml of RBAC objects seeded into every
   * cluster; default: the repository's deploy/rbac, which must define the
   * portal-reader and portal-writer service accounts with token Secrets.
   */
  rbacDir?: string;
  /**
   * Lab seconds per wall-clock second for the controllers (run-seconds,
   * startTime, completionTime); default 1. `speed: 60` finishes a
   * `lab.cloud-smart.io/run-seconds: "60"` pod after about one second.
   */
  speed?: number;
  /** A clock of your own (shared by every cluster); overrides `speed`. */
  clock?: LabClock;
}

/** Namespace and service accounts of the portal's identities in deploy/rbac. */
export const PORTAL_NAMESPACE = 'cloud-smart-portal';
export const PORTAL_READER = 'portal-reader';
export const PORTAL_WRITER = 'portal-writer';

export interface LabCluster {
  name: string;
  url: string;
  faults: FaultControl;
  /** Request counters keyed like 'list nodes', 'watch pods', 'patch namespaces'. */
  metrics(): Record<string, number>;
  /** The same counters per authenticated user (`system:serviceaccount:<ns>:<name>`, `lab-admin`). */
  metricsByUser(): Record<string, Record<string, number>>;
  /** Direct store access for tests; writes through it bypass admission and auth. */
  store: ObjectStore;
  /** Errors of the cluster's controller passes (the last 20); empty when all is well. */
  controllerErrors(): string[];
  /** Controller passes so far, their total time and the time per controller (ms), for benchmarks. */
  controllerStats(): {
    passes: number;
    totalMs: number;
    byController: Record<string, number>;
  };
}

export interface LabFleet {
  /** `url` is plain HTTP; `httpsUrl` is the same API over TLS (self-signed, see fixtures/tls.crt). */
  clusters: Array<{
    name: string;
    url: string;
    /** Admin token: system:masters, bound to cluster-admin. For tests and kubectl only. */
    token: string;
    httpsUrl: string;
    readOnlyToken?: string;
    /** Token of deploy/rbac's portal-reader service account. */
    readerToken: string;
    /** Token of deploy/rbac's portal-writer service account. */
    writerToken: string;
  }>;
  adminUrl: string;
  /** The controllers' time source: `clock.now()`, `clock.advance(ms)`. */
  clock: LabClock;
  cluster(name: string): LabCluster;
  writeKubeconfig(path: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * kubectl (client-go) drops bearer tokens for plain-HTTP servers, so the
 * kubeconfig points at the TLS listener and trusts the bundled certificate.
 */
export function kubeconfigYaml(
  clusters: Array<{
    name: string;
    httpsUrl: string;
    token: string;
    readerToken?: string;
    writerToken?: string;
  }>,
): string {
  const ca = readFileSync(path.join(TLS_DIR, 'tls.crt')).toString('base64');
  // Context <cluster> is the admin; <cluster>-reader and <cluster>-writer are
  // the portal's identities, for trying what the portal may do.
  const identities = (c: (typeof clusters)[number]) =>
    [
      { suffix: 'admin', context: c.name, token: c.token },
      { suffix: 'reader', context: `${c.name}-reader`, token: c.readerToken },
      { suffix: 'writer', context: `${c.name}-writer`, token: c.writerToken },
    ].filter((i): i is { suffix: string; context: string; token: string } =>
      Boolean(i.token),
    );
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: clusters.map(c => ({
      name: c.name,
      cluster: { server: c.httpsUrl, 'certificate-authority-data': ca },
    })),
    users: clusters.flatMap(c =>
      identities(c).map(i => ({
        name: `${c.name}-${i.suffix}`,
        user: { token: i.token },
      })),
    ),
    contexts: clusters.flatMap(c =>
      identities(c).map(i => ({
        name: i.context,
        context: { cluster: c.name, user: `${c.name}-${i.suffix}` },
      })),
    ),
    'current-context': clusters[0]?.name ?? '',
  });
}

export async function startLabFleet(
  options: LabFleetOptions = {},
): Promise<LabFleet> {
  const fixture = await readFixture(options.fixture);
  const rbac = await readDeployRbac(options.rbacDir);
  const host = options.host ?? '127.0.0.1';
  const basePort = options.basePort ?? 0;
  const tlsBasePort =
    options.tlsBasePort ?? (basePort === 0 ? 0 : basePort + 100);
  const clock = options.clock ?? createLabClock({ speed: options.speed });
  const servers: ClusterServer[] = [];
  let admin: AdminServer | undefined;
  try {
    for (const [i, c] of fixture.clusters.entries()) {
      const server = new ClusterServer({
        name: c.name,
        host,
        port: basePort === 0 ? 0 : basePort + i,
        tlsPort: tlsBasePort === 0 ? 0 : tlsBasePort + i,
        adminToken: c.tokens.admin,
        readOnlyToken: c.tokens.readOnly,
        gitVersion: c.version ?? 'v1.31.4',
        watchHistory: options.watchHistory ?? 1000,
        bookmarkIntervalMs: options.bookmarkIntervalMs,
        clock,
        kueueConfig: c.kueueConfig,
      });
      seedCluster(server.api, {
        ...c,
        objects: [
          ...bootstrapRbacObjects(),
          ...(c.objects ?? []),
          ...structuredClone(rbac),
        ],
      });
      issueServiceAccountTokens(server.store, c.name);
      servers.push(server);
      await server.start();
    }
    admin = new AdminServer(servers, host);
    await admin.start(options.adminPort ?? 0);
  } catch (e) {
    await Promise.all(servers.map(s => s.stop()));
    throw e;
  }
  const adminServer = admin;
  const clusters = servers.map((s, i) => ({
    name: s.name,
    url: s.url,
    httpsUrl: s.httpsUrl,
    token: fixture.clusters[i].tokens.admin,
    readOnlyToken: fixture.clusters[i].tokens.readOnly,
    readerToken: serviceAccountTokenOf(
      s.store,
      PORTAL_NAMESPACE,
      PORTAL_READER,
    ),
    writerToken: serviceAccountTokenOf(
      s.store,
      PORTAL_NAMESPACE,
      PORTAL_WRITER,
    ),
  }));
  const handles = new Map<string, LabCluster>(
    servers.map(s => [
      s.name,
      {
        name: s.name,
        get url() {
          return s.url;
        },
        faults: s.faults,
        metrics: () => s.metrics(),
        metricsByUser: () => s.metricsByUser(),
        store: s.store,
        controllerErrors: () => [...s.controllers.errors],
        controllerStats: () => structuredClone(s.controllers.stats),
      },
    ]),
  );
  let stopped = false;
  return {
    clusters,
    adminUrl: adminServer.url,
    clock,
    cluster(name: string): LabCluster {
      const c = handles.get(name);
      if (!c)
        throw new Error(
          `unknown lab cluster "${name}"; known: ${[...handles.keys()].join(
            ', ',
          )}`,
        );
      return c;
    },
    async writeKubeconfig(file: string): Promise<void> {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, kubeconfigYaml(clusters), { mode: 0o600 });
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await Promise.all([...servers.map(s => s.stop()), adminServer.stop()]);
    },
  };
}
