// The part of Kueue (v1beta2) the portal relies on, as one level-triggered
// controller: a Workload per queue-named Job (the Job kept suspended until
// admitted), FIFO admission per ClusterQueue within nominal quota and cohort
// borrowing, the flavor's node labels injected into the Job, eviction on
// spec.active=false and HoldAndDrain (eviction.ts), Finished when the Job
// ends, the status of ClusterQueues and LocalQueues (queueStatus.ts), and
// Jobs without a queue name held per the manager's configuration
// (unqueuedJobs.ts).
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
  JOB_KEY,
  JOB_UID_LABEL,
  KUEUE_GROUP,
  KUEUE_VERSION,
  WORKLOAD_KEY,
  queueNameOf,
  workloadNameFor,
} from './names';
import { addUsage, assignFlavors } from './quotaModel';
import {
  Snapshot,
  clusterQueueOf,
  localQueueOf,
  missingFlavors,
  reservedUsage,
  stopPolicy,
  takeSnapshot,
} from './queueSnapshot';
import { evictStopped } from './eviction';
import { writeQueueStatus } from './queueStatus';
import { KueueManagerConfig, heldWithoutQueueName } from './unqueuedJobs';
import {
  isAdmitted,
  isFinished,
  isPending,
  isReserving,
  queueOrder,
} from './workloadState';

const NS_KEY = resourceKey('', 'namespaces');
const API_VERSION = `${KUEUE_GROUP}/${KUEUE_VERSION}`;

export class KueueController {
  constructor(
    private readonly store: ObjectStore,
    private readonly clock: LabClock,
    private readonly writer: ObjectWriter,
    /** uids of fixture objects, taken as they are (never admitted or evicted by the lab). */
    private readonly frozen: Set<string>,
    /** The manager's configuration: which Jobs without a queue name it holds. */
    private readonly config?: KueueManagerConfig,
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
    return takeSnapshot(this.store);
  }

  sync(): void {
    const jobs = this.store.list(JOB_KEY).map(e => e.obj);
    this.holdUnqueued(jobs);
    this.ensureWorkloads(jobs);
    const jobsByUid = new Map(jobs.map(j => [j.metadata.uid, j]));
    this.finishWorkloads(jobsByUid);
    evictStopped(this.snapshot(), this.clock, this.writer, wl =>
      this.manages(wl),
    );
    this.admit(this.snapshot());
    this.syncJobs(this.snapshot(), jobsByUid);
    writeQueueStatus(this.snapshot(), this.clock, this.writer);
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

  /** Why a pending workload cannot be considered at all, or undefined. */
  private inadmissible(s: Snapshot, wl: any): string | undefined {
    const lq = localQueueOf(s, wl);
    if (!lq) return `LocalQueue ${wl.spec?.queueName} doesn't exist`;
    const cqName = lq.spec?.clusterQueue;
    const cq = s.cqs.get(cqName);
    if (!cq || cq.metadata.deletionTimestamp)
      return `ClusterQueue ${cqName} doesn't exist`;
    if (stopPolicy(lq) !== 'None')
      return `LocalQueue ${lq.metadata.name} is inactive`;
    if (stopPolicy(cq) !== 'None') return `ClusterQueue ${cqName} is inactive`;
    const missing = missingFlavors(s, cq);
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

  /** Pending workloads per ClusterQueue in queue order (the visibility API's order too). */
  pendingByClusterQueue(s: Snapshot = this.snapshot()): Map<string, any[]> {
    const out = new Map<string, any[]>();
    for (const wl of s.workloads) {
      if (!isPending(wl)) continue;
      const cq = clusterQueueOf(s, wl);
      if (!cq || !s.cqs.has(cq)) continue;
      const list = out.get(cq) ?? [];
      list.push(wl);
      out.set(cq, list);
    }
    for (const list of out.values()) list.sort(queueOrder);
    return out;
  }

  private admit(s: Snapshot): void {
    const usage = reservedUsage(s);
    const now = labTimestamp(this.clock);
    // Workloads whose LocalQueue or ClusterQueue is missing are in no queue: say why.
    for (const wl of s.workloads) {
      if (!isPending(wl) || !this.manages(wl)) continue;
      const cq = clusterQueueOf(s, wl);
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

  /**
   * Kueue's defaulting webhook: a queue-named Job is created suspended, and
   * so is one without a queue name that the manager's configuration holds.
   */
  suspendNewJob(job: any): void {
    if (queueNameOf(job) || heldWithoutQueueName(this.config, this.store, job))
      job.spec = { ...(job.spec ?? {}), suspend: true };
  }

  /**
   * Jobs without a queue name that the configuration holds stay suspended
   * (Kueue's reconciler suspends one that was unsuspended or predates the
   * setting); the fixture's are taken as they are.
   */
  private holdUnqueued(jobs: any[]): void {
    for (const job of jobs) {
      if (
        job.spec?.suspend === true ||
        job.metadata.deletionTimestamp ||
        isJobFinished(job) ||
        this.frozen.has(job.metadata.uid) ||
        !heldWithoutQueueName(this.config, this.store, job)
      )
        continue;
      this.writer.update({ ...job, spec: { ...job.spec, suspend: true } });
    }
  }
}
