// The REST semantics of one cluster: routing, CRUD, list/watch, patches,
// server-side apply, finalizers, namespace lifecycle and admission.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { applyPodDefaults } from '../admission/limitRange';
import { admitPod, computeUsed } from '../admission/quota';
import { validateLabels, validateName } from '../admission/validation';
import {
  Predicate,
  combine,
  parseFieldSelector,
  parseLabelSelector,
} from '../store/selectors';
import { Entry, ObjectStore } from '../store/store';
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  forbidden,
  genericNotFound,
  invalid,
  methodNotAllowed,
  notFound,
} from './errors';
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  groupVersions,
  openApiV3GroupVersion,
  openApiV3Index,
  versionInfo,
} from './discovery';
import { recordUpdate, serverSideApply } from './managedFields';
import { newUid, randomSuffix, specOf, timestamp } from './meta';
import { clone, jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { ResourceRegistry } from './registry';
import { CRD_KEY, ResourceType, apiVersionOf, resourceKey } from './resources';
import { toTable, wantsTable } from './table';

export interface ParsedRequest {
  verb: string;
  /** Metrics label: plural, plus `/sub` for subresources. */
  resource: string;
  rt?: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Set for non-resource paths (discovery, openapi, version). */
  nonResource?: () => {
    status: number;
    body: unknown;
    contentType?: string;
    raw?: string;
  };
}

export interface HandlerOptions {
  gitVersion: string;
  bookmarkIntervalMs: number;
  /** Fault hook: ends watches after this many ms when set. */
  dropWatchesAfterMs: () => number | undefined;
}

const NS_KEY = resourceKey('', 'namespaces');
const POD_KEY = resourceKey('', 'pods');
const QUOTA_KEY = resourceKey('', 'resourcequotas');
const LIMIT_RANGE_KEY = resourceKey('', 'limitranges');
const WRITE_VERBS = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
]);

export function isWriteVerb(verb: string): boolean {
  return WRITE_VERBS.has(verb);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  raw?: string,
): void {
  const text = raw ?? JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, err.code, err.toStatus());
}

export class ClusterApi {
  readonly registry: ResourceRegistry;
  private quotaRefreshing = false;

  constructor(
    readonly store: ObjectStore,
    private readonly options: HandlerOptions,
  ) {
    this.registry = new ResourceRegistry(store);
    store.onChange(ev => {
      if (ev.key === POD_KEY || (ev.key === QUOTA_KEY && ev.type !== 'DELETED'))
        this.refreshQuotas(ev.namespace);
      if (ev.key === CRD_KEY && ev.type === 'DELETED')
        this.dropCustomResources(ev.entry.obj);
    });
  }

