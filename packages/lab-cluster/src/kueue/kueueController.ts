// The part of Kueue (v1beta2) the portal relies on, as one level-triggered
// controller: a Workload per queue-named Job (the Job kept suspended until
// admitted), FIFO admission per ClusterQueue within nominal quota and cohort
// borrowing, the flavor's node labels injected into the Job, eviction on
// spec.active=false and HoldAndDrain, Finished when the Job ends, and the
// status of ClusterQueues and LocalQueues.
import { ObjectStore } from '../store/store';
import { LabClock, labTimestamp } from '../controllers/clock';
import { isJobFinished } from '../controllers/jobController';
import {
  ObjectWriter,
  conditionTrue,
  setCondition,
} from '../controllers/objectWriter';
import { matchesLabelSelector } from '../controllers/podResources';
import { resourceKey } from '../api/resources';
import {
  CLUSTER_QUEUE_KEY,
  FLAVOR_KEY,
  JOB_KEY,
  JOB_UID_LABEL,
  KUEUE_GROUP,
  KUEUE_VERSION,
  LOCAL_QUEUE_KEY,
  WORKLOAD_KEY,
  queueNameOf,
  workloadNameFor,
} from './names';
import {
  FlavorInfo,
  QueueModel,
  Usage,
  addUsage,
  assignFlavors,
  queueModel,
  usageOf,
} from './quotaModel';
import {
  admittedUsage,
  isActive,
  isAdmitted,
  isFinished,
  isPending,
  isReserving,
  quantity,
  queueOrder,
} from './workloadState';

const NS_KEY = resourceKey('', 'namespaces');
const API_VERSION = `${KUEUE_GROUP}/${KUEUE_VERSION}`;

interface Snapshot {
  flavors: Map<string, FlavorInfo>;
  cqs: Map<string, any>;
  lqs: Map<string, any>;
  workloads: any[];
  models: Map<string, QueueModel>;
}

/** The ClusterQueue's Active condition, worded as Kueue's. */
function clusterQueueActive(policy: string, missingFlavors: string[]) {
  if (policy !== 'None')
    return {
      status: 'False',
      reason: 'Stopped',
      message: "Can't admit new workloads: is stopped.",
    };
  if (missingFlavors.length)
    return {
      status: 'False',
      reason: 'FlavorNotFound',
      message: `Can't admit new workloads: references missing ResourceFlavor(s): ${missingFlavors.join(
        ',',
      )}.`,
    };
  return {
    status: 'True',
    reason: 'Ready',
    message: 'Can admit new workloads',
  };
}

/** The LocalQueue's Active condition, worded as Kueue's. */
function localQueueActive(policy: string, clusterQueueExists: boolean) {
  if (policy !== 'None')
    return {
      status: 'False',
      reason: 'Stopped',
      message: 'LocalQueue is stopped',
    };
  if (!clusterQueueExists)
    return {
      status: 'False',
      reason: 'ClusterQueueDoesNotExist',
      message: "Can't submit new workloads to clusterQueue",
    };
  return {
    status: 'True',
    reason: 'Ready',
    message: 'Can submit new workloads to localQueue',
  };
}

function stopPolicy(obj: any): string {
  return obj?.spec?.stopPolicy ?? 'None';
}

export class KueueController {
  constructor(
    private readonly store: ObjectStore,
    private readonly clock: LabClock,
    private readonly writer: ObjectWriter,
    /** uids of fixture objects, taken as they are (never admitted or evicted by the lab). */
    private readonly frozen: Set<string>,
  ) {}

  /**
   * The Workloads this emulation admits, evicts and finishes: those its Job
   * integration created (label kueue.x-k8s.io/job-uid), not the fixture's.
   * Workloads written directly through the API are taken as written, like a
   * fixture's: they hold quota when admitted and wait in their queue.
   */
  private manages(wl: any): boolean {
    return (
      Boolean(wl.metadata.labels?.[JOB_UID_LABEL]) &&
      !this.frozen.has(wl.metadata.uid)
    );
  }

