import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterIdentity } from './readKubernetesAccessConfig';

/**
 * Public, secret-free description of a configured cluster.
 *
 * @public
 */
export interface ClusterDetails {
  /** Unique DNS-1123 name, for example `lab-main`. */
  name: string;
  /** Human readable title; falls back to the name. */
  title: string;
  /** API server URL actually used (after kubeconfig / in-cluster discovery). */
  url: string;
  /** How the portal authenticates; never the credential itself. */
  authProvider: 'serviceAccount' | 'kubeconfig' | 'inCluster';
  /**
   * How the writer identity authenticates; undefined when the cluster has no
   * writer and every write to it fails.
   */
  writerAuthProvider?: 'serviceAccount' | 'kubeconfig' | 'inCluster';
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** Whether TLS verification is disabled (or the URL is plain HTTP). */
  skipTLSVerify: boolean;
}

/**
 * The set of clusters the portal may talk to, read from app-config.
 *
 * @public
 */
export interface ClusterRegistry {
  /** All configured clusters, without any credentials. */
  listClusters(): ClusterDetails[];
  /**
   * One cluster by name.
   *
   * @throws NotFoundError when no cluster has that name.
   */
  getCluster(name: string): ClusterDetails;
  /**
   * The client-node connection settings (server, CA, credentials) of one
   * cluster for one identity (default: the reader). Only the access service
   * should call this; never log the result.
   *
   * @throws NotFoundError when no cluster has that name.
   * @throws ServiceUnavailableError when the writer is asked for and not configured.
   */
  getKubeConfig(name: string, identity?: ClusterIdentity): KubeConfig;
}
