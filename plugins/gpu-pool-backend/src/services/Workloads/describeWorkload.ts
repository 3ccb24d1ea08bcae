import {
  EXPECTED_DURATION_ANNOTATION,
  GpuWorkload,
  GpuWorkloadCondition,
  GpuWorkloadState,
  LAB_RUN_SECONDS_ANNOTATION,
  parseDuration,
} from '@internal/plugin-gpu-pool-common';
import { parseQuantityNumber } from '@internal/kubernetes-quantity';

/** The parts of a Kueue v1beta2 Workload the portal reads. */
export interface KueueWorkload {
  metadata?: {
    name?: string;
    namespace?: string;
    creationTimestamp?: string | Date;
    ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }>;
  };
  spec?: {
    queueName?: string;
    active?: boolean;
    maximumExecutionTimeSeconds?: number;
    podSets?: Array<{
      name?: string;
      count?: number;
      template?: {
        metadata?: { annotations?: Record<string, string> };
        spec?: {
          containers?: Array<{
            resources?: {
              requests?: Record<string, string | number>;
              limits?: Record<string, string | number>;
            };
          }>;
        };
      };
    }>;
  };
  status?: {
    conditions?: Array<GpuWorkloadCondition & { lastTransitionTime?: string | Date }>;
    admission?: {
      clusterQueue?: string;
      podSetAssignments?: Array<{
        name?: string;
        flavors?: Record<string, string>;
        count?: number;
      }>;
    };
  };
}

