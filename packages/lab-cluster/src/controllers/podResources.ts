// What a pod asks of a node, and what a node offers: requests (containers
// summed, init containers as a maximum, limits standing in for missing
// requests), allocatable, taints against tolerations, nodeSelector and
// required node affinity. Shared by the scheduler and the Kueue emulation.
import { isValidQuantity, parseQuantity } from '../util/quantity';

export type ResourceList = Record<string, number>;

function containerRequests(c: any): ResourceList {
  const out: ResourceList = {};
  const r = c?.resources ?? {};
  for (const [k, v] of Object.entries(r.limits ?? {}))
    if (isValidQuantity(v)) out[k] = parseQuantity(v as string);
  for (const [k, v] of Object.entries(r.requests ?? {}))
    if (isValidQuantity(v)) out[k] = parseQuantity(v as string);
  return out;
}

/** Effective requests of a pod spec, as the scheduler's NodeResourcesFit computes them. */
export function podRequests(spec: any): ResourceList {
  const sum: ResourceList = {};
  for (const c of spec?.containers ?? [])
    for (const [k, v] of Object.entries(containerRequests(c)))
      sum[k] = (sum[k] ?? 0) + v;
  for (const c of spec?.initContainers ?? [])
    for (const [k, v] of Object.entries(containerRequests(c)))
      sum[k] = Math.max(sum[k] ?? 0, v);
  return sum;
}

export function nodeAllocatable(node: any): ResourceList {
  const out: ResourceList = {};
  const list = node?.status?.allocatable ?? node?.status?.capacity ?? {};
  for (const [k, v] of Object.entries(list))
    if (isValidQuantity(v)) out[k] = parseQuantity(v as string);
  return out;
}

export function isTerminalPod(pod: any): boolean {
  const phase = pod?.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

function tolerates(toleration: any, taint: any): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') {
    return !toleration.key || toleration.key === taint.key;
  }
  return (
    toleration.key === taint.key &&
    (toleration.value ?? '') === (taint.value ?? '')
  );
}

/** The first NoSchedule/NoExecute taint none of the tolerations tolerate. */
export function untoleratedTaint(
  taints: any[] | undefined,
  tolerations: any[] | undefined,
): any | undefined {
  for (const taint of taints ?? []) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!(tolerations ?? []).some(t => tolerates(t, taint))) return taint;
  }
  return undefined;
}

function matchesExpression(labels: Record<string, string>, e: any): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, e.key);
  const values: string[] = e.values ?? [];
  switch (e.operator) {
    case 'In':
      return has && values.includes(labels[e.key]);
    case 'NotIn':
      return !has || !values.includes(labels[e.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return has && Number(labels[e.key]) > Number(values[0]);
    case 'Lt':
      return has && Number(labels[e.key]) < Number(values[0]);
    default:
      return false;
  }
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution against node labels. */
export function matchesNodeSelection(
  spec: any,
  labels: Record<string, string>,
): boolean {
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {}))
    if (labels[k] !== v) return false;
  const terms: any[] | undefined =
    spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  // Terms are ORed; expressions within a term are ANDed.
  return terms.some(term =>
    (term.matchExpressions ?? []).every((e: any) =>
      matchesExpression(labels, e),
    ),
  );
}

export function isNodeReady(node: any): boolean {
  const ready = (node?.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  return ready?.status === 'True';
}

/** metav1.LabelSelector (matchLabels and matchExpressions) against labels; an empty selector matches everything. */
export function matchesLabelSelector(
  selector: any,
  labels: Record<string, string>,
): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {}))
    if (labels[k] !== v) return false;
  return (selector.matchExpressions ?? []).every((e: any) =>
    matchesExpression(labels, e),
  );
}
