import {
  PermissionsRegistryService,
  PermissionsService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  ClusterDetails,
  ClusterGpuActivity,
  ClusterSummary,
  clusterStatusNamespaceReadDetailsPermission,
  clusterStatusReadPermission,
} from '@internal/plugin-cluster-status-common';
import { ClusterCache } from '../ClusterCache/ClusterCache';
import { redactDetails } from '../ClusterCache/redactDetails';
import {
  ClusterNamespaceResource,
  clusterNamespaceResourceRef,
} from '../../permissions/rules';
import { GpuActivityService } from '../GpuActivity/GpuActivityService';
import { ClusterStatusService } from './ClusterStatusService';

/**
 * Serves the cache with the permission checks applied; fails closed: a
 * denied or unknown decision shows namespaces only as totals.
 *
 * @public
 */
export class AuthorizedClusterStatusService implements ClusterStatusService {
  private readonly cache: ClusterCache;
  private readonly gpuActivity: GpuActivityService;
  private readonly permissions: PermissionsService;
  private readonly authorize: (
    decision: Parameters<ReturnType<typeof createConditionAuthorizer>>[0],
    resource: ClusterNamespaceResource,
  ) => boolean;

  static create(options: {
    cache: ClusterCache;
    gpuActivity: GpuActivityService;
    permissions: PermissionsService;
    permissionsRegistry: PermissionsRegistryService;
  }): AuthorizedClusterStatusService {
    return new AuthorizedClusterStatusService(options);
  }

  private constructor(options: {
    cache: ClusterCache;
    gpuActivity: GpuActivityService;
    permissions: PermissionsService;
    permissionsRegistry: PermissionsRegistryService;
  }) {
    this.cache = options.cache;
    this.gpuActivity = options.gpuActivity;
    this.permissions = options.permissions;
    this.authorize = createConditionAuthorizer(
      options.permissionsRegistry.getPermissionRuleset(
        clusterNamespaceResourceRef,
      ),
    );
  }

  private async requireRead(credentials: BackstageCredentials): Promise<void> {
    const [decision] = await this.permissions.authorize(
      [{ permission: clusterStatusReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError('Not allowed to read cluster status');
    }
  }

  async listClusters(options: {
    credentials: BackstageCredentials;
  }): Promise<ClusterSummary[]> {
    await this.requireRead(options.credentials);
    return this.cache.listSummaries();
  }

  async listGpuActivity(options: {
    credentials: BackstageCredentials;
  }): Promise<ClusterGpuActivity[]> {
    // Per-model counts only, no namespace or pod: the same right as the
    // fleet summary.
    await this.requireRead(options.credentials);
    return this.gpuActivity.listClusters();
  }

  async getCluster(
    name: string,
    options: { credentials: BackstageCredentials },
  ): Promise<ClusterDetails> {
    await this.requireRead(options.credentials);
    const details = this.cache.getDetails(name);
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: clusterStatusNamespaceReadDetailsPermission }],
      { credentials: options.credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return details;
    }
    if (decision.result === AuthorizeResult.DENY) {
      return redactDetails(details, () => false);
    }
    const owners = new Map(
      details.namespaces.map(ns => [ns.name, ns.owner] as const),
    );
    return redactDetails(details, namespace => {
      try {
        return this.authorize(decision, {
          cluster: name,
          name: namespace,
          owner: owners.get(namespace),
        });
      } catch {
        return false;
      }
    });
  }
}
