import {
  PermissionCondition,
  PermissionCriteria,
  createPermission,
} from '@backstage/plugin-permission-common';

/**
 * Resource type of namespaces on the clusters; the resource ref is
 * `<cluster>/<namespace>`.
 *
 * @public
 */
export const CLUSTER_NAMESPACE_RESOURCE_TYPE = 'cluster-status-namespace';

/**
 * Reading a namespace's pods, quotas, problem pods and events. Without it a
 * namespace only contributes to counts and totals.
 *
 * @public
 */
export const clusterStatusNamespaceReadDetailsPermission = createPermission({
  name: 'cluster-status.namespace.read.details',
  attributes: { action: 'read' },
  resourceType: CLUSTER_NAMESPACE_RESOURCE_TYPE,
});

/**
 * Reading the fleet: cluster health, node, pod and GPU totals.
 *
 * @public
 */
export const clusterStatusReadPermission = createPermission({
  name: 'cluster-status.cluster.read',
  attributes: { action: 'read' },
});

/**
 * All permissions of the cluster status plugin.
 *
 * @public
 */
export const clusterStatusPermissions = [
  clusterStatusReadPermission,
  clusterStatusNamespaceReadDetailsPermission,
];

/**
 * Name of the rule that matches namespaces whose owner label names one of
 * the given entity refs.
 *
 * @public
 */
export const IS_NAMESPACE_OWNER_RULE = 'IS_NAMESPACE_OWNER';

/**
 * Parameters of {@link IS_NAMESPACE_OWNER_RULE}.
 *
 * @public
 */
export type IsNamespaceOwnerParams = {
  /** Entity refs such as `group:default/ml-team`. */
  claims: string[];
};

/**
 * Condition for policies: the namespace is owned by one of `claims`.
 *
 * @public
 */
export function isNamespaceOwner(
  params: IsNamespaceOwnerParams,
): PermissionCondition<typeof CLUSTER_NAMESPACE_RESOURCE_TYPE, IsNamespaceOwnerParams> {
  return {
    rule: IS_NAMESPACE_OWNER_RULE,
    resourceType: CLUSTER_NAMESPACE_RESOURCE_TYPE,
    params,
  };
}

/**
 * Criteria type of conditional decisions on namespaces.
 *
 * @public
 */
export type ClusterNamespaceCriteria = PermissionCriteria<
  PermissionCondition<typeof CLUSTER_NAMESPACE_RESOURCE_TYPE>
>;
