// Subresources other than the main resource's verbs: pods/log, and the check
// that a requested subresource exists (`/status` where the kind has one,
// namespaces/finalize).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { genericNotFound } from './errors';
import type { ClusterApi } from './handler';
import { mustGet } from './read';
import type { ParsedRequest } from './routing';

/**
 * Serves the subresources that have their own semantics and returns true;
 * returns false for `/status` and `/finalize`, which the main verbs handle;
 * throws 404 for any other.
 */
export function serveSubresource(
  api: ClusterApi,
  _req: IncomingMessage,
  res: ServerResponse,
  p: ParsedRequest,
  _body: Buffer,
): boolean {
  const rt = p.rt!;
  if (p.subresource === 'log' && rt.plural === 'pods') {
    const e = mustGet(api, rt, p.namespace ?? '', p.name!);
    const text =
      e.obj.metadata?.annotations?.['lab-cluster.cloud-smart.io/log'] ??
      `lab-cluster: no logs recorded for ${p.name}\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(text);
    return true;
  }
  if (
    !(p.subresource === 'status' && rt.status) &&
    !(p.subresource === 'finalize' && rt.plural === 'namespaces')
  ) {
    throw genericNotFound();
  }
  return false;
}
