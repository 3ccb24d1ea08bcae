// Runs the lab's controllers for one cluster: garbage collection of Jobs'
// dependents, the Kueue emulation (when its CRDs are served), the Job
// controller, the scheduler and the kubelet's pod lifecycle. Level-triggered:
// every relevant store change schedules one pass (coalesced), and a tick
// checks for timed pods that are due.
import type { ClusterApi } from '../api/handler';
import { invalid } from '../api/errors';
import { ResourceType, resourceKey } from '../api/resources';
import { KueueController } from '../kueue/kueueController';
import {
  CLUSTER_QUEUE_KEY,
  FLAVOR_KEY,
  JOB_KEY,
  KUEUE_GROUP,
  KUEUE_VERSION,
  LOCAL_QUEUE_KEY,
  WORKLOAD_KEY,
} from '../kueue/names';
import type { KueueManagerConfig } from '../kueue/unqueuedJobs';
import { LabClock } from './clock';
import { JobController, defaultJob, ownedBy } from './jobController';
import { ObjectWriter, setCondition } from './objectWriter';
import {
  PodLifecycle,
  RUN_SECONDS_ANNOTATION,
  runSecondsOf,
} from './podLifecycle';
import { needsScheduling, nodeStates, placePod } from './scheduler';
import { labTimestamp } from './clock';

const POD_KEY = resourceKey('', 'pods');
const NODE_KEY = resourceKey('', 'nodes');
const WATCHED = new Set([
  POD_KEY,
  NODE_KEY,
  JOB_KEY,
  WORKLOAD_KEY,
  CLUSTER_QUEUE_KEY,
  LOCAL_QUEUE_KEY,
  FLAVOR_KEY,
  resourceKey('', 'namespaces'),
]);
const TICK_MS = 100;
/** A pass that keeps causing passes this many times in a row is a controller bug: stop and report it. */
const MAX_CONSECUTIVE_PASSES = 500;

export class LabControllers {
  private readonly frozen = new Set<string>();
  /** Pods created through the API (uid → namespace/name): the only ones the tick looks at. */
  private readonly livePods = new Map<
    string,
    { namespace: string; name: string }
  >();
  private readonly writer: ObjectWriter;
  private readonly kubelet: PodLifecycle;
  private readonly jobs: JobController;
  private readonly schedulerWriter: ObjectWriter;
  readonly kueue: KueueController;
  private scheduled = false;
  private running = false;
  private dirty = false;
  private consecutive = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribeClock: (() => void) | undefined;
  private stopped = true;
  /** uids of deleted Jobs whose pods and Workloads still need collecting. */
  private readonly deletedOwners: Array<{ namespace: string; uid: string }> =
    [];
  /** The last errors of controller passes (bounded), for tests and the admin server. */
  readonly errors: string[] = [];

  constructor(
    private readonly api: ClusterApi,
    private readonly clock: LabClock,
    kueueConfig?: KueueManagerConfig,
  ) {
    this.writer = new ObjectWriter(api, 'lab-controller-manager');
    this.schedulerWriter = new ObjectWriter(api, 'default-scheduler');
    this.kubelet = new PodLifecycle(clock, new ObjectWriter(api, 'kubelet'));
    this.jobs = new JobController(
      clock,
      new ObjectWriter(api, 'job-controller'),
    );
    this.kueue = new KueueController(
      api.store,
      clock,
      new ObjectWriter(api, 'kueue-manager'),
      this.frozen,
      kueueConfig,
    );
    api.createHooks.push((rt, obj) => this.admitNew(rt, obj));
  }

  /** Kueue is "installed" when its Workload CRD is served. */
  kueueInstalled(): boolean {
    return Boolean(
      this.api.registry.lookup(KUEUE_GROUP, KUEUE_VERSION, 'workloads'),
    );
  }

  private admitNew(rt: ResourceType, obj: any): void {
    const key = resourceKey(rt.group, rt.plural);
    let meta: any;
    if (key === POD_KEY) meta = obj.metadata;
    else if (key === JOB_KEY) meta = obj.spec?.template?.metadata;
    if (meta) {
      try {
        runSecondsOf(meta);
      } catch (e) {
        throw invalid(rt.kind, rt.group, obj.metadata.name, [
          {
            field:
              key === POD_KEY
                ? `metadata.annotations[${RUN_SECONDS_ANNOTATION}]`
                : `spec.template.metadata.annotations[${RUN_SECONDS_ANNOTATION}]`,
            message: (e as Error).message.replace(/^[^:]+: /, ''),
          },
        ]);
      }
    }
    if (key === JOB_KEY) {
      defaultJob(obj);
      if (this.kueueInstalled()) this.kueue.suspendNewJob(obj);
    }
  }

  /** Takes the seeded objects as they are and starts reacting to changes. */
  start(): void {
    for (const key of [POD_KEY, JOB_KEY, WORKLOAD_KEY])
      for (const e of this.api.store.list(key))
        this.frozen.add(e.obj.metadata.uid);
    this.stopped = false;
    this.api.store.onChange(ev => {
      if (this.stopped || !WATCHED.has(ev.key)) return;
      const uid = ev.entry.obj.metadata.uid;
      if (ev.key === POD_KEY && ev.type === 'ADDED' && !this.frozen.has(uid))
        this.livePods.set(uid, {
          namespace: ev.namespace,
          name: ev.entry.obj.metadata.name,
        });
      if (ev.type === 'DELETED') {
        this.frozen.delete(uid);
        this.livePods.delete(uid);
        if (ev.key === POD_KEY) this.kubelet.forget(ev.entry.obj.metadata.uid);
        if (ev.key === JOB_KEY) this.jobs.forget(uid);
        if (ev.key === JOB_KEY)
          this.deletedOwners.push({
            namespace: ev.namespace,
            uid: ev.entry.obj.metadata.uid,
          });
      }
      this.schedule();
    });
    this.unsubscribeClock = this.clock.onAdvance(() => this.schedule());
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribeClock?.();
  }

