// startLabFleet: one ClusterServer per fixture cluster plus the admin server.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { readFixture, seedCluster } from './fixture/load';
import { FleetFixture } from './fixture/types';
import { AdminServer } from './server/admin';
import { ClusterServer, TLS_DIR } from './server/clusterServer';
import { FaultControl } from './server/faults';
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
}

export interface LabCluster {
  name: string;
  url: string;
  faults: FaultControl;
  /** Request counters keyed like 'list nodes', 'watch pods', 'patch namespaces'. */
  metrics(): Record<string, number>;
  /** Direct store access for tests; writes through it bypass admission and auth. */
  store: ObjectStore;
}

export interface LabFleet {
  /** `url` is plain HTTP; `httpsUrl` is the same API over TLS (self-signed, see fixtures/tls.crt). */
  clusters: Array<{
    name: string;
    url: string;
    token: string;
    httpsUrl: string;
    readOnlyToken?: string;
  }>;
  adminUrl: string;
  cluster(name: string): LabCluster;
  writeKubeconfig(path: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * kubectl (client-go) drops bearer tokens for plain-HTTP servers, so the
 * kubeconfig points at the TLS listener and trusts the bundled certificate.
 */
export function kubeconfigYaml(
  clusters: Array<{ name: string; httpsUrl: string; token: string }>,
): string {
  const ca = readFileSync(path.join(TLS_DIR, 'tls.crt')).toString('base64');
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: clusters.map(c => ({
      name: c.name,
      cluster: { server: c.httpsUrl, 'certificate-authority-data': ca },
    })),
    users: clusters.map(c => ({
      name: `${c.name}-admin`,
      user: { token: c.token },
    })),
    contexts: clusters.map(c => ({
      name: c.name,
      context: { cluster: c.name, user: `${c.name}-admin` },
    })),
    'current-context': clusters[0]?.name ?? '',
  });
}

export async function startLabFleet(
  options: LabFleetOptions = {},
): Promise<LabFleet> {
  const fixture = await readFixture(options.fixture);
  const host = options.host ?? '127.0.0.1';
  const basePort = options.basePort ?? 0;
  const tlsBasePort =
    options.tlsBasePort ?? (basePort === 0 ? 0 : basePort + 100);
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
      });
      seedCluster(server.api, c);
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
        store: s.store,
      },
    ]),
  );
  let stopped = false;
  return {
    clusters,
    adminUrl: adminServer.url,
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
