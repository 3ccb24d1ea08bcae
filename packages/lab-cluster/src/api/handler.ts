// The REST semantics of one cluster. ClusterApi routes a parsed request to one
// module per concern:
//   routing.ts     verb/resource/namespace/name of a request, discovery paths
//   read.ts        get, list, watch
//   write.ts       create, update, delete (and admission through ../admission)
//   patching.ts    merge/strategic/JSON patches and server-side apply
//   subresources.ts pods/log and which subresources exist
//   namespaces.ts  namespace lifecycle and CRD removal
import type { IncomingMessage, ServerResponse } from 'node:http';
import { computeUsed } from '../admission/quota';
import {
  combine,
  parseFieldSelector,
  parseLabelSelector,
} from '../store/selectors';
import { ObjectStore } from '../store/store';
import { ApiError, methodNotAllowed } from './errors';
import { sendError, sendJson } from './http';
import { dropCustomResources, finishNamespace } from './namespaces';
import { patchObject } from './patching';
import { listObjects, mustGet, watchObjects } from './read';
import { ResourceRegistry } from './registry';
import { fieldManagerOf, parseBody } from './requestBody';
import { CRD_KEY, ResourceType, apiVersionOf, resourceKey } from './resources';
import { ParsedRequest, parseRequest } from './routing';
import { serveSubresource } from './subresources';
import { toTable, wantsTable } from './table';
import { createObject, deleteObject, updateObject } from './write';

export type { ParsedRequest } from './routing';
export { isWriteVerb } from './routing';
export { readBody, sendError } from './http';

export interface HandlerOptions {
  gitVersion: string;
  bookmarkIntervalMs: number;
  /** Fault hook: ends watches after this many ms when set. */
  dropWatchesAfterMs: () => number | undefined;
}

const POD_KEY = resourceKey('', 'pods');
const QUOTA_KEY = resourceKey('', 'resourcequotas');

export class ClusterApi {
  readonly registry: ResourceRegistry;
  /**
   * Mutating admission run on every create after defaulting, before quota
   * admission (the lab's controllers register Job defaulting and Kueue's
   * suspend webhook here). A hook may throw an ApiError to refuse.
   */
  readonly createHooks: Array<(rt: ResourceType, obj: any) => void> = [];
  private quotaRefreshing = false;

  constructor(readonly store: ObjectStore, readonly options: HandlerOptions) {
    this.registry = new ResourceRegistry(store);
    store.onChange(ev => {
      if (ev.key === POD_KEY || (ev.key === QUOTA_KEY && ev.type !== 'DELETED'))
        this.refreshQuotas(ev.namespace);
      if (ev.key === CRD_KEY && ev.type === 'DELETED')
        dropCustomResources(this, ev.entry.obj);
    });
  }

  /** Works out verb and target of a request without executing it (for auth, faults and metrics). */
  parse(method: string, url: URL, host: string): ParsedRequest {
    return parseRequest(this, method, url, host);
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    parsed: ParsedRequest,
    body: Buffer,
  ): Promise<void> {
    try {
      if (parsed.nonResource) {
        const r = parsed.nonResource();
        if (r.contentType) {
          res.writeHead(r.status, {
            'Content-Type': r.contentType,
            'Content-Length': Buffer.byteLength(r.raw ?? ''),
          });
          res.end(r.raw ?? '');
          return;
        }
        sendJson(res, r.status, r.body);
        return;
      }
      await this.dispatch(req, res, url, parsed, body);
    } catch (e) {
      if (e instanceof ApiError) sendError(res, e);
      else
        sendError(
          res,
          new ApiError(
            500,
            'InternalError',
            `Internal error occurred: ${(e as Error).message}`,
          ),
        );
    }
  }