  private snapshot(): Snapshot {
    const flavors = new Map<string, FlavorInfo>(
      this.store.list(FLAVOR_KEY).map(e => [
        e.obj.metadata.name,
        {
          nodeLabels: e.obj.spec?.nodeLabels ?? {},
          nodeTaints: e.obj.spec?.nodeTaints ?? [],
          tolerations: e.obj.spec?.tolerations ?? [],
        },
      ]),
    );
    const cqs = new Map(
      this.store.list(CLUSTER_QUEUE_KEY).map(e => [e.obj.metadata.name, e.obj]),
    );
    const lqs = new Map(
      this.store
        .list(LOCAL_QUEUE_KEY)
        .map(e => [
          `${e.obj.metadata.namespace}/${e.obj.metadata.name}`,
          e.obj,
        ]),
    );
    const workloads = this.store.list(WORKLOAD_KEY).map(e => e.obj);
    const models = new Map(
      [...cqs.values()]
        .filter(cq => !cq.metadata.deletionTimestamp)
        .map(cq => [cq.metadata.name, queueModel(cq)]),
    );
    return { flavors, cqs, lqs, workloads, models };
  }

  private localQueueOf(s: Snapshot, wl: any): any | undefined {
    return s.lqs.get(`${wl.metadata.namespace}/${wl.spec?.queueName}`);
  }

  /** The ClusterQueue a workload is in: its admission's, else its LocalQueue's. */
  clusterQueueOf(s: Snapshot, wl: any): string | undefined {
    if (isReserving(wl)) return wl.status.admission.clusterQueue;
    return this.localQueueOf(s, wl)?.spec?.clusterQueue;
  }

  sync(): void {
    const jobs = this.store.list(JOB_KEY).map(e => e.obj);
    this.ensureWorkloads(jobs);
    const jobsByUid = new Map(jobs.map(j => [j.metadata.uid, j]));
    this.finishWorkloads(jobsByUid);
    this.evict(this.snapshot());
    this.admit(this.snapshot());
    this.syncJobs(this.snapshot(), jobsByUid);
    this.writeQueueStatus(this.snapshot());
  }

