// An emulation of NVIDIA's dcgm-exporter for the lab's GPU nodes: per node,
// the exporter's text exposition of DCGM_FI_PROF_GR_ENGINE_ACTIVE,
// DCGM_FI_DEV_GPU_UTIL and DCGM_FI_DEV_FB_USED for every GPU and MIG
// instance, with the exporter's labels, driven by the running pods placed on
// the node (spec.nodeName) and their gpu-activity annotation.
import { createHash } from 'node:crypto';
import { resourceKey } from '../api/resources';
import { ObjectStore } from '../store/store';
import { parseQuantity } from '../util/quantity';
import { activityAt, GPU_ACTIVITY_ANNOTATION, parseActivity } from './activity';

const GPU_RESOURCE = 'nvidia.com/gpu';
const MIG_PREFIX = 'nvidia.com/mig-';
const DRIVER_VERSION = '550.90.07';
const NODES = resourceKey('', 'nodes');
const PODS = resourceKey('', 'pods');

/** One GPU or one MIG instance of a node. */
export interface GpuDevice {
  /** Physical GPU index on the node. */
  index: number;
  uuid: string;
  /** Framebuffer of the device (the MIG instance's for MIG) in MiB. */
  memoryMiB: number;
  mig?: { profile: string; instanceId: number };
}

/** Who holds a device: a running pod's container. */
interface Holder {
  namespace: string;
  pod: string;
  container: string;
  activity: number;
}

