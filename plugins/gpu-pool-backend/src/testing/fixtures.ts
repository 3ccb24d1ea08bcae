import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import type { LabFleet } from '@internal/lab-cluster';

/** Who is in which group in the example organisation. */
export const members: Record<string, string[]> = {
  'user:default/hyunwoo.park': ['group:default/platform-team'],
  'user:default/minji.lee': ['group:default/platform-team'],
  'user:default/jiwoo.kim': ['group:default/ml-team'],
  'user:default/jisoo.han': ['group:default/payments-team'],
  'user:default/eunji.song': ['group:default/citizen-services-team'],
};

/** userInfo that knows the example organisation's groups. */
export const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef as string;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(members[ref] ?? [])],
      };
    },
  }),
});

/** Captures signals and notifications instead of sending them. */
export function sinks() {
  const signals: any[] = [];
  const notifications: any[] = [];
  return {
    signals,
    notifications,
    factories: [
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({ publish: async (s: any) => void signals.push(s) }),
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({ send: async (n: any) => void notifications.push(n) }),
      }),
    ],
  };
}

/** The lab pools of lab-main and lab-edge, as in app-config.yaml. */
export const labPools = [
  {
    id: 'lab-main-a100',
    cluster: 'lab-main',
    title: 'A100 80GB',
    resource: 'nvidia.com/gpu',
    product: 'NVIDIA-A100-SXM4-80GB',
    maxPerRequest: 8,
    maxDuration: 'P7D',
    defaultDuration: 'P1D',
  },
  {
    id: 'lab-main-h100',
    cluster: 'lab-main',
    title: 'H100 80GB',
    resource: 'nvidia.com/gpu',
    product: 'NVIDIA-H100-80GB-HBM3',
    maxPerRequest: 8,
    maxDuration: 'P7D',
    defaultDuration: 'P1D',
  },
  {
    id: 'lab-main-l40s',
    cluster: 'lab-main',
    title: 'L40S',
    resource: 'nvidia.com/gpu',
    product: 'NVIDIA-L40S',
    maxPerRequest: 4,
    maxDuration: 'P14D',
    defaultDuration: 'P3D',
  },
  {
    id: 'lab-main-mig-1g-10gb',
    cluster: 'lab-main',
    title: 'A100 MIG 1g.10gb',
    resource: 'nvidia.com/mig-1g.10gb',
    maxPerRequest: 7,
    maxDuration: 'P14D',
    defaultDuration: 'P3D',
  },
  {
    id: 'lab-main-mig-3g-40gb',
    cluster: 'lab-main',
    title: 'A100 MIG 3g.40gb',
    resource: 'nvidia.com/mig-3g.40gb',
    maxPerRequest: 4,
    maxDuration: 'P7D',
    defaultDuration: 'P1D',
  },
  {
    id: 'lab-edge-l40s',
    cluster: 'lab-edge',
    title: 'L40S (edge)',
    resource: 'nvidia.com/gpu',
    product: 'NVIDIA-L40S',
    maxPerRequest: 2,
    maxDuration: 'P30D',
    defaultDuration: 'P7D',
  },
];

/** Config for a fleet on random ports. */
export function labConfig(lab: LabFleet, gpuPool: object = {}) {
  return {
    portal: { platformTeam: 'group:default/platform-team' },
    kubernetesAccess: {
      defaultTimeoutMs: 3000,
      clusters: lab.clusters.map(c => ({
        name: c.name,
        url: c.url,
        auth: { provider: 'serviceAccount', serviceAccountToken: c.token },
        // The reconciler writes as deploy/rbac's portal-writer, as in production.
        writerAuth: {
          provider: 'serviceAccount',
          serviceAccountToken: c.writerToken,
        },
      })),
    },
    gpuPool: {
      reconcileIntervalSeconds: 1,
      notifyBeforeExpiry: 'PT1H',
      clusters: [
        { name: 'lab-main', enforcement: 'kueue' },
        { name: 'lab-edge', enforcement: 'quota' },
      ],
      stopGracePeriod: 'PT0S',
      pools: labPools,
      allowances: [
        { team: 'group:default/ml-team', pool: 'lab-main-h100', gpus: 4 },
        { team: 'group:default/ml-team', pool: 'lab-main-a100', gpus: 4 },
        {
          team: 'group:default/ml-team',
          pool: 'lab-main-mig-1g-10gb',
          gpus: 7,
        },
        { team: 'group:default/payments-team', pool: 'lab-main-l40s', gpus: 2 },
      ],
      ...gpuPool,
    },
  };
}

/** Polls until `fn` returns a truthy value. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(
    `condition not met in ${timeoutMs} ms${last ? `: ${last}` : ''}`,
  );
}

/**
 * A scheduler that really runs tasks at their frequency (the mock one only
 * runs them on demand), so tests see the reconciler's periodic passes.
 */
export function intervalScheduler() {
  const timers: NodeJS.Timeout[] = [];
  const factory = createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () =>
      ({
        async scheduleTask(task: any) {
          const ms = (task.frequency.seconds ?? 1) * 1000;
          let running = false;
          timers.push(
            setInterval(async () => {
              if (running) return;
              running = true;
              try {
                await task.fn(new AbortController().signal);
              } catch {
                // the next run retries
              } finally {
                running = false;
              }
            }, ms),
          );
        },
        async triggerTask() {},
        async getScheduledTasks() {
          return [];
        },
        createScheduledTaskRunner: () => {
          throw new Error('not supported');
        },
      } as any),
  });
  return { factory, stop: () => timers.forEach(t => clearInterval(t)) };
}
