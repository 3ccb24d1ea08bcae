// Kueue's answer to Jobs that skip the queue: with the manager's
// Configuration (config.kueue.x-k8s.io) field manageJobsWithoutQueueName,
// a batch/v1 Job without the kueue.x-k8s.io/queue-name label in a namespace
// that managedJobsNamespaceSelector selects is created suspended and kept
// suspended: it never starts until it names a queue and is admitted.
// Without it such a Job bypasses Kueue and only a ResourceQuota limits it.
import type { ObjectStore } from '../store/store';
import { resourceKey } from '../api/resources';
import { matchesLabelSelector } from '../controllers/podResources';
import { queueNameOf } from './names';

/** A Kubernetes label selector (metav1.LabelSelector). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }>;
}

/**
 * The fields of Kueue's Configuration that the lab's emulation honours,
 * spelled as in config.kueue.x-k8s.io.
 */
export interface KueueManagerConfig {
  /** Manage Jobs without a queue name (hold them suspended). Default false. */
  manageJobsWithoutQueueName?: boolean;
  /**
   * Namespaces where manageJobsWithoutQueueName applies. Kueue's default:
   * every namespace but kube-system and kueue-system.
   */
  managedJobsNamespaceSelector?: LabelSelector;
}

/** Kueue's default managedJobsNamespaceSelector. */
export const DEFAULT_MANAGED_JOBS_NAMESPACE_SELECTOR: LabelSelector = {
  matchExpressions: [
    {
      key: 'kubernetes.io/metadata.name',
      operator: 'NotIn',
      values: ['kube-system', 'kueue-system'],
    },
  ],
};

const NS_KEY = resourceKey('', 'namespaces');

/** Validates the fixture's `kueueConfig`; throws naming the field. */
export function checkKueueManagerConfig(
  cluster: string,
  config: unknown,
): KueueManagerConfig | undefined {
  if (config === undefined) return undefined;
  const field = (f: string) => `fixture cluster ${cluster}: kueueConfig${f}`;
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    throw new Error(`${field('')} must be an object`);
  const c = config as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (
      key !== 'manageJobsWithoutQueueName' &&
      key !== 'managedJobsNamespaceSelector'
    )
      throw new Error(
        `${field(
          `.${key}`,
        )} is not modelled by the lab (manageJobsWithoutQueueName, managedJobsNamespaceSelector)`,
      );
  }
  if (
    c.manageJobsWithoutQueueName !== undefined &&
    typeof c.manageJobsWithoutQueueName !== 'boolean'
  )
    throw new Error(
      `${field(
        '.manageJobsWithoutQueueName',
      )} must be true or false, got ${JSON.stringify(
        c.manageJobsWithoutQueueName,
      )}`,
    );
  const selector = c.managedJobsNamespaceSelector as any;
  if (selector !== undefined) {
    if (typeof selector !== 'object' || selector === null)
      throw new Error(
        `${field('.managedJobsNamespaceSelector')} must be a label selector`,
      );
    for (const [i, e] of (selector.matchExpressions ?? []).entries()) {
      if (
        typeof e?.key !== 'string' ||
        !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e?.operator)
      )
        throw new Error(
          `${field(
            `.managedJobsNamespaceSelector.matchExpressions[${i}]`,
          )} needs a key and an operator In, NotIn, Exists or DoesNotExist`,
        );
    }
  }
  return c as KueueManagerConfig;
}

/**
 * Whether Kueue holds this Job although it names no queue: the manager
 * manages Jobs without a queue name and the Job's namespace is selected.
 */
export function heldWithoutQueueName(
  config: KueueManagerConfig | undefined,
  store: ObjectStore,
  job: any,
): boolean {
  if (!config?.manageJobsWithoutQueueName || queueNameOf(job)) return false;
  const name = job.metadata?.namespace;
  const ns = store.get(NS_KEY, '', name)?.obj;
  // The API server labels every namespace with its name.
  const labels = {
    ...(ns?.metadata?.labels ?? {}),
    'kubernetes.io/metadata.name': name,
  };
  return matchesLabelSelector(
    config.managedJobsNamespaceSelector ??
      DEFAULT_MANAGED_JOBS_NAMESPACE_SELECTOR,
    labels,
  );
}