/** The parts of a batch/v1 Job the portal reads. */
export interface BatchJob {
  metadata?: {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: {
    activeDeadlineSeconds?: number;
    template?: { metadata?: { annotations?: Record<string, string> } };
  };
  status?: {
    startTime?: string | Date;
    active?: number;
    ready?: number;
    succeeded?: number;
    failed?: number;
  };
}

/** Resource names that are GPUs or MIG slices. */
export function isGpuResource(name: string): boolean {
  return name.startsWith('nvidia.com/');
}

function iso(value: string | Date | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : value;
}

function condition(wl: KueueWorkload, type: string) {
  return wl.status?.conditions?.find(c => c.type === type);
}

function isTrue(wl: KueueWorkload, type: string) {
  return condition(wl, type)?.status === 'True';
}

/**
 * Expected run time of a job in seconds: the portal's annotation
 * (`portal.cloud-smart.io/expected-duration`, set by the training job
 * template), else the job's deadline (`spec.activeDeadlineSeconds`, then the
 * Workload's `maximumExecutionTimeSeconds`) as an upper bound, else the lab
 * cluster's `lab.cloud-smart.io/run-seconds` pod annotation.
 */
export function expectedDurationSeconds(
  wl: KueueWorkload,
  job: BatchJob | undefined,
): number | undefined {
  const annotated = job?.metadata?.annotations?.[EXPECTED_DURATION_ANNOTATION];
  const parsed = annotated ? parseDuration(annotated) : undefined;
  if (parsed !== undefined) return parsed / 1000;
  if (job?.spec?.activeDeadlineSeconds) return job.spec.activeDeadlineSeconds;
  if (wl.spec?.maximumExecutionTimeSeconds) {
    return wl.spec.maximumExecutionTimeSeconds;
  }
  const lab =
    job?.spec?.template?.metadata?.annotations?.[LAB_RUN_SECONDS_ANNOTATION] ??
    wl.spec?.podSets?.[0]?.template?.metadata?.annotations?.[
      LAB_RUN_SECONDS_ANNOTATION
    ];
  const seconds = lab === undefined ? NaN : Number(lab);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** GPUs the workload asks for, summed over its pod sets, by resource name. */
export function workloadGpus(wl: KueueWorkload): Record<string, number> {
  const gpus: Record<string, number> = {};
  for (const podSet of wl.spec?.podSets ?? []) {
    const count = podSet.count ?? 1;
    for (const container of podSet.template?.spec?.containers ?? []) {
      const resources = {
        ...container.resources?.limits,
        ...container.resources?.requests,
      };
      for (const [name, value] of Object.entries(resources)) {
        if (!isGpuResource(name)) continue;
        const amount = parseQuantityNumber(String(value)) ?? 0;
        gpus[name] = (gpus[name] ?? 0) + amount * count;
      }
    }
  }
  return gpus;
}

/**
 * The Job's pods have started: some are ready, or some already ended. Pods
 * that ended before Kueue marks the Workload Finished (the Job controller
 * counts them first) keep the workload running, not back to admitted.
 */
function jobHasStarted(job: BatchJob | undefined) {
  const status = job?.status;
  const ready = status?.ready ?? status?.active ?? 0;
  return ready > 0 || (status?.succeeded ?? 0) > 0 || (status?.failed ?? 0) > 0;
}

/**
 * Where the workload is in its life, and the condition that says why, from
 * Kueue's conditions (Finished, Admitted, QuotaReserved, PodsReady, Evicted)
 * and `spec.active`; running also when the Job reports ready or ended pods,
 * since `PodsReady` exists only with Kueue's waitForPodsReady.
 */
export function workloadState(
  wl: KueueWorkload,
  job: BatchJob | undefined,
): { state: GpuWorkloadState; cause?: GpuWorkloadCondition } {
  if (isTrue(wl, 'Finished')) {
    return { state: 'finished', cause: condition(wl, 'Finished') };
  }
  if (wl.spec?.active === false) {
    return {
      state: 'inactive',
      cause: condition(wl, 'Evicted') ?? condition(wl, 'QuotaReserved'),
    };
  }
  if (isTrue(wl, 'Admitted')) {
    if (isTrue(wl, 'PodsReady') || jobHasStarted(job)) {
      return {
        state: 'running',
        cause: condition(wl, 'PodsReady') ?? condition(wl, 'Admitted'),
      };
    }
    return { state: 'admitted', cause: condition(wl, 'Admitted') };
  }
  if (isTrue(wl, 'Evicted') || isTrue(wl, 'Preempted')) {
    return {
      state: 'evicted',
      cause: condition(wl, 'Evicted') ?? condition(wl, 'Preempted'),
    };
  }
  return {
    state: 'pending',
    cause: condition(wl, 'QuotaReserved') ?? condition(wl, 'Admitted'),
  };
}

/**
 * A team's view of one Workload and its Job, without queue positions and
 * estimated start (they need the rest of the queue).
 */
export function describeWorkload(options: {
  cluster: string;
  team: string;
  workload: KueueWorkload;
  job?: BatchJob;
}): GpuWorkload {
  const { cluster, team, workload: wl, job } = options;
  const { state, cause } = workloadState(wl, job);
  const owner =
    wl.metadata?.ownerReferences?.find(r => r.controller) ??
    wl.metadata?.ownerReferences?.[0];
  const flavors: Record<string, string> = {};
  for (const assignment of wl.status?.admission?.podSetAssignments ?? []) {
    for (const [resource, flavor] of Object.entries(assignment.flavors ?? {})) {
      if (isGpuResource(resource)) flavors[resource] = flavor;
    }
  }
  const admitted = condition(wl, 'Admitted');
  const finished = condition(wl, 'Finished');
  const admittedAt =
    admitted?.status === 'True' ? iso(admitted.lastTransitionTime) : undefined;
  const expected = expectedDurationSeconds(wl, job);
  let expectedEnd: string | undefined;
  const startedAt = iso(job?.status?.startTime) ?? admittedAt;
  if ((state === 'running' || state === 'admitted') && expected && startedAt) {
    expectedEnd = new Date(
      Date.parse(startedAt) + expected * 1000,
    ).toISOString();
  }
  return {
    cluster,
    namespace: wl.metadata?.namespace ?? '',
    team,
    name: wl.metadata?.name ?? '',
    job: owner ? { kind: owner.kind, name: owner.name } : undefined,
    localQueue: wl.spec?.queueName,
    clusterQueue: wl.status?.admission?.clusterQueue,
    state,
    reason: cause?.reason,
    message: cause?.message,
    conditions: (wl.status?.conditions ?? []).map(c => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: iso(c.lastTransitionTime),
    })),
    gpus: workloadGpus(wl),
    flavors,
    createdAt: iso(wl.metadata?.creationTimestamp),
    admittedAt,
    finishedAt:
      finished?.status === 'True' ? iso(finished.lastTransitionTime) : undefined,
    expectedDurationSeconds: expected,
    expectedEnd,
  };
}
