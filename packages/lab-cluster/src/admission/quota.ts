// ResourceQuota admission for pods and upkeep of quota status.used, with the
// exceeded-quota message the real quota admission plugin produces.
import { forbidden } from '../api/errors';
import {
  exceeds,
  formatQuantity,
  isValidQuantity,
  parseQuantity,
} from '../util/quantity';

const STANDARD_COMPUTE = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** Terminated pods stop counting against quota. */
export function isTerminal(pod: any): boolean {
  const phase = pod?.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

function containerResources(c: any): {
  requests: Record<string, number>;
  limits: Record<string, number>;
} {
  const requests: Record<string, number> = {};
  const limits: Record<string, number> = {};
  const r = c?.resources ?? {};
  for (const [k, v] of Object.entries(r.limits ?? {}))
    if (isValidQuantity(v)) limits[k] = parseQuantity(v as string);
  for (const [k, v] of Object.entries(r.requests ?? {}))
    if (isValidQuantity(v)) requests[k] = parseQuantity(v as string);
  // Defaulting: a limit without a request implies an equal request.
  for (const [k, v] of Object.entries(limits))
    if (!(k in requests)) requests[k] = v;
  return { requests, limits };
}

/** The quota usage a single pod contributes (`pods`, `requests.cpu`, `limits.nvidia.com/gpu`, ...). */
export function podUsage(pod: any): Record<string, number> {
  const usage: Record<string, number> = { pods: 1, count: 1 };
  const add = (name: string, value: number) => {
    usage[name] = (usage[name] ?? 0) + value;
  };
  const sum = {
    requests: {} as Record<string, number>,
    limits: {} as Record<string, number>,
  };
  for (const c of pod?.spec?.containers ?? []) {
    const { requests, limits } = containerResources(c);
    for (const [k, v] of Object.entries(requests))
      sum.requests[k] = (sum.requests[k] ?? 0) + v;
    for (const [k, v] of Object.entries(limits))
      sum.limits[k] = (sum.limits[k] ?? 0) + v;
  }
  // Init containers run one at a time, so the effective request is the max of the two.
  for (const c of pod?.spec?.initContainers ?? []) {
    const { requests, limits } = containerResources(c);
    for (const [k, v] of Object.entries(requests))
      sum.requests[k] = Math.max(sum.requests[k] ?? 0, v);
    for (const [k, v] of Object.entries(limits))
      sum.limits[k] = Math.max(sum.limits[k] ?? 0, v);
  }
  for (const [k, v] of Object.entries(sum.requests)) {
    add(`requests.${k}`, v);
    if (STANDARD_COMPUTE.has(k)) add(k, v);
  }
  for (const [k, v] of Object.entries(sum.limits)) add(`limits.${k}`, v);
  delete usage.count;
  return usage;
}

export function computeUsed(
  hard: Record<string, unknown>,
  pods: any[],
): Record<string, string> {
  const totals: Record<string, number> = {};
  for (const name of Object.keys(hard)) totals[name] = 0;
  for (const pod of pods) {
    if (isTerminal(pod)) continue;
    const u = podUsage(pod);
    for (const name of Object.keys(hard)) {
      const key = name === 'count/pods' ? 'pods' : name;
      totals[name] += u[key] ?? 0;
    }
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(totals)) out[k] = formatQuantity(v, k);
  return out;
}

function hardOf(quota: any): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(quota?.spec?.hard ?? {}))
    if (isValidQuantity(v)) out[k] = parseQuantity(v as string);
  return out;
}

/**
 * Throws 403 when admitting `pod` would exceed any quota of its namespace.
 * `pods` are the namespace's existing pods (the new one excluded).
 */
export function admitPod(pod: any, quotas: any[], pods: any[]): void {
  if (isTerminal(pod)) return;
  const usage = podUsage(pod);
  const sorted = [...quotas].sort((a, b) =>
    a.metadata.name.localeCompare(b.metadata.name),
  );
  // Backward-compatible rule of the real quota plugin: quota on cpu/memory forces every
  // container to state that request/limit explicitly (after defaulting).
  for (const quota of sorted) {
    const missing = missingConstraints(
      pod,
      Object.keys(quota?.spec?.hard ?? {}),
    );
    if (missing)
      throw forbidden(
        'pods',
        '',
        pod.metadata.name,
        `failed quota: ${quota.metadata.name}: must specify ${missing}`,
      );
  }
  for (const quota of sorted) {
    const hard = hardOf(quota);
    const exceeded: string[] = [];
    const used: Record<string, number> = {};
    for (const name of Object.keys(hard)) used[name] = 0;
    for (const p of pods) {
      if (isTerminal(p)) continue;
      const u = podUsage(p);
      for (const name of Object.keys(hard))
        used[name] += u[name === 'count/pods' ? 'pods' : name] ?? 0;
    }
    for (const name of Object.keys(hard).sort()) {
      const req = usage[name === 'count/pods' ? 'pods' : name] ?? 0;
      if (req > 0 && exceeds(used[name] + req, hard[name])) exceeded.push(name);
    }
    if (exceeded.length > 0) {
      const fmt = (values: (n: string) => number) =>
        exceeded.map(n => `${n}=${formatQuantity(values(n), n)}`).join(',');
      throw forbidden(
        'pods',
        '',
        pod.metadata.name,
        `exceeded quota: ${quota.metadata.name}, requested: ${fmt(
          n => usage[n === 'count/pods' ? 'pods' : n] ?? 0,
        )}, used: ${fmt(n => used[n])}, limited: ${fmt(n => hard[n])}`,
      );
    }
  }
}

const CONSTRAINED = [
  'cpu',
  'memory',
  'limits.cpu',
  'limits.memory',
  'requests.cpu',
  'requests.memory',
];

function missingConstraints(pod: any, hardKeys: string[]): string | undefined {
  const required = hardKeys.filter(k => CONSTRAINED.includes(k));
  if (required.length === 0) return undefined;
  const missing = new Map<string, string[]>();
  for (const c of [
    ...(pod?.spec?.containers ?? []),
    ...(pod?.spec?.initContainers ?? []),
  ]) {
    for (const r of required) {
      const [kind, name] = r.includes('.')
        ? (r.split('.') as [string, string])
        : ['requests', r];
      const has =
        c?.resources?.[kind]?.[name] !== undefined ||
        (kind === 'requests' && c?.resources?.limits?.[name] !== undefined);
      if (!has) missing.set(r, [...(missing.get(r) ?? []), c.name]);
    }
  }
  if (missing.size === 0) return undefined;
  return [...missing.keys()]
    .sort()
    .map(r => `${r} for: ${missing.get(r)!.sort().join(',')}`)
    .join('; ');
}
