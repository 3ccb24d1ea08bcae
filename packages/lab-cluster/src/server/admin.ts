// Admin HTTP server: lets tests and benchmarks in other processes inspect the
// fleet, inject faults and scrape request counters.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { resourceKey } from '../api/resources';
import { ClusterServer } from './clusterServer';
import { parseFaults } from './faults';
import { serveDcgm } from '../metrics/serveDcgm';

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function prometheusText(clusters: ClusterServer[]): string {
  const lines = [
    '# HELP lab_cluster_requests_total Requests served by a lab cluster, by verb and resource.',
    '# TYPE lab_cluster_requests_total counter',
  ];
  for (const c of clusters) {
    for (const [key, value] of Object.entries(c.metrics()).sort()) {
      const [verb, resource] = key.split(' ');
      lines.push(
        `lab_cluster_requests_total{cluster="${escapeLabel(
          c.name,
        )}",verb="${escapeLabel(verb)}",resource="${escapeLabel(
          resource,
        )}"} ${value}`,
      );
    }
  }
  lines.push(
    '# HELP lab_cluster_objects Objects currently stored, by resource.',
    '# TYPE lab_cluster_objects gauge',
  );
  for (const c of clusters) {
    for (const r of ['nodes', 'pods', 'namespaces', 'events']) {
      lines.push(
        `lab_cluster_objects{cluster="${escapeLabel(
          c.name,
        )}",resource="${r}"} ${c.store.count(resourceKey('', r))}`,
      );
    }
  }
  lines.push(
    '# HELP lab_cluster_watches Open watch streams.',
    '# TYPE lab_cluster_watches gauge',
  );
  for (const c of clusters)
    lines.push(
      `lab_cluster_watches{cluster="${escapeLabel(c.name)}"} ${
        c.store.watcherCount
      }`,
    );
  lines.push(
    '# HELP lab_cluster_resource_version Current resourceVersion.',
    '# TYPE lab_cluster_resource_version gauge',
  );
  for (const c of clusters)
    lines.push(
      `lab_cluster_resource_version{cluster="${escapeLabel(c.name)}"} ${
        c.store.resourceVersion
      }`,
    );
  return `${lines.join('\n')}\n`;
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve(text.trim() ? JSON.parse(text) : {});
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

export class AdminServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(
    private readonly clusters: ClusterServer[],
    private readonly host: string,
  ) {
    this.server = http.createServer((req, res) => {
      this.serve(req, res).catch(e =>
        this.json(res, 500, { error: String((e as Error).message ?? e) }),
      );
    });
    this.server.on('connection', s => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  start(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    return new Promise(resolve => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private async serve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://admin.local');
    const parts = url.pathname.split('/').filter(Boolean);
    if (serveDcgm(req, res, this.clusters, `${this.host}:${this.port}`)) return;
    if (req.method === 'GET' && url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(prometheusText(this.clusters));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/clusters') {
      this.json(res, 200, {
        clusters: this.clusters.map(c => ({
          name: c.name,
          url: c.url,
          httpsUrl: c.httpsUrl,
          faults: c.faults.current(),
        })),
      });
      return;
    }
    if (
      parts[0] === 'clusters' &&
      parts.length === 3 &&
      parts[2] === 'faults'
    ) {
      const cluster = this.clusters.find(
        c => c.name === decodeURIComponent(parts[1]),
      );
      if (!cluster) {
        this.json(res, 404, { error: `unknown cluster ${parts[1]}` });
        return;
      }
      if (req.method === 'PUT') {
        let faults;
        try {
          faults = parseFaults(await readJson(req));
        } catch (e) {
          this.json(res, 400, { error: (e as Error).message });
          return;
        }
        await cluster.faults.set(faults);
        this.json(res, 200, {
          name: cluster.name,
          faults: cluster.faults.current(),
        });
        return;
      }
      if (req.method === 'DELETE') {
        await cluster.faults.clear();
        this.json(res, 200, { name: cluster.name, faults: {} });
        return;
      }
      if (req.method === 'GET') {
        this.json(res, 200, {
          name: cluster.name,
          faults: cluster.faults.current(),
        });
        return;
      }
    }
    this.json(res, 404, { error: 'not found' });
  }
}
