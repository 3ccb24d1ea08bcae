// The Job controller, basics: pods for a non-suspended Job up to its
// parallelism and remaining completions, status.active/ready/succeeded/failed,
// Complete (with SuccessCriteriaMet) and completionTime, Failed after
// backoffLimit, Suspended, and deletion of a suspended Job's active pods.
import { LabClock, labTimestamp } from './clock';
import { ObjectWriter, conditionTrue, setCondition } from './objectWriter';
import { isTerminalPod } from './podResources';

export const JOB_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

/** API-server defaulting of a new Job (selector, template labels, counts), as kube-apiserver does on create. */
export function defaultJob(job: any): void {
  const spec = (job.spec = job.spec ?? {});
  const uid = job.metadata.uid;
  const name = job.metadata.name;
  if (spec.parallelism === undefined) spec.parallelism = 1;
  if (spec.completions === undefined && spec.parallelism === 1)
    spec.completions = 1;
  if (spec.backoffLimit === undefined) spec.backoffLimit = 6;
  if (spec.completionMode === undefined) spec.completionMode = 'NonIndexed';
  if (spec.suspend === undefined) spec.suspend = false;
  if (spec.podReplacementPolicy === undefined)
    spec.podReplacementPolicy = 'TerminatingOrFailed';
  if (!spec.manualSelector) {
    spec.selector = { matchLabels: { [JOB_UID_LABEL]: uid } };
    const template = (spec.template = spec.template ?? {});
    template.metadata = template.metadata ?? {};
    template.metadata.labels = {
      ...(template.metadata.labels ?? {}),
      [JOB_UID_LABEL]: uid,
      [JOB_NAME_LABEL]: name,
      'controller-uid': uid,
      'job-name': name,
    };
  }
}

export function ownedBy(obj: any, uid: string): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((r: any) => r.uid === uid);
}

export function isJobFinished(job: any): boolean {
  return conditionTrue(job, 'Complete') || conditionTrue(job, 'Failed');
}

export class JobController {
  /** Per Job uid: the last refused pod create, and when to try again (wall-clock ms). */
  private readonly backoff = new Map<
    string,
    { message: string; failures: number; retryAt: number }
  >();

  constructor(
    private readonly clock: LabClock,
    private readonly writer: ObjectWriter,
  ) {}

  /** The earliest wall-clock time a refused pod create is due again, for the runtime's tick. */
  nextRetry(): number | undefined {
    let next: number | undefined;
    for (const b of this.backoff.values())
      if (next === undefined || b.retryAt < next) next = b.retryAt;
    return next;
  }

  forget(uid: string): void {
    this.backoff.delete(uid);
  }

  /** `podsByNamespace` holds the current pods; the controller reads its Job's pods by owner uid. */
  sync(jobs: any[], podsByNamespace: Map<string, any[]>): void {
    for (const job of jobs) {
      if (job.metadata.deletionTimestamp) continue;
      const pods = (podsByNamespace.get(job.metadata.namespace) ?? []).filter(
        p => ownedBy(p, job.metadata.uid),
      );
      this.syncOne(job, pods);
    }
  }

