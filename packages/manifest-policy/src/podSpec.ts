import { Manifest } from './types';

/** A container of a pod spec, with the path to it for messages. */
export interface ContainerRef {
  container: Record<string, any>;
  path: string;
  init: boolean;
}

/** A pod spec found inside a workload object. */
export interface PodSpecRef {
  spec: Record<string, any>;
  path: string;
  /** Whether pods are expected to keep running (probes make sense). */
  longRunning: boolean;
}

const LONG_RUNNING = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
]);

/**
 * The pod spec of a workload object, wherever the kind keeps it.
 * Objects without pods (Service, ConfigMap, ...) return undefined.
 */
export function findPodSpec(manifest: Manifest): PodSpecRef | undefined {
  const o = manifest.object;
  switch (manifest.kind) {
    case 'Pod':
      return o.spec
        ? { spec: o.spec, path: 'spec', longRunning: true }
        : undefined;
    case 'CronJob': {
      const spec = o.spec?.jobTemplate?.spec?.template?.spec;
      return spec
        ? {
            spec,
            path: 'spec.jobTemplate.spec.template.spec',
            longRunning: false,
          }
        : undefined;
    }
    case 'Job': {
      const spec = o.spec?.template?.spec;
      return spec
        ? { spec, path: 'spec.template.spec', longRunning: false }
        : undefined;
    }
    default: {
      if (!LONG_RUNNING.has(manifest.kind)) {
        return undefined;
      }
      const spec = o.spec?.template?.spec;
      return spec
        ? { spec, path: 'spec.template.spec', longRunning: true }
        : undefined;
    }
  }
}

/** Every container and init container of a pod spec. */
export function containersOf(pod: PodSpecRef): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const [field, init] of [
    ['initContainers', true],
    ['containers', false],
  ] as const) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) {
      continue;
    }
    list.forEach((container: Record<string, any>, index: number) => {
      const label = container?.name ?? String(index);
      out.push({
        container: container ?? {},
        path: `${pod.path}.${field}[${label}]`,
        init,
      });
    });
  }
  return out;
}