  /** Works out verb and target of a request without executing it (for auth, faults and metrics). */
  parse(method: string, url: URL, host: string): ParsedRequest {
    const parts = url.pathname.split('/').filter(Boolean);
    const q = url.searchParams;
    const all = () => this.registry.all();
    const nr = (
      body: () => unknown,
      extra: Partial<
        ReturnType<NonNullable<ParsedRequest['nonResource']>>
      > = {},
    ): ParsedRequest => ({
      verb: 'get',
      resource: 'discovery',
      nonResource: () => ({ status: 200, body: body(), ...extra }),
    });
    if (parts.length === 1 && parts[0] === 'version')
      return nr(() => versionInfo(this.options.gitVersion));
    if (parts[0] === 'openapi') {
      if (parts[1] === 'v2') {
        // An empty protobuf Document: kubectl then falls back to its compiled-in patch metadata.
        return {
          verb: 'get',
          resource: 'openapi',
          nonResource: () => ({
            status: 200,
            body: null,
            raw: '',
            contentType:
              'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
          }),
        };
      }
      if (parts[1] === 'v3' && parts.length === 2)
        return nr(() =>
          openApiV3Index(all(), String(this.store.resourceVersion)),
        );
      if (parts[1] === 'v3') {
        const gv =
          parts[2] === 'api'
            ? parts.slice(3).join('/')
            : parts.slice(3).join('/');
        const resources = groupVersions(all()).get(gv);
        if (!resources)
          return {
            verb: 'get',
            resource: 'openapi',
            nonResource: () => ({
              status: 404,
              body: genericNotFound().toStatus(),
            }),
          };
        return nr(() =>
          openApiV3GroupVersion(resources, this.options.gitVersion),
        );
      }
    }
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api') {
      if (parts.length === 1) return nr(() => apiVersions(host));
      group = '';
      version = parts[1];
      rest = parts.slice(2);
    } else if (parts[0] === 'apis') {
      if (parts.length === 1) return nr(() => apiGroupList(all()));
      if (parts.length === 2) {
        const g = apiGroup(all(), parts[1]);
        return g
          ? nr(() => g)
          : {
              verb: 'get',
              resource: 'discovery',
              nonResource: () => ({
                status: 404,
                body: genericNotFound().toStatus(),
              }),
            };
      }
      group = parts[1];
      version = parts[2];
      rest = parts.slice(3);
    } else {
      return {
        verb: 'get',
        resource: 'unknown',
        nonResource: () => ({
          status: 404,
          body: genericNotFound().toStatus(),
        }),
      };
    }
    const gv = group ? `${group}/${version}` : version;
    if (rest.length === 0) {
      const resources = groupVersions(all()).get(gv);
      if (!resources)
        return {
          verb: 'get',
          resource: 'discovery',
          nonResource: () => ({
            status: 404,
            body: genericNotFound().toStatus(),
          }),
        };
      return nr(() => apiResourceList(gv, resources));
    }
    let watch = q.get('watch') === 'true' || q.get('watch') === '1';
    if (rest[0] === 'watch') {
      watch = true;
      rest = rest.slice(1);
    }
    let namespace: string | undefined;
    if (
      rest[0] === 'namespaces' &&
      rest.length >= 3 &&
      !(rest.length === 3 && ['status', 'finalize'].includes(rest[2]))
    ) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource] = rest;
    const rt = this.registry.lookup(group, version, plural);
    const resource = subresource ? `${plural}/${subresource}` : plural;
    let verb: string;
    switch (method) {
      case 'GET':
        if (watch) verb = 'watch';
        else verb = name ? 'get' : 'list';
        break;
      case 'POST':
        verb = 'create';
        break;
      case 'PUT':
        verb = 'update';
        break;
      case 'PATCH':
        verb = 'patch';
        break;
      case 'DELETE':
        verb = name ? 'delete' : 'deletecollection';
        break;
      default:
        verb = method.toLowerCase();
    }
    if (
      !rt ||
      rest.length > 3 ||
      (rt && !rt.namespaced && namespace !== undefined)
    ) {
      return {
        verb,
        resource,
        nonResource: () => ({
          status: 404,
          body: genericNotFound().toStatus(),
        }),
      };
    }
    return { verb, resource, rt, namespace, name, subresource };
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
    if (p.subresource === 'log' && rt.plural === 'pods') {
      const e = this.mustGet(rt, p.namespace ?? '', p.name!);
      const text =
        e.obj.metadata?.annotations?.['lab-cluster.cloud-smart.io/log'] ??
        `lab-cluster: no logs recorded for ${p.name}\n`;
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(text);
      return;
    }
    if (
      p.subresource &&
      !(p.subresource === 'status' && rt.status) &&
      !(p.subresource === 'finalize' && rt.plural === 'namespaces')
    ) {
      throw genericNotFound();
    }
    switch (p.verb) {
      case 'get': {
        const e = this.mustGet(rt, p.namespace ?? '', p.name!);
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
        this.list(res, rt, p.namespace, q, accept);
        return;
      case 'watch':
        this.watch(req, res, rt, p.namespace, q, accept, p.name);
        return;
      case 'create': {
        const obj = this.parseBody(body, req.headers['content-type']);
        const created = this.create(
          rt,
          p.namespace,
          obj,
          this.manager(req, q),
          q.get('dryRun') === 'All',
        );
        sendJson(res, 201, created);
        return;
      }
      case 'update': {
        const obj = this.parseBody(body, req.headers['content-type']);
        const r = this.update(
          rt,
          p.namespace ?? '',
          p.name!,
          obj,
          this.manager(req, q),
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
          this.manager(req, q),
          p.subresource,
        );
        sendJson(res, r.created ? 201 : 200, r.obj);
        return;
      }
      case 'delete': {
        const opts = body.length
          ? this.parseBody(body, 'application/json')
          : {};
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

  private manager(req: IncomingMessage, q: URLSearchParams): string {
    const explicit = q.get('fieldManager');
    if (explicit) return explicit;
    const ua = req.headers['user-agent'] ?? 'unknown';
    return ua.split('/')[0] || 'unknown';
  }

  private parseBody(body: Buffer, contentType: string | undefined): any {
    const text = body.toString('utf8');
    if (text.trim() === '')
      throw badRequest(
        'the server rejected our request due to an error in our request: empty body',
      );
    try {
      if (contentType && /yaml/.test(contentType)) return parseYaml(text);
      return JSON.parse(text);
    } catch (e) {
      throw badRequest(
        `the server rejected our request due to an error in our request: ${
          (e as Error).message
        }`,
      );
    }
  }

  private mustGet(rt: ResourceType, namespace: string, name: string): Entry {
    const e = this.store.get(resourceKey(rt.group, rt.plural), namespace, name);
    if (!e) throw notFound(rt.plural, rt.group, name);
    return e;
  }

  private selectors(
    rt: ResourceType,
    q: URLSearchParams,
  ): Predicate | undefined {
    return combine(
      parseLabelSelector(q.get('labelSelector')),
      parseFieldSelector(q.get('fieldSelector'), rt.plural),
    );
  }

  private list(
    res: ServerResponse,
    rt: ResourceType,
    namespace: string | undefined,
    q: URLSearchParams,
    accept: string | undefined,
  ): void {
    const pred = this.selectors(rt, q);
    const limit = Number(q.get('limit') ?? 0);
    const cont = q.get('continue');
    let listRv = this.store.resourceVersion;
    let after: string | undefined;
    if (cont) {
      try {
        const token = JSON.parse(
          Buffer.from(cont, 'base64url').toString('utf8'),
        );
        listRv = Number(token.rv);
        after = String(token.start);
        if (!Number.isFinite(listRv) || typeof token.start !== 'string')
          throw new Error('bad token');
      } catch {
        throw badRequest(
          'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
        );
      }
      // Like etcd compaction: once the history the token was issued at is gone, it expires.
      if (listRv < this.store.oldestWatchableRv) {
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
    }
    const entries = this.store.list(
      resourceKey(rt.group, rt.plural),
      namespace,
    );
    const selected: Entry[] = [];
    let remaining = 0;
    let nextStart: string | undefined;
    for (const e of entries) {
      const key = `${e.obj.metadata.namespace ?? ''}/${e.obj.metadata.name}`;
      if (after !== undefined && key <= after) continue;
      if (pred && !pred(e.obj)) continue;
      if (limit > 0 && selected.length >= limit) {
        remaining++;
        continue;
      }
      selected.push(e);
      if (limit > 0 && selected.length === limit) nextStart = key;
    }
    const meta: Record<string, unknown> = { resourceVersion: String(listRv) };
    if (remaining > 0 && nextStart !== undefined) {
      meta.continue = Buffer.from(
        JSON.stringify({ v: 'meta.k8s.io/v1', rv: listRv, start: nextStart }),
      ).toString('base64url');
      meta.remainingItemCount = remaining;
    }
    if (wantsTable(accept)) {
      sendJson(
        res,
        200,
        toTable(
          rt,
          selected.map(e => e.obj),
          meta,
          q.get('includeObject') ?? 'Metadata',
        ),
      );
      return;
    }
    const head = `{"kind":"${rt.kind}List","apiVersion":"${apiVersionOf(
      rt,
    )}","metadata":${JSON.stringify(meta)},"items":[`;
    const raw = `${head}${selected.map(e => ObjectStore.json(e)).join(',')}]}`;
    sendJson(res, 200, null, raw);
  }

  private watch(
    req: IncomingMessage,
    res: ServerResponse,
    rt: ResourceType,
    namespace: string | undefined,
    q: URLSearchParams,
    accept: string | undefined,
    name?: string,
  ): void {
    const pred = combine(
      this.selectors(rt, q),
      name ? (o: any) => o.metadata?.name === name : undefined,
    );
    const key = resourceKey(rt.group, rt.plural);
    const table = wantsTable(accept);
    const includeObject = q.get('includeObject') ?? 'Metadata';
    const rvParam = q.get('resourceVersion');
    let firstTable = true;
    const encode = (type: string, entry: Entry): string => {
      if (type === 'BOOKMARK' || type === 'ERROR')
        return `{"type":"${type}","object":${JSON.stringify(entry.obj)}}\n`;
      if (table) {
        const t = toTable(
          rt,
          [entry.obj],
          { resourceVersion: entry.obj.metadata.resourceVersion },
          includeObject,
          firstTable,
        );
        firstTable = false;
        return `{"type":"${type}","object":${JSON.stringify(t)}}\n`;
      }
      return `{"type":"${type}","object":${ObjectStore.json(entry)}}\n`;
    };
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    let stop: () => void = () => {};
    const finish = () => {
      if (closed) return;
      closed = true;
      stop();
      for (const t of timers) {
        clearTimeout(t);
        clearInterval(t);
      }
      res.end();
    };
    const write = (type: string, entry: Entry) => {
      if (!closed) res.write(encode(type, entry));
    };
    let fromRv: number | undefined;
    if (!rvParam || rvParam === '0') {
      for (const e of this.store.list(key, namespace))
        if (!pred || pred(e.obj)) write('ADDED', e);
    } else {
      fromRv = Number(rvParam);
      if (!Number.isFinite(fromRv)) {
        write('ERROR', {
          obj: badRequest(`invalid resource version: ${rvParam}`).toStatus(),
          rv: 0,
        });
        finish();
        return;
      }
    }
    try {
      stop = this.store.watch(
        {
          key,
          namespace,
          predicate: pred,
          onEvent: (type, entry) => write(type, entry),
        },
        fromRv,
      );
    } catch {
      const err = expired(
        `too old resource version: ${rvParam} (${this.store.oldestWatchableRv})`,
      );
      write('ERROR', { obj: err.toStatus(), rv: 0 });
      finish();
      return;
    }
    if (q.get('allowWatchBookmarks') === 'true') {
      timers.push(
        setInterval(() => {
          write('BOOKMARK', {
            rv: 0,
            obj: {
              kind: rt.kind,
              apiVersion: apiVersionOf(rt),
              metadata: { resourceVersion: String(this.store.resourceVersion) },
            },
          });
        }, this.options.bookmarkIntervalMs),
      );
    }
    const timeout = Number(q.get('timeoutSeconds') ?? 0);
    if (timeout > 0) timers.push(setTimeout(finish, timeout * 1000));
    const drop = this.options.dropWatchesAfterMs();
    if (drop !== undefined) timers.push(setTimeout(() => res.destroy(), drop));
    // Watches are long-lived: end them with the connection, and with the server (see ClusterServer.stop).
    req.on('close', finish);
    res.on('close', finish);
  }

  // ---- writes ----

  private checkNamespace(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
  ): void {
    if (!rt.namespaced) return;
    const ns = this.store.get(NS_KEY, '', namespace ?? '');
    if (!ns) throw notFound('namespaces', '', namespace ?? '');
    if (
      ns.obj.metadata.deletionTimestamp ||
      ns.obj.status?.phase === 'Terminating'
    ) {
      throw forbidden(
        rt.plural,
        rt.group,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private validate(rt: ResourceType, obj: any): void {
    const causes = [
      ...validateName(rt.plural, obj.metadata?.name),
      ...validateLabels(obj),
    ];
    if (causes.length)
      throw invalid(
        rt.kind,
        rt.group,
        String(obj.metadata?.name ?? ''),
        causes,
      );
  }

  private normalizeNew(
    rt: ResourceType,
    obj: any,
    namespace: string | undefined,
  ): any {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
      throw badRequest(
        'the server rejected our request due to an error in our request: object expected',
      );
    if (obj.kind && obj.kind !== rt.kind) {
      throw badRequest(
        `the API version in the data (${
          obj.apiVersion
        }) does not match the expected API version (${apiVersionOf(rt)})`,
      );
    }
    obj.kind = rt.kind;
    obj.apiVersion = apiVersionOf(rt);
    obj.metadata = obj.metadata ?? {};
    if (rt.namespaced) {
      if (
        obj.metadata.namespace &&
        namespace &&
        obj.metadata.namespace !== namespace
      ) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      obj.metadata.namespace = namespace ?? obj.metadata.namespace;
    } else {
      delete obj.metadata.namespace;
    }
    return obj;
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
    const obj = this.normalizeNew(rt, clone(input), namespace);
    if (!obj.metadata.name && obj.metadata.generateName)
      obj.metadata.name = `${obj.metadata.generateName}${randomSuffix()}`;
    this.validate(rt, obj);
    const key = resourceKey(rt.group, rt.plural);
    const name = obj.metadata.name;
    if (this.store.get(key, obj.metadata.namespace ?? '', name))
      throw alreadyExists(rt.plural, rt.group, name);
    this.checkNamespace(rt, obj.metadata.namespace, name);
    this.defaults(rt, obj);
    if (key === POD_KEY) {
      const ns = obj.metadata.namespace;
      applyPodDefaults(
        obj,
        this.store.list(LIMIT_RANGE_KEY, ns).map(e => e.obj),
      );
      admitPod(
        obj,
        this.store.list(QUOTA_KEY, ns).map(e => e.obj),
        this.store.list(POD_KEY, ns).map(e => e.obj),
      );
    }
    obj.metadata.uid = newUid();
    obj.metadata.creationTimestamp = timestamp();
    obj.metadata.generation = 1;
    delete obj.metadata.deletionTimestamp;
    delete obj.metadata.resourceVersion;
    if (!applied)
      recordUpdate(undefined, obj, manager, obj.apiVersion, undefined);
    if (dryRun) return obj;
    return this.store.put(key, obj).obj;
  }

  private defaults(rt: ResourceType, obj: any): void {
    if (rt.group !== '' && rt.group !== 'apiextensions.k8s.io') return;
    if (rt.plural === 'namespaces') {
      obj.spec = { finalizers: ['kubernetes'], ...(obj.spec ?? {}) };
      obj.status = { phase: 'Active' };
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': obj.metadata.name,
      };
    }
    if (rt.plural === 'pods') {
      obj.status = {
        phase: 'Pending',
        qosClass: 'BestEffort',
        ...(obj.status ?? {}),
      };
    }
    if (rt.plural === 'customresourcedefinitions') {
      obj.status = {
        conditions: [
          {
            type: 'NamesAccepted',
            status: 'True',
            reason: 'NoConflicts',
            message: 'no conflicts found',
            lastTransitionTime: timestamp(),
          },
          {
            type: 'Established',
            status: 'True',
            reason: 'InitialNamesAccepted',
            message: 'the initial names have been accepted',
            lastTransitionTime: timestamp(),
          },
        ],
        acceptedNames: obj.spec?.names ?? {},
        storedVersions: (obj.spec?.versions ?? [])
          .filter((v: any) => v.storage)
          .map((v: any) => v.name),
      };
    }
  }

  /**
   * Common tail of PUT, PATCH and apply: optimistic concurrency, status
   * subresource split, generation, finalizer-driven deletion, ownership.
   */
  private commit(
    rt: ResourceType,
    existing: Entry,
    input: any,
    manager: string,
    subresource: string | undefined,
    applied: boolean,
  ): any {
    const old = existing.obj;
    const name = old.metadata.name;
    let next = input;
    if (typeof next !== 'object' || next === null)
      throw badRequest(
        'the server rejected our request due to an error in our request: object expected',
      );
    next.metadata = next.metadata ?? {};
    if (next.metadata.name !== undefined && next.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    if (
      next.metadata.resourceVersion &&
      next.metadata.resourceVersion !== old.metadata.resourceVersion
    ) {
      throw conflict(
        rt.plural,
        rt.group,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (subresource === 'status') {
      next = { ...old, status: next.status };
    } else if (rt.status && subresource !== 'finalize') {
      next = { ...next, status: old.status };
      if (next.status === undefined) delete next.status;
    }
    next.kind = rt.kind;
    next.apiVersion = apiVersionOf(rt);
    next.metadata = {
      ...next.metadata,
      name,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      generation: old.metadata.generation ?? 1,
      ...(old.metadata.namespace ? { namespace: old.metadata.namespace } : {}),
      ...(old.metadata.deletionTimestamp
        ? { deletionTimestamp: old.metadata.deletionTimestamp }
        : {}),
    };
    const causes = validateLabels(next);
    if (causes.length) throw invalid(rt.kind, rt.group, name, causes);
    if (specOf(next) !== specOf(old))
      next.metadata.generation = (old.metadata.generation ?? 1) + 1;
    if (!applied)
      recordUpdate(old, next, manager, next.apiVersion, subresource);
    const key = resourceKey(rt.group, rt.plural);
    if (
      next.metadata.deletionTimestamp &&
      !(next.metadata.finalizers?.length > 0)
    ) {
      if (rt.plural === 'namespaces' && rt.group === '') {
        // Namespaces also wait for their spec.finalizers (the content cleanup).
        if (!(next.spec?.finalizers?.length > 0))
          return this.store.remove(key, '', name)!.obj;
        return this.store.put(key, next).obj;
      }
      return this.store.remove(key, next.metadata.namespace ?? '', name)!.obj;
    }
    // Nothing changed: keep the resourceVersion, like the real server's no-op updates.
    const { resourceVersion: _a, managedFields: _b, ...nm } = next.metadata;
    const { resourceVersion: _c, managedFields: _d, ...om } = old.metadata;
    if (
      JSON.stringify({ ...next, metadata: nm }) ===
        JSON.stringify({ ...old, metadata: om }) &&
      !applied
    )
      return old;
    return this.store.put(key, next).obj;
  }

  update(
    rt: ResourceType,
    namespace: string,
    name: string,
    input: any,
    manager: string,
    subresource?: string,
  ): any {
    const existing = this.mustGet(rt, namespace, name);
    const next = clone(input);
    if (
      next &&
      typeof next === 'object' &&
      next.kind &&
      next.kind !== rt.kind
    ) {
      throw badRequest(
        `the API version in the data (${
          next.apiVersion
        }) does not match the expected API version (${apiVersionOf(rt)})`,
      );
    }
    return this.commit(rt, existing, next, manager, subresource, false);
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
    const type = contentType.split(';')[0].trim();
    if (
      type === 'application/apply-patch+yaml' ||
      type === 'application/apply-patch+cbor'
    ) {
      return this.apply(
        rt,
        namespace,
        name,
        this.parseBody(body, 'yaml'),
        q,
        subresource,
      );
    }
    const existing = this.mustGet(rt, namespace, name);
    const patchBody = this.parseBody(body, 'application/json');
    let next: any;
    switch (type) {
      case 'application/merge-patch+json':
        next = mergePatch(clone(existing.obj), patchBody);
        break;
      case 'application/strategic-merge-patch+json':
        if (
          rt.group !== '' &&
          ![
            'apps',
            'batch',
            'autoscaling',
            'networking.k8s.io',
            'rbac.authorization.k8s.io',
          ].includes(rt.group)
        ) {
          throw new ApiError(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        }
        next = strategicMergePatch(clone(existing.obj), patchBody);
        break;
      case 'application/json-patch+json':
        next = jsonPatch(existing.obj, patchBody);
        break;
      default:
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        );
    }
    // A patch never carries a precondition unless it sets resourceVersion itself.
    if (patchBody?.metadata?.resourceVersion === undefined && next?.metadata)
      next.metadata.resourceVersion = existing.obj.metadata.resourceVersion;
    return {
      obj: this.commit(rt, existing, next, manager, subresource, false),
      created: false,
    };
  }

  private apply(
    rt: ResourceType,
    namespace: string,
    name: string,
    applied: any,
    q: URLSearchParams,
    subresource?: string,
  ): { obj: any; created: boolean } {
    const manager = q.get('fieldManager');
    if (!manager)
      throw badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    if (!applied || typeof applied !== 'object')
      throw badRequest(
        'the server rejected our request due to an error in our request: object expected',
      );
    if (
      applied.kind !== rt.kind ||
      (applied.apiVersion && applied.apiVersion !== apiVersionOf(rt))
    ) {
      throw badRequest(
        `the API version in the data (${
          applied.apiVersion
        }) does not match the expected API version (${apiVersionOf(rt)})`,
      );
    }
    if (applied.metadata?.name && applied.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    const force = q.get('force') === 'true';
    const existing = this.store.get(
      resourceKey(rt.group, rt.plural),
      namespace,
      name,
    );
    const includeStatus = subresource === 'status' || !rt.status;
    if (!existing) {
      const merged = serverSideApply(
        undefined,
        applied,
        manager,
        force,
        apiVersionOf(rt),
        includeStatus,
      );
      merged.metadata = { ...merged.metadata, name };
      return {
        obj: this.create(
          rt,
          namespace || undefined,
          merged,
          manager,
          q.get('dryRun') === 'All',
          true,
        ),
        created: true,
      };
    }
    const merged = serverSideApply(
      existing.obj,
      applied,
      manager,
      force,
      apiVersionOf(rt),
      includeStatus,
    );
    merged.metadata.resourceVersion =
      applied.metadata?.resourceVersion ??
      existing.obj.metadata.resourceVersion;
    return {
      obj: this.commit(rt, existing, merged, manager, subresource, true),
      created: false,
    };
  }

  delete(rt: ResourceType, namespace: string, name: string, options: any): any {
    const key = resourceKey(rt.group, rt.plural);
    const existing = this.mustGet(rt, namespace, name);
    const pre = options?.preconditions ?? {};
    if (pre.uid && pre.uid !== existing.obj.metadata.uid) {
      throw conflict(
        rt.plural,
        rt.group,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.obj.metadata.uid}`,
      );
    }
    if (
      pre.resourceVersion &&
      pre.resourceVersion !== existing.obj.metadata.resourceVersion
    ) {
      throw conflict(
        rt.plural,
        rt.group,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.obj.metadata.resourceVersion}`,
      );
    }
    if (key === NS_KEY) return this.deleteNamespace(existing);
    if (existing.obj.metadata.finalizers?.length > 0) {
      if (existing.obj.metadata.deletionTimestamp) return existing.obj;
      const next = clone(existing.obj);
      next.metadata.deletionTimestamp = timestamp();
      next.metadata.deletionGracePeriodSeconds = 0;
      return this.store.put(key, next).obj;
    }
    const removed = this.store.remove(key, namespace, name)!;
    if (rt.plural === 'pods' && rt.group === '') return removed.obj;
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name,
        group: rt.group || undefined,
        kind: rt.plural,
        uid: existing.obj.metadata.uid,
      },
    };
  }

  private deleteNamespace(existing: Entry): any {
    const name = existing.obj.metadata.name;
    if (existing.obj.metadata.deletionTimestamp) return existing.obj;
    const next = clone(existing.obj);
    next.metadata.deletionTimestamp = timestamp();
    next.status = { ...(next.status ?? {}), phase: 'Terminating' };
    const stored = this.store.put(NS_KEY, next).obj;
    // The namespace controller runs asynchronously in a real cluster; a short delay
    // lets clients observe the Terminating phase before the content goes away.
    setTimeout(() => this.finishNamespace(name), 20).unref();
    return stored;
  }

  /** Namespace controller: deletes the content, then drops the `kubernetes` finalizer. */
  finishNamespace(name: string): void {
    const ns = this.store.get(NS_KEY, '', name);
    if (!ns || !ns.obj.metadata.deletionTimestamp) return;
    for (const key of this.store.keysWithNamespace(name)) {
      for (const e of this.store.list(key, name)) {
        const [group, plural] = key.split('/');
        const rt = this.registry
          .all()
          .find(r => r.group === group && r.plural === plural);
        if (!rt) {
          this.store.remove(key, name, e.obj.metadata.name);
          continue;
        }
        try {
          this.delete(rt, name, e.obj.metadata.name, {});
        } catch {
          // Already gone: nothing to do.
        }
      }
    }
    if (this.store.keysWithNamespace(name).length > 0) {
      // Objects held by finalizers: check again later, like the controller's requeue.
      setTimeout(() => this.finishNamespace(name), 200).unref();
      return;
    }
    const current = this.store.get(NS_KEY, '', name)!;
    const next = clone(current.obj);
    next.spec = { ...(next.spec ?? {}), finalizers: [] };
    if (next.metadata.finalizers?.length > 0) {
      this.store.put(NS_KEY, next);
      return;
    }
    this.store.remove(NS_KEY, '', name);
  }

  private dropCustomResources(crd: any): void {
    const plural = crd?.spec?.names?.plural;
    const group = crd?.spec?.group;
    if (!plural || !group) return;
    const key = resourceKey(group, plural);
    for (const e of this.store.list(key))
      this.store.remove(
        key,
        e.obj.metadata.namespace ?? '',
        e.obj.metadata.name,
      );
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

export function readBody(
  req: IncomingMessage,
  maxBytes = 32 * 1024 * 1024,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        reject(
          new ApiError(
            413,
            'RequestEntityTooLarge',
            'request entity too large',
          ),
        );
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
