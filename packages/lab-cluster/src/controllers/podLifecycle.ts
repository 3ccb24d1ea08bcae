// The kubelet's part: a pod bound to a node starts Running; a pod annotated
// `lab.cloud-smart.io/run-seconds: "<n>"` succeeds n lab seconds after it
// started.
import { LabClock, labTimestamp } from './clock';
import { ObjectWriter } from './objectWriter';

export const RUN_SECONDS_ANNOTATION = 'lab.cloud-smart.io/run-seconds';

/** The run time in ms, undefined when the pod runs until deleted; throws on a malformed value. */
export function runSecondsOf(meta: any): number | undefined {
  const raw = meta?.annotations?.[RUN_SECONDS_ANNOTATION];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+(\.\d+)?$/.test(raw.trim()))
    throw new Error(
      `metadata.annotations[${RUN_SECONDS_ANNOTATION}]: Invalid value: ${JSON.stringify(
        raw,
      )}: must be a non-negative number of seconds`,
    );
  return Number(raw) * 1000;
}

function ipFor(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `10.244.${(h >> 8) % 250}.${(h % 250) + 2}`;
}

export class PodLifecycle {
  /** uid → lab ms when the pod started, for pods this controller started. */
  private readonly started = new Map<string, number>();

  constructor(
    private readonly clock: LabClock,
    private readonly writer: ObjectWriter,
  ) {}

  /** The earliest lab time a running timed pod is due, for the runtime's tick. */
  nextDue(pods: any[]): number | undefined {
    let due: number | undefined;
    for (const pod of pods) {
      const d = this.dueAt(pod);
      if (d !== undefined && (due === undefined || d < due)) due = d;
    }
    return due;
  }

  private dueAt(pod: any): number | undefined {
    if (pod.status?.phase !== 'Running') return undefined;
    let run: number | undefined;
    try {
      run = runSecondsOf(pod.metadata);
    } catch {
      return undefined;
    }
    if (run === undefined) return undefined;
    const start =
      this.started.get(pod.metadata.uid) ??
      Date.parse(pod.status?.startTime ?? '');
    return Number.isFinite(start) ? start + run : undefined;
  }

  sync(pods: any[]): void {
    const now = labTimestamp(this.clock);
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      if (pod.spec?.nodeName && pod.status?.phase === 'Pending') {
        this.start(pod, now);
        continue;
      }
      const due = this.dueAt(pod);
      if (due !== undefined && this.clock.now() >= due) this.succeed(pod, now);
    }
  }

  forget(uid: string): void {
    this.started.delete(uid);
  }

  private start(pod: any, now: string): void {
    this.started.set(pod.metadata.uid, this.clock.now());
    const containers: any[] = pod.spec?.containers ?? [];
    this.writer.update(
      {
        ...pod,
        status: {
          ...pod.status,
          phase: 'Running',
          podIP: ipFor(`${pod.metadata.namespace}/${pod.metadata.name}`),
          startTime: now,
          conditions: [
            {
              type: 'PodReadyToStartContainers',
              status: 'True',
              lastTransitionTime: now,
            },
            { type: 'Initialized', status: 'True', lastTransitionTime: now },
            { type: 'Ready', status: 'True', lastTransitionTime: now },
            {
              type: 'ContainersReady',
              status: 'True',
              lastTransitionTime: now,
            },
            ...(pod.status?.conditions ?? []).filter(
              (c: any) => c.type === 'PodScheduled',
            ),
          ],
          containerStatuses: containers.map(c => ({
            name: c.name,
            image: c.image,
            imageID: '',
            ready: true,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: now } },
          })),
        },
      },
      'status',
    );
  }

  private succeed(pod: any, now: string): void {
    this.started.delete(pod.metadata.uid);
    const notReady = {
      status: 'False',
      reason: 'PodCompleted',
      lastTransitionTime: now,
    };
    this.writer.update(
      {
        ...pod,
        status: {
          ...pod.status,
          phase: 'Succeeded',
          conditions: (pod.status?.conditions ?? []).map((c: any) =>
            c.type === 'Ready' || c.type === 'ContainersReady'
              ? { type: c.type, ...notReady }
              : c,
          ),
          containerStatuses: (pod.status?.containerStatuses ?? []).map(
            (s: any) => ({
              ...s,
              ready: false,
              started: false,
              state: {
                terminated: {
                  exitCode: 0,
                  reason: 'Completed',
                  startedAt: s.state?.running?.startedAt ?? now,
                  finishedAt: now,
                },
              },
            }),
          ),
        },
      },
      'status',
    );
  }
}
