import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { ApiException } from '@kubernetes/client-node';
import { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { runWatch, WatchDeps } from './runWatch';

type Obj = { metadata: { name: string; resourceVersion: string } };

function obj(name: string, rv: number): Obj {
  return { metadata: { name, resourceVersion: String(rv) } };
}

/** A fake API: scripted lists and watch streams the test feeds by hand. */
function fakeDeps() {
  const lists: Array<{ items: Obj[]; resourceVersion: string } | Error> = [];
  const streams: PassThrough[] = [];
  const queries: Array<Record<string, string | undefined>> = [];
  const streamErrors: Error[] = [];
  let listCalls = 0;
  let opened: (s: PassThrough) => void = () => {};
  const deps: WatchDeps<Obj> = {
    clusterName: 'lab-main',
    logger: mockServices.logger.mock(),
    reviver: (_k, v) => v,
    listAll: async () => {
      listCalls += 1;
      const next = lists.shift();
      if (!next) {
        throw new Error('unexpected list');
      }
      if (next instanceof Error) {
        throw next;
      }
      return next;
    },
    openStream: async (query, signal) => {
      queries.push(query);
      const failure = streamErrors.shift();
      if (failure) {
        throw failure;
      }
      const s = new PassThrough();
      signal.addEventListener('abort', () => s.destroy(), { once: true });
      streams.push(s);
      opened(s);
      return {
        response: s as unknown as IncomingMessage,
        close: () => s.destroy(),
      };
    },
  };
  return {
    deps,
    lists,
    streams,
    queries,
    streamErrors,
    get listCalls() {
      return listCalls;
    },
    nextStream: () =>
      new Promise<PassThrough>(resolve => {
        opened = resolve;
      }),
  };
}

function send(s: PassThrough, type: string, object: unknown) {
  s.write(`${JSON.stringify({ type, object })}\n`);
}

async function waitFor(predicate: () => boolean, timeoutMs = 2000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error('condition not met in time');
    }
    await new Promise(r => setTimeout(r, 5));
  }
}

describe('runWatch', () => {
  it('lists, watches, resumes from the last resourceVersion and relists on 410', async () => {
    const f = fakeDeps();
    f.lists.push({ items: [obj('a', 1)], resourceVersion: '10' });
    f.lists.push({ items: [obj('a', 1), obj('c', 30)], resourceVersion: '30' });
    const controller = new AbortController();
    const events: string[] = [];
    const resyncs: string[][] = [];
    let stream = f.nextStream();
    const done = runWatch<Obj>(f.deps, {
      signal: controller.signal,
      onEvent: e => {
        events.push(`${e.type}:${e.object.metadata.name}`);
      },
      onResync: items => {
        resyncs.push(items.map(i => i.metadata.name));
      },
      backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    });

    let s = await stream;
    expect(f.queries[0]).toMatchObject({
      watch: 'true',
      resourceVersion: '10',
      allowWatchBookmarks: 'true',
    });
    send(s, 'ADDED', obj('b', 11));
    send(s, 'BOOKMARK', { metadata: { resourceVersion: '15' } });
    await waitFor(() => events.length === 1);

    // Drop the connection: the watch must resume from the bookmark.
    stream = f.nextStream();
    s.destroy(new Error('socket hang up'));
    s = await stream;
    expect(f.queries[1].resourceVersion).toBe('15');
    send(s, 'MODIFIED', obj('b', 16));
    send(s, 'DELETED', obj('b', 17));
    await waitFor(() => events.length === 3);

    // History gone: relist and hand over the full state.
    stream = f.nextStream();
    send(s, 'ERROR', { kind: 'Status', code: 410, reason: 'Expired' });
    s = await stream;
    expect(f.listCalls).toBe(2);
    expect(f.queries[2].resourceVersion).toBe('30');
    expect(resyncs).toEqual([['a'], ['a', 'c']]);
    expect(events).toEqual(['ADDED:b', 'MODIFIED:b', 'DELETED:b']);

    controller.abort();
    await done;
    expect(s.destroyed).toBe(true);
  });

  it('backs off and reports errors, then recovers', async () => {
    const f = fakeDeps();
    f.lists.push(new ServiceUnavailableError('down'), {
      items: [],
      resourceVersion: '5',
    });
    f.streamErrors.push(
      new ApiException(503, 'x', '{"message":"unavailable"}', {}),
    );
    const errors: string[] = [];
    const controller = new AbortController();
    const stream = f.nextStream();
    const done = runWatch<Obj>(f.deps, {
      signal: controller.signal,
      onEvent: () => {},
      onError: e => errors.push(e.message),
      backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    });
    await stream;
    expect(errors).toEqual([
      'down',
      'Kubernetes cluster "lab-main": unavailable',
    ]);
    expect(f.queries).toHaveLength(2);
    controller.abort();
    await done;
  });

  it('stops promptly while backing off, leaving no timers', async () => {
    const f = fakeDeps();
    f.lists.push(new Error('boom'));
    const controller = new AbortController();
    const done = runWatch<Obj>(f.deps, {
      signal: controller.signal,
      onEvent: () => {},
      backoff: { initialDelayMs: 60_000 },
    });
    await waitFor(() => f.listCalls === 1);
    const started = Date.now();
    controller.abort();
    await done;
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('keeps going when the event handler throws', async () => {
    const f = fakeDeps();
    f.lists.push({ items: [], resourceVersion: '1' });
    const controller = new AbortController();
    const seen: string[] = [];
    const stream = f.nextStream();
    const done = runWatch<Obj>(f.deps, {
      signal: controller.signal,
      onEvent: e => {
        seen.push(e.object.metadata.name);
        if (e.object.metadata.name === 'bad') {
          throw new Error('handler bug');
        }
      },
    });
    const s = await stream;
    send(s, 'ADDED', obj('bad', 2));
    s.write('not json\n');
    send(s, 'ADDED', obj('good', 3));
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual(['bad', 'good']);
    controller.abort();
    await done;
  });
});