  private syncOne(job: any, pods: any[]): void {
    const now = labTimestamp(this.clock);
    const spec = job.spec ?? {};
    const active = pods.filter(
      p => !isTerminalPod(p) && !p.metadata.deletionTimestamp,
    );
    const succeeded = pods.filter(p => p.status?.phase === 'Succeeded').length;
    const failed = pods.filter(p => p.status?.phase === 'Failed').length;
    const status = { ...(job.status ?? {}) };
    let conditions: any[] = status.conditions ?? [];
    const finished = isJobFinished(job);
    const parallelism = Number(spec.parallelism ?? 1);
    const completions =
      spec.completions === undefined || spec.completions === null
        ? undefined
        : Number(spec.completions);
    let activeCount = active.length;

    if (!finished) {
      if (spec.suspend) {
        for (const p of active) this.writer.delete(p);
        activeCount = 0;
        conditions = setCondition(
          conditions,
          {
            type: 'Suspended',
            status: 'True',
            reason: 'JobSuspended',
            message: 'Job suspended',
          },
          now,
          { lastProbeTime: now },
        );
      } else {
        if (conditionTrue(job, 'Suspended') || !status.startTime) {
          if (conditionTrue(job, 'Suspended'))
            conditions = setCondition(
              conditions,
              {
                type: 'Suspended',
                status: 'False',
                reason: 'JobResumed',
                message: 'Job resumed',
              },
              now,
              { lastProbeTime: now },
            );
          status.startTime = now;
        }
        const done =
          completions !== undefined
            ? succeeded >= completions
            : succeeded > 0 && activeCount === 0;
        if (done) {
          for (const type of ['SuccessCriteriaMet', 'Complete'])
            conditions = setCondition(
              conditions,
              {
                type,
                status: 'True',
                reason: 'CompletionsReached',
                message: 'Reached expected number of succeeded pods',
              },
              now,
              { lastProbeTime: now },
            );
          status.completionTime = now;
        } else if (failed > Number(spec.backoffLimit ?? 6)) {
          for (const p of active) this.writer.delete(p);
          activeCount = 0;
          for (const type of ['FailureTarget', 'Failed'])
            conditions = setCondition(
              conditions,
              {
                type,
                status: 'True',
                reason: 'BackoffLimitExceeded',
                message: 'Job has reached the specified backoff limit',
              },
              now,
              { lastProbeTime: now },
            );
        } else {
          // Without completions the Job is a work queue: no new pods once one succeeded.
          let remaining = succeeded > 0 ? 0 : parallelism;
          if (completions !== undefined) remaining = completions - succeeded;
          const want = Math.max(
            0,
            Math.min(parallelism, remaining) - activeCount,
          );
          const b = this.backoff.get(job.metadata.uid);
          if (want > 0 && (!b || b.retryAt <= Date.now())) {
            for (let i = 0; i < want; i++) {
              if (!this.createPod(job)) break;
              activeCount++;
            }
          }
        }
      }
    }
    const ready = active.filter(p =>
      (p.status?.conditions ?? []).some(
        (c: any) => c.type === 'Ready' && c.status === 'True',
      ),
    ).length;
    const next = {
      ...status,
      active: activeCount,
      ready: spec.suspend ? 0 : ready,
      succeeded,
      failed,
      terminating: 0,
      uncountedTerminatedPods: {},
      conditions: conditions.length ? conditions : undefined,
    };
    if (!next.conditions) delete next.conditions;
    if (!next.active) delete next.active;
    if (!next.succeeded) delete next.succeeded;
    if (!next.failed) delete next.failed;
    if (JSON.stringify(next) !== JSON.stringify(job.status ?? {}))
      this.writer.update({ ...job, status: next }, 'status');
  }

  /**
   * Creates one pod from the template. A refusal (quota, validation) is
   * retried with exponential backoff (0.2 s doubling to 10 s, wall clock) and
   * reported once per distinct message as a FailedCreate Warning event on the
   * Job, as the real controller does.
   */
  private createPod(job: any): boolean {
    const template = job.spec?.template ?? {};
    try {
      this.writer.create({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          ...(template.metadata ?? {}),
          name: undefined,
          generateName: `${job.metadata.name}-`,
          namespace: job.metadata.namespace,
          labels: { ...(template.metadata?.labels ?? {}) },
          annotations: {
            ...(template.metadata?.annotations ?? {}),
            'batch.kubernetes.io/job-tracking': '',
          },
          finalizers: undefined,
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
        spec: { restartPolicy: 'Never', ...(template.spec ?? {}) },
      });
      this.backoff.delete(job.metadata.uid);
      return true;
    } catch (e) {
      const message = `Error creating: ${(e as Error).message}`;
      // The generated pod name differs on every try; the refusal is the same one.
      const key = message.replace(/pods "[^"]*"/, 'pods');
      const old = this.backoff.get(job.metadata.uid);
      const failures = (old?.failures ?? 0) + 1;
      this.backoff.set(job.metadata.uid, {
        message: key,
        failures,
        retryAt: Date.now() + Math.min(10_000, 200 * 2 ** (failures - 1)),
      });
      if (old?.message !== key) this.failedCreateEvent(job, message);
      return false;
    }
  }

  private failedCreateEvent(job: any, message: string): void {
    const now = labTimestamp(this.clock);
    try {
      this.writer.create({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          generateName: `${job.metadata.name}.`,
          namespace: job.metadata.namespace,
        },
        involvedObject: {
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: job.metadata.name,
          namespace: job.metadata.namespace,
          uid: job.metadata.uid,
        },
        reason: 'FailedCreate',
        message,
        type: 'Warning',
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: 'job-controller' },
        reportingComponent: 'job-controller',
      });
    } catch {
      // The namespace is going away: nothing to report to.
    }
  }
}