function gpuUuid(cluster: string, node: string, index: number): string {
  const h = createHash('sha1')
    .update(`${cluster}/${node}/${index}`)
    .digest('hex');
  return `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

function allocatableOf(node: any): Record<string, unknown> {
  return node?.status?.allocatable ?? node?.status?.capacity ?? {};
}

/** True when the node exposes GPUs or MIG instances. */
export function isGpuNode(node: any): boolean {
  return Object.entries(allocatableOf(node)).some(
    ([k, v]) =>
      (k === GPU_RESOURCE || k.startsWith(MIG_PREFIX)) &&
      parseQuantity(String(v)) > 0,
  );
}

/**
 * The node's devices: full GPUs first (indices 0..n-1), then the GPUs split
 * into MIG instances. A profile `<k>g.<mem>gb` fits floor(7 / k) times on one
 * GPU (A100/H100 geometry), so `count` instances need ceil(count / that) GPUs.
 */
export function gpuDevices(cluster: string, node: any): GpuDevice[] {
  const name = node.metadata.name as string;
  const allocatable = allocatableOf(node);
  const labels = node.metadata.labels ?? {};
  const memoryMiB = Number(labels['nvidia.com/gpu.memory'] ?? 0);
  const devices: GpuDevice[] = [];
  let index = 0;
  const full = parseQuantity(String(allocatable[GPU_RESOURCE] ?? '0'));
  for (let i = 0; i < full; i++, index++) {
    devices.push({ index, uuid: gpuUuid(cluster, name, index), memoryMiB });
  }
  const profiles = Object.keys(allocatable)
    .filter(k => k.startsWith(MIG_PREFIX))
    .sort();
  for (const key of profiles) {
    const profile = key.slice(MIG_PREFIX.length);
    const count = parseQuantity(String(allocatable[key]));
    const slices = Number(/^(\d+)g\./.exec(profile)?.[1] ?? 7);
    const perGpu = Math.max(1, Math.floor(7 / slices));
    const migMemory = Number(
      labels[`nvidia.com/mig-${profile}.memory`] ??
        Number(/\.(\d+)gb$/.exec(profile)?.[1] ?? 0) * 1024,
    );
    for (let n = 0; n < count; n++) {
      const parent = index + Math.floor(n / perGpu);
      devices.push({
        index: parent,
        uuid: gpuUuid(cluster, name, parent),
        memoryMiB: migMemory,
        mig: { profile, instanceId: (n % perGpu) + 1 },
      });
    }
    index += Math.ceil(count / perGpu);
  }
  return devices;
}

function deviceKey(d: GpuDevice): string {
  return d.mig
    ? `${d.mig.profile}/${d.index}/${d.mig.instanceId}`
    : `${d.index}`;
}

function resourceOf(d: GpuDevice): string {
  return d.mig ? `${MIG_PREFIX}${d.mig.profile}` : GPU_RESOURCE;
}

/** What each container of a pod asks for, per GPU resource (limits, else requests). */
function gpuRequests(
  pod: any,
): Array<{ container: string; resource: string; count: number }> {
  const out: Array<{ container: string; resource: string; count: number }> = [];
  for (const c of pod.spec?.containers ?? []) {
    const amounts = {
      ...(c.resources?.requests ?? {}),
      ...(c.resources?.limits ?? {}),
    };
    for (const [resource, value] of Object.entries(amounts)) {
      if (resource === GPU_RESOURCE || resource.startsWith(MIG_PREFIX)) {
        const count = parseQuantity(String(value));
        if (count > 0) out.push({ container: c.name, resource, count });
      }
    }
  }
  return out;
}

/**
 * Keeps which pod holds which device, like the device plugin: a running pod
 * keeps its devices for its life; new pods get the lowest free devices in
 * order of start.
 */
export class DeviceAssignments {
  /** `${cluster}/${node}` → device key → pod uid. */
  private readonly held = new Map<string, Map<string, string>>();

  assign(
    cluster: string,
    node: string,
    devices: GpuDevice[],
    pods: any[],
  ): Map<string, any> {
    const nodeKey = `${cluster}/${node}`;
    const previous = this.held.get(nodeKey) ?? new Map<string, string>();
    const byUid = new Map(pods.map(p => [uidOf(p), p] as const));
    const next = new Map<string, string>();
    for (const [key, uid] of previous) {
      if (byUid.has(uid)) next.set(key, uid);
    }
    const ordered = [...pods].sort(
      (a, b) =>
        String(
          a.status?.startTime ?? a.metadata?.creationTimestamp ?? '',
        ).localeCompare(
          String(b.status?.startTime ?? b.metadata?.creationTimestamp ?? ''),
        ) || uidOf(a).localeCompare(uidOf(b)),
    );
    for (const pod of ordered) {
      const uid = uidOf(pod);
      for (const { resource, count } of gpuRequests(pod)) {
        const have = devices.filter(
          d => resourceOf(d) === resource && next.get(deviceKey(d)) === uid,
        ).length;
        let missing = count - have;
        for (const d of devices) {
          if (missing <= 0) break;
          if (resourceOf(d) === resource && !next.has(deviceKey(d))) {
            next.set(deviceKey(d), uid);
            missing--;
          }
        }
      }
    }
    this.held.set(nodeKey, next);
    const holders = new Map<string, any>();
    for (const [key, uid] of next) holders.set(key, byUid.get(uid));
    return holders;
  }
}

function uidOf(pod: any): string {
  return String(
    pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`,
  );
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** dcgm-exporter reports the marketing name; the node label has GFD's hyphens. */
export function modelNameOf(node: any): string {
  const product = String(
    node.metadata.labels?.['nvidia.com/gpu.product'] ?? 'NVIDIA GPU',
  );
  return product.replace(/^NVIDIA-/, 'NVIDIA ');
}

function holderOf(pod: any, device: GpuDevice, now: Date): Holder {
  const annotation = pod.metadata?.annotations?.[GPU_ACTIVITY_ANNOTATION];
  const started = Date.parse(
    pod.status?.startTime ??
      pod.metadata?.creationTimestamp ??
      now.toISOString(),
  );
  let activity: number;
  try {
    activity = activityAt(
      parseActivity(annotation),
      (now.getTime() - started) / 1000,
    );
  } catch {
    // A pod with a bad annotation looks like a GPU that reports nothing
    // useful; 0 keeps the scrape alive, the pod is named in the exposition.
    activity = 0;
  }
  const container =
    gpuRequests(pod).find(r => r.resource === resourceOf(device))?.container ??
    '';
  return {
    namespace: pod.metadata.namespace,
    pod: pod.metadata.name,
    container,
    activity,
  };
}