  /** A Workload for every queue-named Job that has none (jobframework's reconciler). */
  private ensureWorkloads(jobs: any[]): void {
    for (const job of jobs) {
      const queue = queueNameOf(job);
      if (!queue || job.metadata.deletionTimestamp || isJobFinished(job))
        continue;
      if (this.frozen.has(job.metadata.uid)) continue;
      const name = workloadNameFor(job.metadata.name, job.metadata.uid);
      if (this.store.get(WORKLOAD_KEY, job.metadata.namespace, name)) continue;
      const template = structuredClone(job.spec?.template ?? {});
      for (const k of [
        'batch.kubernetes.io/controller-uid',
        'batch.kubernetes.io/job-name',
        'controller-uid',
        'job-name',
      ])
        delete template.metadata?.labels?.[k];
      this.writer.create({
        apiVersion: API_VERSION,
        kind: 'Workload',
        metadata: {
          name,
          namespace: job.metadata.namespace,
          labels: { [JOB_UID_LABEL]: job.metadata.uid },
          ownerReferences: [
            {
              apiVersion: 'batch/v1',
              kind: 'Job',
              name: job.metadata.name,
              uid: job.metadata.uid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          active: true,
          queueName: queue,
          priority: 0,
          podSets: [
            {
              name: 'main',
              // Kueue's batch/v1 integration: min(parallelism, completions).
              count: Math.min(
                Number(job.spec?.parallelism ?? 1),
                Number(job.spec?.completions ?? job.spec?.parallelism ?? 1),
              ),
              template,
            },
          ],
        },
      });
    }
  }

  private jobOf(wl: any, jobsByUid: Map<string, any>): any | undefined {
    const ref = (wl.metadata.ownerReferences ?? []).find(
      (r: any) => r.kind === 'Job' && r.controller,
    );
    return ref ? jobsByUid.get(ref.uid) : undefined;
  }

  private finishWorkloads(jobsByUid: Map<string, any>): void {
    const now = labTimestamp(this.clock);
    for (const e of this.store.list(WORKLOAD_KEY)) {
      const wl = e.obj;
      if (isFinished(wl) || !this.manages(wl)) continue;
      const job = this.jobOf(wl, jobsByUid);
      if (!job || !isJobFinished(job)) continue;
      const failed = conditionTrue(job, 'Failed');
      const jobCond = (job.status?.conditions ?? []).find(
        (c: any) =>
          c.type === (failed ? 'Failed' : 'Complete') && c.status === 'True',
      );
      this.writer.update(
        {
          ...wl,
          status: {
            ...wl.status,
            conditions: setCondition(
              wl.status?.conditions,
              {
                type: 'Finished',
                status: 'True',
                reason: failed ? 'Failed' : 'Succeeded',
                message: failed
                  ? jobCond?.message ?? 'Job failed'
                  : 'Job finished successfully',
              },
              now,
              { observedGeneration: wl.metadata.generation },
            ),
          },
        },
        'status',
      );
    }
  }

  private evict(s: Snapshot): void {
    for (const wl of s.workloads) {
      if (!isReserving(wl) || !this.manages(wl)) continue;
      const lq = this.localQueueOf(s, wl);
      const cq = s.cqs.get(wl.status.admission.clusterQueue);
      if (!isActive(wl))
        this.evictOne(wl, 'Deactivated', 'The workload is deactivated');
      else if (stopPolicy(lq) === 'HoldAndDrain')
        this.evictOne(wl, 'LocalQueueStopped', 'The LocalQueue is stopped');
      else if (stopPolicy(cq) === 'HoldAndDrain')
        this.evictOne(wl, 'ClusterQueueStopped', 'The ClusterQueue is stopped');
    }
  }

  private evictOne(wl: any, reason: string, message: string): void {
    const now = labTimestamp(this.clock);
    const gen = { observedGeneration: wl.metadata.generation };
    let conditions = setCondition(
      wl.status?.conditions,
      { type: 'Evicted', status: 'True', reason, message },
      now,
      gen,
    );
    conditions = setCondition(
      conditions,
      { type: 'QuotaReserved', status: 'False', reason: 'Pending', message },
      now,
      gen,
    );
    conditions = setCondition(
      conditions,
      {
        type: 'Admitted',
        status: 'False',
        reason: 'NoReservation',
        message: 'The workload has no reservation',
      },
      now,
      gen,
    );
    conditions = setCondition(
      conditions,
      reason === 'Deactivated'
        ? { type: 'Requeued', status: 'False', reason, message }
        : { type: 'Requeued', status: 'True', reason, message },
      now,
      gen,
    );
    const evictions: any[] = [...(wl.status?.schedulingStats?.evictions ?? [])];
    const i = evictions.findIndex(x => x.reason === reason);
    if (i >= 0)
      evictions[i] = { ...evictions[i], count: evictions[i].count + 1 };
    else evictions.push({ reason, underlyingCause: '', count: 1 });
    const { admission: _a, ...rest } = wl.status ?? {};
    this.writer.update(
      {
        ...wl,
        status: { ...rest, conditions, schedulingStats: { evictions } },
      },
      'status',
    );
  }

  /** Why a pending workload cannot be considered at all, or undefined. */
  private inadmissible(s: Snapshot, wl: any): string | undefined {
    const lq = this.localQueueOf(s, wl);
    if (!lq) return `LocalQueue ${wl.spec?.queueName} doesn't exist`;
    const cqName = lq.spec?.clusterQueue;
    const cq = s.cqs.get(cqName);
    if (!cq || cq.metadata.deletionTimestamp)
      return `ClusterQueue ${cqName} doesn't exist`;
    if (stopPolicy(lq) !== 'None')
      return `LocalQueue ${lq.metadata.name} is inactive`;
    if (stopPolicy(cq) !== 'None') return `ClusterQueue ${cqName} is inactive`;
    const missing = this.missingFlavors(s, cq);
    if (missing.length) return `ClusterQueue ${cqName} is inactive`;
    const ns = this.store.get(NS_KEY, '', wl.metadata.namespace)?.obj;
    if (
      !matchesLabelSelector(
        cq.spec?.namespaceSelector,
        ns?.metadata?.labels ?? {},
      )
    )
      return "Workload namespace doesn't match ClusterQueue selector";
    return undefined;
  }

  private missingFlavors(s: Snapshot, cq: any): string[] {
    const names = (cq.spec?.resourceGroups ?? []).flatMap((g: any) =>
      (g.flavors ?? []).map((f: any) => f.name as string),
    );
    return names.filter((n: string) => !s.flavors.has(n));
  }

  private usage(s: Snapshot): Usage {
    const usage: Usage = new Map();
    for (const wl of s.workloads) {
      if (!isReserving(wl)) continue;
      for (const u of admittedUsage(wl))
        addUsage(
          usage,
          wl.status.admission.clusterQueue,
          u.flavor,
          u.resource,
          u.value,
        );
    }
    return usage;
  }

  /** Pending workloads per ClusterQueue in queue order (the visibility API's order too). */
  pendingByClusterQueue(s: Snapshot = this.snapshot()): Map<string, any[]> {
    const out = new Map<string, any[]>();
    for (const wl of s.workloads) {
      if (!isPending(wl)) continue;
      const cq = this.clusterQueueOf(s, wl);
      if (!cq || !s.cqs.has(cq)) continue;
      const list = out.get(cq) ?? [];
      list.push(wl);
      out.set(cq, list);
    }
    for (const list of out.values()) list.sort(queueOrder);
    return out;
  }

  private admit(s: Snapshot): void {
    const usage = this.usage(s);
    const now = labTimestamp(this.clock);
    // Workloads whose LocalQueue or ClusterQueue is missing are in no queue: say why.
    for (const wl of s.workloads) {
      if (!isPending(wl) || !this.manages(wl)) continue;
      const cq = this.clusterQueueOf(s, wl);
      if (cq && s.cqs.has(cq)) continue;
      const why = this.inadmissible(s, wl);
      if (why) this.setPending(wl, 'Inadmissible', why, now);
    }
    for (const [cqName, pending] of this.pendingByClusterQueue(s)) {
      const strict = s.cqs.get(cqName)?.spec?.queueingStrategy === 'StrictFIFO';
      for (const wl of pending) {
        if (!this.manages(wl)) continue;
        const blocked = this.inadmissible(s, wl);
        if (blocked) {
          this.setPending(wl, 'Inadmissible', blocked, now);
          continue;
        }
        const result = assignFlavors(wl, cqName, s.models, usage, s.flavors);
        if ('message' in result) {
          this.setPending(wl, 'Pending', result.message, now);
          if (strict) break;
          continue;
        }
        for (const a of result.assignments)
          for (const u of a.usage)
            addUsage(usage, cqName, u.flavor, u.resource, u.value);
        const gen = { observedGeneration: wl.metadata.generation };
        let conditions = setCondition(
          wl.status?.conditions,
          {
            type: 'QuotaReserved',
            status: 'True',
            reason: 'QuotaReserved',
            message: `Quota reserved in ClusterQueue ${cqName}`,
          },
          now,
          gen,
        );
        conditions = setCondition(
          conditions,
          {
            type: 'Admitted',
            status: 'True',
            reason: 'Admitted',
            message: 'The workload is admitted',
          },
          now,
          gen,
        );
        const evicted = conditions.find(
          c => c.type === 'Evicted' && c.status === 'True',
        );
        if (evicted)
          conditions = setCondition(
            conditions,
            {
              type: 'Evicted',
              status: 'False',
              reason: 'QuotaReserved',
              message: `Previously: ${evicted.message}`,
            },
            now,
            gen,
          );
        conditions = conditions.filter(c => c.type !== 'Requeued');
        this.writer.update(
          {
            ...wl,
            status: {
              ...wl.status,
              conditions,
              admission: {
                clusterQueue: cqName,
                podSetAssignments: result.assignments.map(a => ({
                  name: a.name,
                  flavors: a.flavors,
                  resourceUsage: a.resourceUsage,
                  count: a.count,
                })),
              },
            },
          },
          'status',
        );
      }
    }
  }

  private setPending(
    wl: any,
    reason: string,
    message: string,
    now: string,
  ): void {
    const conditions = setCondition(
      wl.status?.conditions,
      { type: 'QuotaReserved', status: 'False', reason, message },
      now,
      { observedGeneration: wl.metadata.generation },
    );
    if (JSON.stringify(conditions) === JSON.stringify(wl.status?.conditions))
      return;
    this.writer.update(
      { ...wl, status: { ...wl.status, conditions } },
      'status',
    );
  }

  /** Admitted → the flavor's node labels in the pod template and unsuspended; not admitted → suspended with the original template. */
  private syncJobs(s: Snapshot, jobsByUid: Map<string, any>): void {
    for (const wl of s.workloads) {
      const job = this.jobOf(wl, jobsByUid);
      if (!job || isJobFinished(job) || job.metadata.deletionTimestamp)
        continue;
      if (!this.manages(wl)) continue;
      const original = wl.spec?.podSets?.[0]?.template?.spec ?? {};
      const suspended = job.spec?.suspend === true;
      if (isAdmitted(wl) && suspended) {
        const nodeSelector = { ...(original.nodeSelector ?? {}) };
        const tolerations = [...(original.tolerations ?? [])];
        for (const a of wl.status.admission.podSetAssignments ?? [])
          for (const flavor of new Set(
            Object.values(a.flavors ?? {}),
          ) as Set<string>) {
            const info = s.flavors.get(flavor);
            Object.assign(nodeSelector, info?.nodeLabels ?? {});
            tolerations.push(...(info?.tolerations ?? []));
          }
        const spec = structuredClone(job.spec);
        spec.suspend = false;
        spec.template.spec.nodeSelector = nodeSelector;
        if (tolerations.length) spec.template.spec.tolerations = tolerations;
        this.writer.update({ ...job, spec });
      } else if (!isReserving(wl) && !suspended) {
        const spec = structuredClone(job.spec);
        spec.suspend = true;
        spec.template.spec.nodeSelector = original.nodeSelector;
        spec.template.spec.tolerations = original.tolerations;
        if (!spec.template.spec.nodeSelector)
          delete spec.template.spec.nodeSelector;
        if (!spec.template.spec.tolerations)
          delete spec.template.spec.tolerations;
        this.writer.update({ ...job, spec });
      }
    }
  }

  private writeQueueStatus(s: Snapshot): void {
    const now = labTimestamp(this.clock);
    const usage = this.usage(s);
    const counts = (match: (wl: any) => boolean) => ({
      pendingWorkloads: s.workloads.filter(w => match(w) && isPending(w))
        .length,
      reservingWorkloads: s.workloads.filter(w => match(w) && isReserving(w))
        .length,
      admittedWorkloads: s.workloads.filter(w => match(w) && isAdmitted(w))
        .length,
    });
    for (const cq of s.cqs.values()) {
      const name = cq.metadata.name;
      const model = s.models.get(name);
      const flavorsUsage = (model?.groups ?? []).flatMap(g =>
        g.flavors.map(f => ({
          name: f.name,
          resources: g.covered.map(r => {
            const used = usageOf(usage, name, f.name, r);
            const nominal = f.quotas.get(r)?.nominal ?? 0;
            return {
              name: r,
              total: quantity(used, r),
              borrowed: quantity(Math.max(0, used - nominal), r),
            };
          }),
        })),
      );
      const missing = this.missingFlavors(s, cq);
      const active = clusterQueueActive(stopPolicy(cq), missing);
      const status = {
        ...cq.status,
        ...counts(w => this.clusterQueueOf(s, w) === name),
        flavorsReservation: flavorsUsage,
        flavorsUsage,
        conditions: setCondition(
          cq.status?.conditions,
          { type: 'Active', ...active },
          now,
          {
            observedGeneration: cq.metadata.generation,
          },
        ),
      };
      if (JSON.stringify(status) !== JSON.stringify(cq.status ?? {}))
        this.writer.update({ ...cq, status }, 'status');
    }
    for (const lq of s.lqs.values()) {
      const key = `${lq.metadata.namespace}/${lq.metadata.name}`;
      const inQueue = (w: any) =>
        `${w.metadata.namespace}/${w.spec?.queueName}` === key;
      const byFlavor = new Map<string, Map<string, number>>();
      for (const w of s.workloads) {
        if (!inQueue(w) || !isReserving(w)) continue;
        for (const u of admittedUsage(w)) {
          const m = byFlavor.get(u.flavor) ?? new Map<string, number>();
          m.set(u.resource, (m.get(u.resource) ?? 0) + u.value);
          byFlavor.set(u.flavor, m);
        }
      }
      const flavorsUsage = [...byFlavor].map(([name, m]) => ({
        name,
        resources: [...m].map(([r, v]) => ({ name: r, total: quantity(v, r) })),
      }));
      const cqExists = s.cqs.has(lq.spec?.clusterQueue);
      const active = localQueueActive(stopPolicy(lq), cqExists);
      const status = {
        ...lq.status,
        ...counts(inQueue),
        flavorsReservation: flavorsUsage,
        flavorsUsage,
        conditions: setCondition(
          lq.status?.conditions,
          { type: 'Active', ...active },
          now,
          {
            observedGeneration: lq.metadata.generation,
          },
        ),
      };
      if (JSON.stringify(status) !== JSON.stringify(lq.status ?? {}))
        this.writer.update({ ...lq, status }, 'status');
    }
  }

  /** Kueue's defaulting webhook: a queue-named Job is created suspended. */
  static suspendNewJob(job: any): void {
    if (queueNameOf(job)) job.spec = { ...(job.spec ?? {}), suspend: true };
  }
}
