import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import type { KubernetesObject, V1LimitRange } from '@kubernetes/client-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kubernetesResourceTypes } from '../client/resources';
import { DefaultKubernetesAccess } from './DefaultKubernetesAccess';

// Integration tests against the loopback lab cluster (real HTTP, real
// Kubernetes semantics). A self-contained fixture keeps the tokens known.
const ADMIN = 'admin-token';
const READ_ONLY = 'read-only-token';
const WATCH_HISTORY = 50;

const fixture = {
  clusters: ['lab-main', 'lab-edge'].map(name => ({
    name,
    tokens: { admin: `${name}-${ADMIN}`, readOnly: `${name}-${READ_ONLY}` },
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team-a', labels: { team: 'a' } },
      },
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'team-b', labels: { team: 'b' } },
      },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-w' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-r' } },
    ],
  })),
};

const FM = 'portal-test';
const logger = mockServices.logger.mock();

function limitRange(
  name: string,
  namespace: string,
  labels: Record<string, string> = {},
): V1LimitRange {
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name, namespace, labels },
    spec: {
      limits: [
        { type: 'Container', _default: { cpu: '500m' }, max: { cpu: '2' } },
      ],
    },
  };
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

async function waitFor(predicate: () => boolean, timeoutMs = 10_000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) {
      throw new Error('condition not met in time');
    }
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('DefaultKubernetesAccess against the lab cluster', () => {
  let fleet: LabFleet;
  let access: DefaultKubernetesAccess;
  let tmp: string;

  beforeAll(async () => {
    fleet = await startLabFleet({
      fixture,
      basePort: 0,
      watchHistory: WATCH_HISTORY,
      bookmarkIntervalMs: 200,
    } as any);
    const main = fleet.clusters.find(c => c.name === 'lab-main')!;
    const edge = fleet.clusters.find(c => c.name === 'lab-edge')!;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-access-it-'));
    const kubeconfigPath = path.join(tmp, 'kubeconfig');
    await fleet.writeKubeconfig(kubeconfigPath);
    const caData = fs
      .readFileSync(
        path.join(
          path.dirname(require.resolve('@internal/lab-cluster/package.json')),
          'fixtures',
          'tls.crt',
        ),
      )
      .toString('base64');
    const config = new ConfigReader({
      kubernetesAccess: {
        defaultTimeoutMs: 2000,
        clusters: [
          {
            name: 'lab-main',
            url: main.url,
            auth: {
              provider: 'serviceAccount',
              serviceAccountToken: main.token,
            },
          },
          {
            name: 'lab-edge',
            url: edge.url,
            timeoutMs: 400,
            auth: {
              provider: 'serviceAccount',
              serviceAccountToken: edge.token,
            },
          },
          {
            name: 'main-bad-token',
            url: main.url,
            auth: { provider: 'serviceAccount', serviceAccountToken: 'wrong' },
          },
          {
            name: 'main-read-only',
            url: main.url,
            auth: {
              provider: 'serviceAccount',
              serviceAccountToken: `lab-main-${READ_ONLY}`,
            },
          },
          {
            name: 'main-tls',
            url: (main as any).httpsUrl,
            caData,
            auth: {
              provider: 'serviceAccount',
              serviceAccountToken: main.token,
            },
          },
          {
            name: 'main-tls-untrusted',
            url: (main as any).httpsUrl,
            auth: {
              provider: 'serviceAccount',
              serviceAccountToken: main.token,
            },
          },
          {
            name: 'edge-kubeconfig',
            auth: {
              provider: 'kubeconfig',
              kubeconfigPath,
              context: 'lab-edge',
            },
          },
        ],
      },
    });
    access = DefaultKubernetesAccess.fromConfig(config, { logger });
  });

  afterEach(async () => {
    await fleet.cluster('lab-main').faults.clear();
    await fleet.cluster('lab-edge').faults.clear();
  });

  afterAll(async () => {
    await fleet?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const main = () => access.forCluster('lab-main', { fieldManager: FM });

  describe('reads', () => {
    it('gets and lists typed objects with revived timestamps', async () => {
      const ns = await main().namespaces.get('team-a');
      expect(ns.kind).toBe('Namespace');
      expect(ns.metadata?.creationTimestamp).toBeInstanceOf(Date);

      const list = await main().namespaces.list({ labelSelector: 'team=b' });
      expect(list.items.map(n => n.metadata?.name)).toEqual(['team-b']);
      expect(list.resourceVersion).toMatch(/^\d+$/);
      expect(list.items[0].apiVersion).toBe('v1');
    });

    it('pages with limit/continue and the async iterator', async () => {
      const pages: string[][] = [];
      for await (const page of main().namespaces.listPages({ limit: 2 })) {
        pages.push(page.items.map(n => n.metadata!.name!));
      }
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.every(p => p.length <= 2)).toBe(true);
      const all = await main().namespaces.listAll();
      expect(pages.flat()).toEqual(all.map(n => n.metadata!.name));
      expect(all.map(n => n.metadata!.name)).toEqual(
        expect.arrayContaining(['team-a', 'team-b']),
      );
    });

    it('works through a kubeconfig file and context', async () => {
      const client = access.forCluster('edge-kubeconfig', { fieldManager: FM });
      expect(client.cluster.url).toBe(
        (fleet.clusters.find(c => c.name === 'lab-edge') as any).httpsUrl,
      );
      expect(client.cluster.url).toMatch(/^https:/);
      const ns = await client.namespaces.get('team-a');
      expect(ns.metadata?.name).toBe('team-a');
    });

    it('verifies TLS with caData and rejects an untrusted server', async () => {
      const trusted = access.forCluster('main-tls', { fieldManager: FM });
      await expect(trusted.namespaces.get('team-a')).resolves.toMatchObject({
        metadata: { name: 'team-a' },
      });
      const untrusted = access.forCluster('main-tls-untrusted', {
        fieldManager: FM,
      });
      const error = await caught(untrusted.namespaces.get('team-a'));
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain('TLS verification failed');
    });

    it('throws NotFoundError for unknown clusters', () => {
      expect(() => access.forCluster('nope', { fieldManager: FM })).toThrow(
        NotFoundError,
      );
    });
  });

  describe('error translation', () => {
    it('404 -> NotFoundError with the Status message', async () => {
      const error = await caught(main().pods.get('x', { namespace: 'team-a' }));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toBe(
        'Kubernetes cluster "lab-main": pods "x" not found',
      );
    });

    it('422 -> InputError for an invalid name', async () => {
      const error = await caught(
        main().limitRanges.apply(limitRange('Bad_Name', 'team-a'), {
          force: false,
        }),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(
        /^Kubernetes cluster "lab-main": .*Bad_Name/,
      );
    });

    it('409 -> ConflictError for a stale resourceVersion', async () => {
      const client = main();
      const created = await client.limitRanges.apply(
        limitRange('stale', 'team-a', { v: '1' }),
        { force: false },
      );
      const staleRv = created.metadata!.resourceVersion!;
      await client.limitRanges.apply(
        limitRange('stale', 'team-a', { v: '2' }),
        {
          force: false,
        },
      );
      const stale = limitRange('stale', 'team-a', { v: '3' });
      stale.metadata!.resourceVersion = staleRv;
      const error = await caught(
        client.limitRanges.apply(stale, { force: false }),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toMatch(/^Kubernetes cluster "lab-main": /);
    });

    it('409 -> ConflictError with the conflictOnWrite fault', async () => {
      await fleet.cluster('lab-main').faults.set({ conflictOnWrite: true });
      const error = await caught(
        main().limitRanges.apply(limitRange('conflict', 'team-a'), {
          force: true,
        }),
      );
      expect(error).toBeInstanceOf(ConflictError);
    });

    it('401 -> AuthenticationError for a wrong token', async () => {
      const client = access.forCluster('main-bad-token', { fieldManager: FM });
      const error = await caught(client.namespaces.list());
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.message).toMatch(/^Kubernetes cluster "main-bad-token": /);
    });

    it('403 -> NotAllowedError for writes with the read-only token', async () => {
      const client = access.forCluster('main-read-only', { fieldManager: FM });
      await expect(client.namespaces.get('team-a')).resolves.toBeDefined();
      const error = await caught(
        client.limitRanges.apply(limitRange('ro', 'team-a'), { force: false }),
      );
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toMatch(/^Kubernetes cluster "main-read-only": /);
    });

    it('5xx -> ServiceUnavailableError', async () => {
      await fleet.cluster('lab-main').faults.set({ status: 503 });
      const error = await caught(main().namespaces.list());
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(/^Kubernetes cluster "lab-main": /);
    });

    it('timeout -> ServiceUnavailableError within the cluster timeout', async () => {
      await fleet.cluster('lab-edge').faults.set({ latencyMs: 2000 });
      const client = access.forCluster('lab-edge', { fieldManager: FM });
      const started = Date.now();
      const error = await caught(client.namespaces.list());
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        'Kubernetes cluster "lab-edge": request timed out after 400ms',
      );
      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed).toBeLessThan(1500);
    });

    it('refused -> ServiceUnavailableError', async () => {
      await fleet.cluster('lab-edge').faults.set({ refuse: true });
      const client = access.forCluster('lab-edge', { fieldManager: FM });
      const error = await caught(client.namespaces.list());
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        'Kubernetes cluster "lab-edge": connection refused',
      );
    });

    it('a caller abort stops the request', async () => {
      await fleet.cluster('lab-main').faults.set({ latencyMs: 1500 });
      const controller = new AbortController();
      const pending = caught(
        main().namespaces.list({ signal: controller.signal }),
      );
      setTimeout(() => controller.abort(), 50);
      const started = Date.now();
      const error = await pending;
      expect(Date.now() - started).toBeLessThan(1000);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain('aborted');
    });
  });

  describe('writes', () => {
    it('requires an explicit force', async () => {
      const error = await caught(
        main().limitRanges.apply(limitRange('x', 'team-a'), {} as any),
      );
      expect(error).toBeInstanceOf(InputError);
    });

    it('server-side apply conflicts without force and takes over with force', async () => {
      const a = access.forCluster('lab-main', { fieldManager: 'portal-a' });
      const b = access.forCluster('lab-main', { fieldManager: 'portal-b' });
      await a.limitRanges.apply(limitRange('owned', 'team-a', { owner: 'a' }), {
        force: false,
      });
      const error = await caught(
        b.limitRanges.apply(limitRange('owned', 'team-a', { owner: 'b' }), {
          force: false,
        }),
      );
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toContain('portal-a');

      const forced = await b.limitRanges.apply(
        limitRange('owned', 'team-a', { owner: 'b' }),
        { force: true },
      );
      expect(forced.metadata?.labels?.owner).toBe('b');
      const managers = forced.metadata?.managedFields?.map(m => m.manager);
      expect(managers).toContain('portal-b');
    });

    it('re-applies an object read from the server (managedFields stripped)', async () => {
      const client = main();
      await client.limitRanges.apply(
        limitRange('roundtrip', 'team-a', { touched: 'no' }),
        { force: false },
      );
      const read = await client.limitRanges.get('roundtrip', {
        namespace: 'team-a',
      });
      delete read.metadata!.resourceVersion;
      read.metadata!.labels = { touched: 'yes' };
      // The read object carries managedFields, uid and Date timestamps; the
      // API server rejects managedFields in an apply unless they are stripped.
      expect(read.metadata?.managedFields?.length).toBeGreaterThan(0);
      const applied = await client.apply(read, { force: false });
      expect(applied.metadata?.labels?.touched).toBe('yes');
    });

    it('maps client-node renamed fields (_default, _from) to the wire format', async () => {
      const client = main();
      await client.limitRanges.apply(limitRange('renamed', 'team-a'), {
        force: false,
      });
      const lr = await client.limitRanges.get('renamed', {
        namespace: 'team-a',
      });
      expect(lr.spec?.limits[0]._default).toEqual({ cpu: '500m' });
      expect((lr.spec?.limits[0] as any).default).toBeUndefined();

      const np = await client.networkPolicies.apply(
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'allow-team', namespace: 'team-a' },
          spec: {
            podSelector: {},
            ingress: [
              {
                _from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }],
              },
            ],
          },
        },
        { force: false },
      );
      expect(np.spec?.ingress?.[0]._from?.[0].namespaceSelector).toEqual({
        matchLabels: { team: 'a' },
      });
    });

    it('applies status to the /status subresource', async () => {
      const client = main();
      const applied = await client.namespaces.applyStatus(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'team-b' },
          status: {
            conditions: [
              {
                type: 'PortalReady',
                status: 'True',
                lastTransitionTime: new Date('2024-01-01T00:00:00Z'),
              },
            ],
          },
        },
        { force: true },
      );
      expect(applied.status?.conditions?.[0]?.type).toBe('PortalReady');
      expect(
        applied.status?.conditions?.[0]?.lastTransitionTime,
      ).toBeInstanceOf(Date);
      expect(
        fleet.cluster('lab-main').metrics()['patch namespaces/status'] ??
          Object.entries(fleet.cluster('lab-main').metrics()).find(([k]) =>
            k.includes('status'),
          )?.[1],
      ).toBeGreaterThan(0);
    });

    it('deletes idempotently', async () => {
      const client = main();
      await client.limitRanges.apply(limitRange('gone', 'team-a'), {
        force: false,
      });
      await expect(
        client.limitRanges.delete('gone', {
          namespace: 'team-a',
          propagationPolicy: 'Background',
        }),
      ).resolves.toEqual({ deleted: true });
      await expect(
        client.limitRanges.delete('gone', { namespace: 'team-a' }),
      ).resolves.toEqual({ deleted: false });
      await expect(
        client.limitRanges.get('gone', { namespace: 'team-a' }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe('fan-out', () => {
    it('returns partial results when one cluster is slow', async () => {
      await fleet.cluster('lab-edge').faults.set({ latencyMs: 3000 });
      const started = Date.now();
      const { results, errors } = await access.forEachCluster(
        client => client.namespaces.listAll(),
        {
          fieldManager: FM,
          clusters: ['lab-main', 'lab-edge'],
          timeoutMs: 600,
        },
      );
      expect(Date.now() - started).toBeLessThan(1500);
      expect(results.map(r => r.cluster)).toEqual(['lab-main']);
      expect(results[0].value.length).toBeGreaterThan(1);
      expect(errors.map(e => e.cluster)).toEqual(['lab-edge']);
      expect(errors[0].error).toBeInstanceOf(ServiceUnavailableError);
      expect(errors[0].error.message).toMatch(
        /^Kubernetes cluster "lab-edge": .*timed out/,
      );
    });

    it('returns partial results when one cluster is down', async () => {
      await fleet.cluster('lab-edge').faults.set({ refuse: true });
      const { results, errors } = await access.forEachCluster(
        client => client.namespaces.get('team-a'),
        { fieldManager: FM, clusters: ['lab-main', 'lab-edge'] },
      );
      expect(results.map(r => r.cluster)).toEqual(['lab-main']);
      expect(errors[0].error.message).toBe(
        'Kubernetes cluster "lab-edge": connection refused',
      );
    });

    it('does not wait for callbacks that ignore the signal', async () => {
      const started = Date.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const { results, errors } = await access.forEachCluster(
        async client => {
          if (client.cluster.name === 'lab-edge') {
            await new Promise(r => {
              timer = setTimeout(r, 5000);
            });
          }
          return client.cluster.name;
        },
        {
          fieldManager: FM,
          clusters: ['lab-main', 'lab-edge'],
          timeoutMs: 300,
        },
      );
      clearTimeout(timer);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(results).toEqual([{ cluster: 'lab-main', value: 'lab-main' }]);
      expect(errors[0].error.message).toBe(
        'Kubernetes cluster "lab-edge": request timed out after 300ms',
      );
    });
  });

  describe('watch', () => {
    // A test that fails midway must not leave its watch running: its
    // timers and connection would keep the jest worker alive.
    const cleanups: Array<() => void> = [];
    const watchController = () => {
      const controller = new AbortController();
      cleanups.push(() => controller.abort());
      return controller;
    };
    afterEach(() => {
      for (const cleanup of cleanups.splice(0)) cleanup();
    });

    function tracker() {
      const state = new Map<string, string>();
      let resyncs = 0;
      let events = 0;
      let lastRv = 0;
      let replayed = 0;
      return {
        state,
        /** Events delivered twice or out of order (resourceVersion not increasing). */
        get replayed() {
          return replayed;
        },
        get resyncs() {
          return resyncs;
        },
        get events() {
          return events;
        },
        onResync(items: KubernetesObject[]) {
          resyncs += 1;
          state.clear();
          for (const i of items) {
            state.set(i.metadata!.name!, i.metadata!.resourceVersion!);
          }
        },
        onEvent(e: { type: string; object: KubernetesObject }) {
          events += 1;
          const rv = Number(e.object.metadata!.resourceVersion);
          if (rv <= lastRv) {
            replayed += 1;
          }
          lastRv = rv;
          if (e.type === 'DELETED') {
            state.delete(e.object.metadata!.name!);
          } else {
            state.set(
              e.object.metadata!.name!,
              e.object.metadata!.resourceVersion!,
            );
          }
        },
      };
    }

    async function serverState(namespace: string) {
      const items = await main().limitRanges.listAll({ namespace });
      return new Map(
        items.map(i => [i.metadata!.name!, i.metadata!.resourceVersion!]),
      );
    }

    it('resumes after dropped connections without losing events', async () => {
      const client = main();
      const t = tracker();
      const controller = watchController();
      const metricsBefore = fleet.cluster('lab-main').metrics();
      const done = client.watch(kubernetesResourceTypes.limitRanges, {
        namespace: 'team-w',
        signal: controller.signal,
        onEvent: e => t.onEvent(e),
        onResync: items => t.onResync(items),
        backoff: { initialDelayMs: 10, maxDelayMs: 100 },
      });
      await waitFor(() => t.resyncs === 1);
      await fleet.cluster('lab-main').faults.set({ dropWatchesAfterMs: 150 });
      for (let i = 0; i < 30; i++) {
        const name = `w-${i % 12}`;
        if (i >= 24) {
          await client.limitRanges.delete(name, { namespace: 'team-w' });
        } else {
          await client.limitRanges.apply(
            limitRange(name, 'team-w', { round: String(i) }),
            { force: true },
          );
        }
        await new Promise(r => setTimeout(r, 25));
      }
      const expected = await serverState('team-w');
      await waitFor(
        () =>
          JSON.stringify([...t.state].sort()) ===
          JSON.stringify([...expected].sort()),
      );
      // Resumed from the last resourceVersion: no relist, no replayed events.
      expect(t.resyncs).toBe(1);
      expect(t.replayed).toBe(0);
      const watchKey = Object.keys(fleet.cluster('lab-main').metrics()).find(
        k => /watch.*limitranges/.test(k),
      );
      expect(watchKey).toBeDefined();
      const reconnects =
        fleet.cluster('lab-main').metrics()[watchKey!] -
        (metricsBefore[watchKey!] ?? 0);
      expect(reconnects).toBeGreaterThan(2);
      controller.abort();
      await done;
    });

    it('relists after 410 Gone and resyncs the full state', async () => {
      const client = main();
      const t = tracker();
      const controller = watchController();
      let release: () => void = () => {};
      const gate = new Promise<void>(r => {
        release = r;
      });
      cleanups.push(() => release());
      let blocked = false;
      const done = client.watch(kubernetesResourceTypes.limitRanges, {
        namespace: 'team-r',
        signal: controller.signal,
        onEvent: async e => {
          t.onEvent(e);
          if (!blocked) {
            blocked = true;
            // Hold the watch while the connection is dropped and the
            // server's history moves past our resourceVersion.
            await gate;
          }
        },
        onResync: items => t.onResync(items),
        backoff: { initialDelayMs: 10, maxDelayMs: 100 },
      });
      await waitFor(() => t.resyncs === 1);
      await client.limitRanges.apply(limitRange('r-first', 'team-r'), {
        force: false,
      });
      await waitFor(() => blocked);
      await fleet.cluster('lab-main').faults.set({ dropWatchesAfterMs: 0 });
      await new Promise(r => setTimeout(r, 100));
      await fleet.cluster('lab-main').faults.clear();
      for (let i = 0; i < WATCH_HISTORY + 10; i++) {
        await client.limitRanges.apply(
          limitRange(`r-${i % 20}`, 'team-r', { round: String(i) }),
          { force: true },
        );
      }
      release();
      await waitFor(() => t.resyncs === 2);
      const expected = await serverState('team-r');
      await waitFor(
        () =>
          JSON.stringify([...t.state].sort()) ===
          JSON.stringify([...expected].sort()),
      );
      expect(t.state.size).toBe(21);
      controller.abort();
      await done;
      // Hundreds of writes: more than jest's default 5 s on a loaded machine.
    }, 30_000);

    it('stops promptly when aborted', async () => {
      const client = main();
      const t = tracker();
      const controller = watchController();
      const done = client.watch(kubernetesResourceTypes.limitRanges, {
        namespace: 'team-w',
        signal: controller.signal,
        onEvent: e => t.onEvent(e),
        onResync: items => t.onResync(items),
      });
      await waitFor(() => t.resyncs === 1);
      await new Promise(r => setTimeout(r, 100));
      const started = Date.now();
      controller.abort();
      await done;
      expect(Date.now() - started).toBeLessThan(200);
      const events = t.events;
      await client.limitRanges.apply(limitRange('after-abort', 'team-w'), {
        force: false,
      });
      await new Promise(r => setTimeout(r, 200));
      expect(t.events).toBe(events);
    });

    it('stops promptly when aborted while the cluster is down', async () => {
      await fleet.cluster('lab-edge').faults.set({ refuse: true });
      const client = access.forCluster('lab-edge', { fieldManager: FM });
      const controller = watchController();
      const errors: Error[] = [];
      const done = client.watch(kubernetesResourceTypes.pods, {
        signal: controller.signal,
        onEvent: () => {},
        onError: e => errors.push(e),
        backoff: { initialDelayMs: 50, maxDelayMs: 10_000 },
      });
      await waitFor(() => errors.length >= 2);
      expect(errors[0]).toBeInstanceOf(ServiceUnavailableError);
      const started = Date.now();
      controller.abort();
      await done;
      expect(Date.now() - started).toBeLessThan(200);
    });
  });
});