/**
 * The text exposition the node's exporter would serve, or undefined when the
 * node does not exist, has no GPUs or is not Ready (a real exporter on such a
 * node cannot be scraped either).
 */
export function dcgmExposition(options: {
  cluster: string;
  node: string;
  store: ObjectStore;
  assignments: DeviceAssignments;
  now?: Date;
}): string | undefined {
  const { cluster, store, assignments } = options;
  const now = options.now ?? new Date();
  const node = store.get(NODES, '', options.node)?.obj;
  if (!node || !isGpuNode(node)) return undefined;
  const ready = (node.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  if (ready && ready.status !== 'True') return undefined;
  const pods = store
    .list(PODS)
    .map(e => e.obj)
    .filter(
      p => p.spec?.nodeName === options.node && p.status?.phase === 'Running',
    );
  const devices = gpuDevices(cluster, node);
  const holders = assignments.assign(cluster, options.node, devices, pods);
  const modelName = modelNameOf(node);
  const rows = devices.map(device => {
    const pod = holders.get(deviceKey(device));
    const holder = pod ? holderOf(pod, device, now) : undefined;
    const activity = holder?.activity ?? 0;
    const labels = [
      ['gpu', String(device.index)],
      ['UUID', device.uuid],
      [
        'pci_bus_id',
        `00000000:${(0x10 + device.index).toString(16).toUpperCase()}:00.0`,
      ],
      ['device', `nvidia${device.index}`],
      ['modelName', modelName],
      ...(device.mig
        ? [
            ['GPU_I_PROFILE', device.mig.profile],
            ['GPU_I_ID', String(device.mig.instanceId)],
          ]
        : []),
      ['Hostname', options.node],
      ['DCGM_FI_DRIVER_VERSION', DRIVER_VERSION],
      ['container', holder?.container ?? ''],
      ['namespace', holder?.namespace ?? ''],
      ['pod', holder?.pod ?? ''],
    ]
      .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
      .join(',');
    return {
      labels,
      activity,
      // A held device has its framebuffer in use in proportion to its
      // activity, at least a tenth (the model and CUDA context stay loaded).
      fbUsed: holder
        ? Math.round(device.memoryMiB * Math.max(0.1, activity))
        : 0,
    };
  });
  const metrics: Array<
    [string, string, string, (r: (typeof rows)[number]) => string]
  > = [
    [
      'DCGM_FI_DEV_GPU_UTIL',
      'gauge',
      'GPU utilization (in %).',
      r => String(Math.round(r.activity * 100)),
    ],
    [
      'DCGM_FI_DEV_FB_USED',
      'gauge',
      'Framebuffer memory used (in MiB).',
      r => String(r.fbUsed),
    ],
    [
      'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
      'gauge',
      'Ratio of time the graphics engine is active.',
      r => r.activity.toFixed(6),
    ],
  ];
  const lines: string[] = [];
  for (const [name, type, help, value] of metrics) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const row of rows) lines.push(`${name}{${row.labels}} ${value(row)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Prometheus HTTP service discovery (`http_sd_configs`): one target per GPU
 * node of every cluster, all on the admin server, told apart by
 * `__metrics_path__`, with `cluster` and `node` labels.
 */
export function dcgmTargets(
  clusters: Array<{ name: string; store: ObjectStore }>,
  adminHostPort: string,
): Array<{ targets: string[]; labels: Record<string, string> }> {
  const groups: Array<{ targets: string[]; labels: Record<string, string> }> =
    [];
  for (const c of clusters) {
    for (const { obj } of c.store.list(NODES)) {
      if (!isGpuNode(obj)) continue;
      const node = obj.metadata.name as string;
      groups.push({
        targets: [adminHostPort],
        labels: {
          __metrics_path__: `/metrics/dcgm/${encodeURIComponent(
            c.name,
          )}/${encodeURIComponent(node)}`,
          cluster: c.name,
          node,
          instance: `${c.name}/${node}`,
        },
      });
    }
  }
  return groups;
}
