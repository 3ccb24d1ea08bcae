// Reads: get, list (selectors, paging, Table output) and watch.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Predicate,
  combine,
  parseFieldSelector,
  parseLabelSelector,
} from '../store/selectors';
import { Entry, ObjectStore } from '../store/store';
import { badRequest, expired, notFound } from './errors';
import type { ClusterApi } from './handler';
import { sendJson } from './http';
import { ResourceType, apiVersionOf, resourceKey } from './resources';
import { toTable, wantsTable } from './table';

/** The stored object, or 404 worded like kube-apiserver. */
export function mustGet(
  api: ClusterApi,
  rt: ResourceType,
  namespace: string,
  name: string,
): Entry {
  const e = api.store.get(resourceKey(rt.group, rt.plural), namespace, name);
  if (!e) throw notFound(rt.plural, rt.group, name);
  return e;
}

export function selectorsOf(
  rt: ResourceType,
  q: URLSearchParams,
): Predicate | undefined {
  return combine(
    parseLabelSelector(q.get('labelSelector')),
    parseFieldSelector(q.get('fieldSelector'), rt.plural),
  );
}

/** GET on a collection: selectors, limit/continue paging, Table output. */
export function listObjects(
  api: ClusterApi,
  res: ServerResponse,
  rt: ResourceType,
  namespace: string | undefined,
  q: URLSearchParams,
  accept: string | undefined,
): void {
  const pred = selectorsOf(rt, q);
  const limit = Number(q.get('limit') ?? 0);
  const cont = q.get('continue');
  let listRv = api.store.resourceVersion;
  let after: string | undefined;
  if (cont) {
    try {
      const token = JSON.parse(Buffer.from(cont, 'base64url').toString('utf8'));
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
    if (listRv < api.store.oldestWatchableRv) {
      throw expired(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
  }
  const entries = api.store.list(resourceKey(rt.group, rt.plural), namespace);
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

/** A watch stream: initial ADDED events, resume from resourceVersion, bookmarks, timeouts. */
export function watchObjects(
  api: ClusterApi,
  req: IncomingMessage,
  res: ServerResponse,
  rt: ResourceType,
  namespace: string | undefined,
  q: URLSearchParams,
  accept: string | undefined,
  name?: string,
): void {
  const pred = combine(
    selectorsOf(rt, q),
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
    for (const e of api.store.list(key, namespace))
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
    stop = api.store.watch(
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
      `too old resource version: ${rvParam} (${api.store.oldestWatchableRv})`,
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
            metadata: { resourceVersion: String(api.store.resourceVersion) },
          },
        });
      }, api.options.bookmarkIntervalMs),
    );
  }
  const timeout = Number(q.get('timeoutSeconds') ?? 0);
  if (timeout > 0) timers.push(setTimeout(finish, timeout * 1000));
  const drop = api.options.dropWatchesAfterMs();
  if (drop !== undefined) timers.push(setTimeout(() => res.destroy(), drop));
  // Watches are long-lived: end them with the connection, and with the server (see ClusterServer.stop).
  req.on('close', finish);
  res.on('close', finish);
}
