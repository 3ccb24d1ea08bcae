import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';

/** Label on namespaces naming the owning group. */
export const OWNER_LABEL = 'portal.cloud-smart.io/owner';
/** Annotation on the entities naming the cluster (and namespace). */
export const CLUSTER_ANNOTATION = 'portal.cloud-smart.io/cluster';
export const NAMESPACE_ANNOTATION = 'portal.cloud-smart.io/namespace';

const FIELD_MANAGER = 'portal-catalog-clusters';

interface NamespaceInfo {
  name: string;
  owner?: string;
}

/** `ml-team` or `group:default/ml-team` → a group entity ref. */
function groupRef(owner: string): string {
  if (owner.includes(':')) {
    return owner;
  }
  return owner.includes('/') ? `group:${owner}` : `group:default/${owner}`;
}

/**
 * Entity name of a namespace: `<cluster>.<namespace>`, both DNS labels, so it
 * is unique and valid; at most 63 + 1 + 63 characters would exceed the
 * catalog's limit, hence the cut.
 */
export function namespaceEntityName(cluster: string, namespace: string) {
  return `${cluster}.${namespace}`.slice(0, 63).replace(/[.-]+$/, '');
}

/**
 * Each configured cluster as a `Resource` of type `kubernetes-cluster` owned
 * by the platform team, and each of its namespaces as a `Resource` of type
 * `kubernetes-namespace` owned by the group its owner label names, depending
 * on its cluster. A cluster that cannot be read keeps its last known
 * namespaces, so an outage does not empty the catalog.
 *
 * @public
 */
export class ClusterEntityProvider implements EntityProvider {
  private readonly kubernetesAccess: KubernetesAccess;
  private readonly logger: LoggerService;
  private readonly platformTeam: string;
  private readonly taskRunner?: SchedulerServiceTaskRunner;
  private readonly lastKnown = new Map<string, NamespaceInfo[]>();
  private connection?: EntityProviderConnection;

  static create(options: {
    kubernetesAccess: KubernetesAccess;
    logger: LoggerService;
    platformTeam: string;
    taskRunner?: SchedulerServiceTaskRunner;
  }): ClusterEntityProvider {
    return new ClusterEntityProvider(options);
  }

  private constructor(options: {
    kubernetesAccess: KubernetesAccess;
    logger: LoggerService;
    platformTeam: string;
    taskRunner?: SchedulerServiceTaskRunner;
  }) {
    this.taskRunner = options.taskRunner;
    this.kubernetesAccess = options.kubernetesAccess;
    this.logger = options.logger;
    this.platformTeam = options.platformTeam;
  }

  getProviderName(): string {
    return 'portal-clusters';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        const { entities, failedClusters } = await this.refresh();
        this.logger.info(
          `Provided ${entities} cluster and namespace entities`,
          {
            entities,
            failedClusters: failedClusters.join(','),
          },
        );
      },
    });
  }

  /** Reads the namespaces of every cluster and replaces the provided entities. */
  async refresh(): Promise<{ entities: number; failedClusters: string[] }> {
    if (!this.connection) {
      throw new Error('ClusterEntityProvider is not connected yet');
    }
    const { results, errors } = await this.kubernetesAccess.forEachCluster(
      async client =>
        (
          await client.namespaces.listAll()
        ).map(ns => ({
          name: ns.metadata?.name ?? '',
          owner: ns.metadata?.labels?.[OWNER_LABEL],
        })),
      { fieldManager: FIELD_MANAGER },
    );
    for (const { cluster, value } of results) {
      this.lastKnown.set(cluster, value);
    }
    for (const { cluster, error } of errors) {
      this.logger.warn(
        `Could not read namespaces of cluster ${cluster}; keeping the last known ones`,
        { cluster, error: error.message },
      );
    }
    const entities: Entity[] = [];
    for (const cluster of this.kubernetesAccess.listClusters()) {
      const clusterEntity = this.clusterEntity(cluster.name, cluster.title);
      entities.push(clusterEntity);
      for (const ns of this.lastKnown.get(cluster.name) ?? []) {
        entities.push(
          this.namespaceEntity(
            cluster.name,
            ns,
            stringifyEntityRef(clusterEntity),
          ),
        );
      }
    }
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    return {
      entities: entities.length,
      failedClusters: errors.map(e => e.cluster),
    };
  }

  private annotations(location: string): Record<string, string> {
    return {
      [ANNOTATION_LOCATION]: `cluster-status:${location}`,
      [ANNOTATION_ORIGIN_LOCATION]: `cluster-status:${location}`,
    };
  }

  private clusterEntity(name: string, title: string): Entity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name,
        title,
        description: `Kubernetes cluster ${name}`,
        annotations: {
          ...this.annotations(name),
          [CLUSTER_ANNOTATION]: name,
        },
        tags: ['kubernetes'],
      },
      spec: {
        type: 'kubernetes-cluster',
        owner: this.platformTeam,
      },
    };
  }

  private namespaceEntity(
    cluster: string,
    ns: NamespaceInfo,
    clusterRef: string,
  ): Entity {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: namespaceEntityName(cluster, ns.name),
        title: `${ns.name} (${cluster})`,
        description: `Namespace ${ns.name} on cluster ${cluster}`,
        annotations: {
          ...this.annotations(`${cluster}/${ns.name}`),
          [CLUSTER_ANNOTATION]: cluster,
          [NAMESPACE_ANNOTATION]: ns.name,
        },
        tags: ['kubernetes'],
      },
      spec: {
        type: 'kubernetes-namespace',
        owner: ns.owner ? groupRef(ns.owner) : this.platformTeam,
        dependsOn: [clusterRef],
      },
    };
  }
}
