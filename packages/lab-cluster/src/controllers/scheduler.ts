// The lab's kube-scheduler: binds pending pods without spec.nodeName to a
// Ready, schedulable node with enough free allocatable, honouring
// nodeSelector, required node affinity and NoSchedule/NoExecute taints. The
// filters run in the default profile's order (NodeUnschedulable,
// TaintToleration, NodeAffinity, NodeResourcesFit) and a pod that fits
// nowhere gets PodScheduled=False/Unschedulable with the real FitError text.
import {
  ResourceList,
  isNodeReady,
  isTerminalPod,
  matchesNodeSelection,
  nodeAllocatable,
  podRequests,
  untoleratedTaint,
} from './podResources';

export interface NodeState {
  node: any;
  name: string;
  allocatable: ResourceList;
  used: ResourceList;
}

export type Placement = { node: string } | { unschedulable: string };

/** Requests of every non-terminal pod bound to each node, fixture pods included. */
export function nodeStates(nodes: any[], pods: any[]): NodeState[] {
  const byName = new Map<string, NodeState>();
  for (const node of nodes) {
    byName.set(node.metadata.name, {
      node,
      name: node.metadata.name,
      allocatable: nodeAllocatable(node),
      used: {},
    });
  }
  for (const pod of pods) {
    const state = byName.get(pod.spec?.nodeName);
    if (!state || isTerminalPod(pod)) continue;
    addUsage(state, podRequests(pod.spec));
  }
  return [...byName.values()];
}

function addUsage(state: NodeState, requests: ResourceList): void {
  for (const [k, v] of Object.entries(requests))
    state.used[k] = (state.used[k] ?? 0) + v;
  state.used.pods = (state.used.pods ?? 0) + 1;
}

const NOT_READY_TAINT = {
  key: 'node.kubernetes.io/not-ready',
  value: '',
  effect: 'NoSchedule',
};

/** Why a node cannot take the pod: the first failing filter's reasons, empty when it fits. */
function filterNode(
  pod: any,
  requests: ResourceList,
  state: NodeState,
): { reasons: string[]; resolvableByPreemption: boolean } {
  const { node } = state;
  const tolerations = pod.spec?.tolerations;
  if (
    node.spec?.unschedulable &&
    untoleratedTaint(
      [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
      tolerations,
    )
  )
    return {
      reasons: ['node(s) were unschedulable'],
      resolvableByPreemption: false,
    };
  // The node lifecycle controller taints a node that is not Ready; the lab
  // adds that taint here when a fixture's NotReady node lacks it.
  const taints = [...(node.spec?.taints ?? [])];
  if (
    !isNodeReady(node) &&
    !taints.some(
      t =>
        t.key === 'node.kubernetes.io/not-ready' ||
        t.key === 'node.kubernetes.io/unreachable',
    )
  )
    taints.push(NOT_READY_TAINT);
  const taint = untoleratedTaint(taints, tolerations);
  if (taint)
    return {
      reasons: [
        `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`,
      ],
      resolvableByPreemption: false,
    };
  if (!matchesNodeSelection(pod.spec, node.metadata?.labels ?? {}))
    return {
      reasons: ["node(s) didn't match Pod's node affinity/selector"],
      resolvableByPreemption: false,
    };
  const reasons: string[] = [];
  if ((state.used.pods ?? 0) + 1 > (state.allocatable.pods ?? Infinity))
    reasons.push('Too many pods');
  for (const [resource, want] of Object.entries(requests).sort()) {
    if (want <= 0) continue;
    const free =
      (state.allocatable[resource] ?? 0) - (state.used[resource] ?? 0);
    if (want - free > 1e-9) reasons.push(`Insufficient ${resource}`);
  }
  return { reasons, resolvableByPreemption: true };
}

function histogram(counts: Map<string, number>): string {
  return [...counts]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort()
    .join(', ');
}

/** LeastAllocated on cpu and memory, as the default scoring profile; ties go to the first name. */
function score(state: NodeState, requests: ResourceList): number {
  let total = 0;
  for (const r of ['cpu', 'memory']) {
    const alloc = state.allocatable[r] ?? 0;
    if (alloc <= 0) continue;
    total += (alloc - (state.used[r] ?? 0) - (requests[r] ?? 0)) / alloc;
  }
  return total;
}

/**
 * Places one pod on the given node states (and records its usage there when
 * it fits, so later pods of the same pass see it).
 */
export function placePod(pod: any, states: NodeState[]): Placement {
  const requests = podRequests(pod.spec);
  const reasons = new Map<string, number>();
  let preemptionHelpless = 0;
  let noVictims = 0;
  let best: NodeState | undefined;
  let bestScore = -Infinity;
  for (const state of [...states].sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const r = filterNode(pod, requests, state);
    if (r.reasons.length === 0) {
      const s = score(state, requests);
      if (s > bestScore) {
        best = state;
        bestScore = s;
      }
      continue;
    }
    for (const reason of r.reasons)
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    if (r.resolvableByPreemption) noVictims++;
    else preemptionHelpless++;
  }
  if (best) {
    addUsage(best, requests);
    return { node: best.name };
  }
  const n = states.length;
  const preemption = new Map<string, number>();
  if (noVictims)
    preemption.set('No preemption victims found for incoming pod', noVictims);
  if (preemptionHelpless)
    preemption.set(
      'Preemption is not helpful for scheduling',
      preemptionHelpless,
    );
  const message =
    n === 0
      ? 'no nodes available to schedule pods'
      : `0/${n} nodes are available: ${histogram(
          reasons,
        )}. preemption: 0/${n} nodes are available: ${histogram(preemption)}.`;
  return { unschedulable: message };
}

/** Pods the scheduler is responsible for: pending, unbound, for the default scheduler, not being deleted. */
export function needsScheduling(pod: any): boolean {
  return (
    !pod.spec?.nodeName &&
    !isTerminalPod(pod) &&
    !pod.metadata?.deletionTimestamp &&
    (pod.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler'
  );
}