  private tick(): void {
    const retry = this.jobs.nextRetry();
    if (retry !== undefined && retry <= Date.now()) {
      this.schedule();
      return;
    }
    if (this.livePods.size === 0) return;
    const pods = [...this.livePods.values()]
      .map(p => this.api.store.get(POD_KEY, p.namespace, p.name)?.obj)
      .filter(Boolean);
    const due = this.kubelet.nextDue(pods);
    if (due !== undefined && due <= this.clock.now()) this.schedule();
  }

  private schedule(): void {
    if (this.running) {
      this.dirty = true;
      return;
    }
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pass();
    });
  }

  /** Passes run and their total duration, for benchmarks. */
  readonly stats = {
    passes: 0,
    totalMs: 0,
    byController: {} as Record<string, number>,
  };

  private timed(name: string, fn: () => void): void {
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    this.stats.byController[name] = (this.stats.byController[name] ?? 0) + ms;
  }

  /** One pass of every controller; changes it makes schedule the next pass. */
  pass(): void {
    if (this.stopped) return;
    const started = performance.now();
    this.stats.passes++;
    this.running = true;
    this.dirty = false;
    try {
      this.timed('gc', () => this.collectGarbage());
      if (this.kueueInstalled()) this.timed('kueue', () => this.kueue.sync());
      this.timed('jobs', () => this.syncJobs());
      this.timed('scheduler', () => this.schedulePods());
      this.kubelet.sync(
        this.api.store
          .list(POD_KEY)
          .map(e => e.obj)
          .filter(p => !this.frozen.has(p.metadata.uid)),
      );
    } catch (e) {
      this.errors.push(
        `${new Date().toISOString()} ${(e as Error).stack ?? e}`,
      );
      if (this.errors.length > 20) this.errors.shift();
    } finally {
      this.running = false;
      this.stats.totalMs += performance.now() - started;
    }
    if (this.dirty) {
      this.consecutive++;
      if (this.consecutive > MAX_CONSECUTIVE_PASSES) {
        this.errors.push(
          `controllers did not settle after ${MAX_CONSECUTIVE_PASSES} passes; waiting for the next change`,
        );
        this.consecutive = 0;
        return;
      }
      this.schedule();
    } else this.consecutive = 0;
  }

  /** The garbage collector's part the lab needs: a deleted Job's pods and Workloads go too. */
  private collectGarbage(): void {
    while (this.deletedOwners.length > 0) {
      const { namespace, uid } = this.deletedOwners.shift()!;
      for (const key of [POD_KEY, WORKLOAD_KEY])
        for (const e of this.api.store.list(key, namespace))
          if (ownedBy(e.obj, uid)) this.writer.delete(e.obj);
    }
  }

  private syncJobs(): void {
    const podsByNamespace = new Map<string, any[]>();
    for (const e of this.api.store.list(POD_KEY)) {
      const list = podsByNamespace.get(e.obj.metadata.namespace) ?? [];
      list.push(e.obj);
      podsByNamespace.set(e.obj.metadata.namespace, list);
    }
    const jobs = this.api.store
      .list(JOB_KEY)
      .map(e => e.obj)
      .filter(j => !this.frozen.has(j.metadata.uid));
    this.jobs.sync(jobs, podsByNamespace);
  }

  private schedulePods(): void {
    const pods = this.api.store.list(POD_KEY).map(e => e.obj);
    const candidates = pods
      .filter(p => needsScheduling(p) && !this.frozen.has(p.metadata.uid))
      .sort(
        (a, b) =>
          String(a.metadata.creationTimestamp).localeCompare(
            String(b.metadata.creationTimestamp),
          ) || a.metadata.name.localeCompare(b.metadata.name),
      );
    if (candidates.length === 0) return;
    const states = nodeStates(
      this.api.store.list(NODE_KEY).map(e => e.obj),
      pods,
    );
    const now = labTimestamp(this.clock);
    for (const pod of candidates) {
      const placement = placePod(pod, states);
      if ('node' in placement) {
        this.bind(pod, placement.node, now);
        continue;
      }
      const conditions = setCondition(
        pod.status?.conditions,
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: placement.unschedulable,
        },
        now,
        { lastProbeTime: null },
      );
      if (JSON.stringify(conditions) !== JSON.stringify(pod.status?.conditions))
        this.schedulerWriter.update(
          { ...pod, status: { ...pod.status, conditions } },
          'status',
        );
    }
  }

  /** Binds like the pods/binding subresource: spec.nodeName, then PodScheduled=True. */
  bind(pod: any, node: string, now: string = labTimestamp(this.clock)): any {
    const bound = this.schedulerWriter.update({
      ...pod,
      spec: { ...pod.spec, nodeName: node },
    });
    const conditions = setCondition(
      (bound.status?.conditions ?? []).filter(
        (c: any) => c.type !== 'PodScheduled',
      ),
      { type: 'PodScheduled', status: 'True', reason: '', message: '' },
      now,
      { lastProbeTime: null },
    ).map((c: any) => {
      if (c.type !== 'PodScheduled') return c;
      const { reason: _r, message: _m, ...rest } = c;
      return rest;
    });
    return this.schedulerWriter.update(
      { ...bound, status: { ...bound.status, conditions } },
      'status',
    );
  }
}
