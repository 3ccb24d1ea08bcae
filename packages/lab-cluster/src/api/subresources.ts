// Subresources other than the main resource's verbs: pods/log, and the check
// that a requested subresource exists (`/status` where the kind has one,
// namespaces/finalize).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { conflict, genericNotFound, invalid, methodNotAllowed } from './errors';
import { sendJson } from './http';
import { timestamp } from './meta';
import { parseBody } from './requestBody';
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
  req: IncomingMessage,
  res: ServerResponse,
  p: ParsedRequest,
  body: Buffer,
): boolean {
  const rt = p.rt!;
  if (p.subresource === 'binding' && rt.plural === 'pods' && rt.group === '') {
    if (p.verb !== 'create') throw methodNotAllowed();
    bindPod(
      api,
      p.namespace ?? '',
      p.name!,
      parseBody(body, req.headers['content-type']),
    );
    sendJson(res, 201, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
    });
    return true;
  }
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

/** POST pods/{name}/binding: what a scheduler sends; the pod gets spec.nodeName and PodScheduled=True. */
function bindPod(
  api: ClusterApi,
  namespace: string,
  name: string,
  binding: any,
): void {
  const rt = api.registry.lookup('', 'v1', 'pods')!;
  const target = binding?.target;
  if (!target?.name)
    throw invalid('Binding', '', name, [
      {
        field: 'target.name',
        message: 'Required value',
        type: 'FieldValueRequired',
      },
    ]);
  if (target.kind && target.kind !== 'Node')
    throw invalid('Binding', '', name, [
      {
        field: 'target.kind',
        message: `Unsupported value: "${target.kind}": supported values: "Node"`,
      },
    ]);
  const pod = mustGet(api, rt, namespace, name).obj;
  if (pod.spec?.nodeName)
    throw conflict(
      'pods/binding',
      '',
      name,
      `pod ${name} is already assigned to node "${pod.spec.nodeName}"`,
    );
  const bound = api.update(
    rt,
    namespace,
    name,
    {
      ...pod,
      metadata: { ...pod.metadata, resourceVersion: undefined },
      spec: { ...pod.spec, nodeName: target.name },
    },
    'kube-scheduler',
  );
  const conditions = [
    ...(bound.status?.conditions ?? []).filter(
      (c: any) => c.type !== 'PodScheduled',
    ),
    {
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: timestamp(),
    },
  ];
  api.update(
    rt,
    namespace,
    name,
    {
      ...bound,
      metadata: { ...bound.metadata, resourceVersion: undefined },
      status: { ...bound.status, conditions },
    },
    'kube-scheduler',
    'status',
  );
}
