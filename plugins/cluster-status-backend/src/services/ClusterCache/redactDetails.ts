import type {
  ClusterDetails,
  NamespaceDetails,
} from '@internal/plugin-cluster-status-common';

/** Warning events served per cluster, most recent first. */
const MAX_EVENTS = 50;

/**
 * Keeps the namespaces the caller may see in detail and reduces the rest to
 * counts and totals. Node-level figures stay: they name no team's workloads.
 */
export function redactDetails(
  details: ClusterDetails,
  canSee: (namespace: string) => boolean,
): ClusterDetails {
  const namespaces: NamespaceDetails[] = [];
  const hidden = { count: 0, pods: 0, gpuRequested: 0 };
  for (const ns of details.namespaces) {
    if (canSee(ns.name)) {
      namespaces.push(ns);
    } else {
      hidden.count += 1;
      hidden.pods += ns.pods;
      hidden.gpuRequested += ns.gpuRequested;
    }
  }
  const problemPods = details.problemPods.filter(p => canSee(p.namespace));
  const visibleEvents = details.warningEvents.filter(
    e =>
      e.namespace === undefined ||
      e.involvedObject.kind === 'Node' ||
      canSee(e.namespace),
  );
  return {
    ...details,
    namespaces,
    hiddenNamespaces: hidden,
    problemPods,
    hiddenProblemPods: details.problemPods.length - problemPods.length,
    warningEvents: visibleEvents.slice(0, MAX_EVENTS),
    hiddenWarningEvents: details.warningEvents.length - visibleEvents.length,
  };
}