  private async dispatch(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    p: ParsedRequest,
    body: Buffer,
  ): Promise<void> {
    const rt = p.rt!;
    const q = url.searchParams;
    const accept = req.headers.accept;
    if (p.subresource && serveSubresource(this, req, res, p, body)) return;
    switch (p.verb) {
      case 'get': {
        const e = mustGet(this, rt, p.namespace ?? '', p.name!);
        if (wantsTable(accept))
          sendJson(
            res,
            200,
            toTable(
              rt,
              [e.obj],
              { resourceVersion: e.obj.metadata.resourceVersion },
              q.get('includeObject') ?? 'Metadata',
            ),
          );
        else sendJson(res, 200, null, ObjectStore.json(e));
        return;
      }
      case 'list':
        listObjects(this, res, rt, p.namespace, q, accept);
        return;
      case 'watch':
        watchObjects(this, req, res, rt, p.namespace, q, accept, p.name);
        return;
      case 'create': {
        const obj = parseBody(body, req.headers['content-type']);
        const created = this.create(
          rt,
          p.namespace,
          obj,
          fieldManagerOf(req, q),
          q.get('dryRun') === 'All',
        );
        sendJson(res, 201, created);
        return;
      }
      case 'update': {
        const obj = parseBody(body, req.headers['content-type']);
        const r = this.update(
          rt,
          p.namespace ?? '',
          p.name!,
          obj,
          fieldManagerOf(req, q),
          p.subresource,
        );
        sendJson(res, 200, r);
        return;
      }
      case 'patch': {
        const r = this.patch(
          rt,
          p.namespace ?? '',
          p.name!,
          body,
          req.headers['content-type'] ?? '',
          q,
          fieldManagerOf(req, q),
          p.subresource,
        );
        sendJson(res, r.created ? 201 : 200, r.obj);
        return;
      }
      case 'delete': {
        const opts = body.length ? parseBody(body, 'application/json') : {};
        const r = this.delete(rt, p.namespace ?? '', p.name!, opts);
        sendJson(res, 200, r);
        return;
      }
      case 'deletecollection': {
        const pred = combine(
          parseLabelSelector(q.get('labelSelector')),
          parseFieldSelector(q.get('fieldSelector'), rt.plural),
        );
        const items = this.store
          .list(resourceKey(rt.group, rt.plural), p.namespace)
          .filter(e => !pred || pred(e.obj));
        const deleted = items.map(e =>
          this.delete(
            rt,
            e.obj.metadata.namespace ?? '',
            e.obj.metadata.name,
            {},
          ),
        );
        sendJson(res, 200, {
          kind: `${rt.kind}List`,
          apiVersion: apiVersionOf(rt),
          metadata: {},
          items: deleted,
        });
        return;
      }
      default:
        throw methodNotAllowed();
    }
  }

  /** Shared by POST and by server-side apply of a missing object. */
  create(
    rt: ResourceType,
    namespace: string | undefined,
    input: any,
    manager: string,
    dryRun = false,
    applied = false,
  ): any {
    return createObject(this, rt, namespace, input, manager, dryRun, applied);
  }

  update(
    rt: ResourceType,
    namespace: string,
    name: string,
    input: any,
    manager: string,
    subresource?: string,
  ): any {
    return updateObject(this, rt, namespace, name, input, manager, subresource);
  }

  patch(
    rt: ResourceType,
    namespace: string,
    name: string,
    body: Buffer,
    contentType: string,
    q: URLSearchParams,
    manager: string,
    subresource?: string,
  ): { obj: any; created: boolean } {
    return patchObject(
      this,
      rt,
      namespace,
      name,
      body,
      contentType,
      q,
      manager,
      subresource,
    );
  }

  delete(rt: ResourceType, namespace: string, name: string, options: any): any {
    return deleteObject(this, rt, namespace, name, options);
  }

  /** Namespace controller: deletes the content, then drops the `kubernetes` finalizer. */
  finishNamespace(name: string): void {
    finishNamespace(this, name);
  }

  /** Keeps status.hard/status.used of the namespace's quotas current. */
  refreshQuotas(namespace: string): void {
    if (this.quotaRefreshing || !namespace) return;
    const quotas = this.store.list(QUOTA_KEY, namespace);
    if (quotas.length === 0) return;
    this.quotaRefreshing = true;
    try {
      const pods = this.store.list(POD_KEY, namespace).map(e => e.obj);
      for (const q of quotas) {
        const hard = q.obj.spec?.hard ?? {};
        const status = { hard: { ...hard }, used: computeUsed(hard, pods) };
        if (JSON.stringify(status) === JSON.stringify(q.obj.status)) continue;
        this.store.put(QUOTA_KEY, {
          ...q.obj,
          metadata: { ...q.obj.metadata },
          status,
        });
      }
    } finally {
      this.quotaRefreshing = false;
    }
  }
}
