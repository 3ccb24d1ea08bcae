// The admin server's routes of the DCGM exporter emulation:
//   GET /metrics/dcgm/targets            Prometheus http_sd target groups
//   GET /metrics/dcgm/<cluster>/<node>   one node's exporter
import type http from 'node:http';
import { ObjectStore } from '../store/store';
import { dcgmExposition, dcgmTargets, DeviceAssignments } from './dcgmExporter';

const assignments = new WeakMap<object, DeviceAssignments>();

/** Answers the request and returns true when it is one of the exporter's routes. */
export function serveDcgm(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  clusters: Array<{ name: string; store: ObjectStore }>,
  adminHostPort: string,
): boolean {
  const url = new URL(req.url ?? '/', 'http://admin.local');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (req.method !== 'GET' || parts[0] !== 'metrics' || parts[1] !== 'dcgm') {
    return false;
  }
  if (parts.length === 3 && parts[2] === 'targets') {
    const text = JSON.stringify(dcgmTargets(clusters, adminHostPort));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(text);
    return true;
  }
  const cluster =
    parts.length === 4 ? clusters.find(c => c.name === parts[2]) : undefined;
  let text: string | undefined;
  if (cluster) {
    let a = assignments.get(clusters);
    if (!a) {
      a = new DeviceAssignments();
      assignments.set(clusters, a);
    }
    text = dcgmExposition({
      cluster: cluster.name,
      node: parts[3],
      store: cluster.store,
      assignments: a,
    });
  }
  if (text === undefined) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end(
      `no DCGM exporter at ${url.pathname} (unknown cluster, not a GPU node, or node not Ready)\n`,
    );
    return true;
  }
  res.writeHead(200, {
    'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
  });
  res.end(text);
  return true;
}
