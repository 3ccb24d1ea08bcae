import { NotFoundError } from '@backstage/errors';
import type { KubernetesAccess } from '@internal/plugin-kubernetes-access-node';

/**
 * For tests and benchmarks of allocation without a cluster: clusters whose
 * every namespace is new (reads answer 404). Anything else it is asked
 * throws, so a test cannot pass by accident through a write.
 */
export function newNamespacesOnly(clusters: string[]): KubernetesAccess {
  const refuse = () => {
    throw new Error('newNamespacesOnly: only namespace reads are supported');
  };
  return {
    listClusters: () => clusters.map(name => ({ name }) as any),
    forCluster: (name: string) => {
      if (!clusters.includes(name)) {
        throw new NotFoundError(`cluster ${name} is not configured`);
      }
      return {
        namespaces: {
          get: async (ns: string) => {
            throw new NotFoundError(`namespaces "${ns}" not found`);
          },
        },
      } as any;
    },
    forEachCluster: refuse as any,
  };
}
