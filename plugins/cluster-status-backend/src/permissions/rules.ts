import {
  CLUSTER_NAMESPACE_RESOURCE_TYPE,
  IS_NAMESPACE_OWNER_RULE,
  IsNamespaceOwnerParams,
} from '@internal/plugin-cluster-status-common';
import {
  PermissionRule,
  createPermissionResourceRef,
} from '@backstage/plugin-permission-node';

/**
 * A namespace as the permission rules see it.
 *
 * @public
 */
export interface ClusterNamespaceResource {
  cluster: string;
  name: string;
  /** Value of the owner label, a group name or entity ref. */
  owner?: string;
}

/**
 * Resource ref of cluster namespaces.
 *
 * @public
 */
export const clusterNamespaceResourceRef = createPermissionResourceRef<
  ClusterNamespaceResource,
  { owners: string[] }
>().with({
  pluginId: 'cluster-status',
  resourceType: CLUSTER_NAMESPACE_RESOURCE_TYPE,
});

/** `ml-team` and `group:default/ml-team` both name the same group. */
export function ownerRef(owner: string): string {
  const lower = owner.toLocaleLowerCase('en-US');
  if (lower.includes(':')) {
    return lower;
  }
  return lower.includes('/') ? `group:${lower}` : `group:default/${lower}`;
}

/**
 * Matches namespaces whose owner label names one of the claims.
 *
 * @public
 */
// No paramsSchema: with zod 3 the rule's type is too deep for tsc; params
// are checked in `apply`, which fails closed.
export const isNamespaceOwnerRule: PermissionRule<
  ClusterNamespaceResource,
  { owners: string[] },
  typeof CLUSTER_NAMESPACE_RESOURCE_TYPE,
  IsNamespaceOwnerParams
> = {
  name: IS_NAMESPACE_OWNER_RULE,
  description:
    'Allow namespaces whose portal.cloud-smart.io/owner label names one of the given groups',
  resourceType: CLUSTER_NAMESPACE_RESOURCE_TYPE,
  apply: (resource, params) => {
    const claims = Array.isArray(params?.claims) ? params.claims : [];
    if (!resource.owner) {
      return false;
    }
    const owner = ownerRef(resource.owner);
    return claims.some(c => c.toLocaleLowerCase('en-US') === owner);
  },
  toQuery: params => ({ owners: params?.claims ?? [] }),
};
