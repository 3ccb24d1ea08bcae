import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import type { ClusterClient } from '@internal/plugin-kubernetes-access-node';
import {
  formatReason,
  isProtectedNamespace,
} from '@internal/plugin-gpu-pool-common';
import type { RequestRow } from '../../database/GpuPoolStore';

/** Label that names a namespace's owning group (its name, not its ref). */
export const OWNER_LABEL = 'portal.cloud-smart.io/owner';
/**
 * Annotation the reconciler sets only when it creates a namespace: the id of
 * the request it was created for. Only that request's end may delete it.
 * Namespaces are cluster-scoped, so the teams' `edit` binding cannot forge it.
 */
export const CREATED_FOR_ANNOTATION =
  'portal.cloud-smart.io/created-for-request';

/** What the cluster says about a namespace. */
export interface NamespaceFacts {
  exists: boolean;
  /** Value of the owner label. */
  owner?: string;
  /** The request the portal created it for; absent when the portal did not create it. */
  createdFor?: string;
  /** Being deleted. */
  terminating?: boolean;
  /**
   * The version that was checked: writes of the namespace carry it, so a
   * namespace changed since the check is not overwritten (409, re-checked
   * on the next pass).
   */
  resourceVersion?: string;
}

/**
 * Reads a namespace's ownership from the cluster. A missing namespace is a
 * fact (`exists: false`); anything else that prevents the check refuses with
 * a ServiceUnavailableError naming the cluster: ownership is verified or the
 * caller does not proceed.
 */
export async function readNamespaceFacts(
  client: ClusterClient,
  cluster: string,
  namespace: string,
): Promise<NamespaceFacts> {
  try {
    const ns = await client.namespaces.get(namespace);
    return {
      exists: true,
      owner: ns.metadata?.labels?.[OWNER_LABEL],
      createdFor: ns.metadata?.annotations?.[CREATED_FOR_ANNOTATION],
      terminating: Boolean(ns.metadata?.deletionTimestamp),
      resourceVersion: ns.metadata?.resourceVersion,
    };
  } catch (error) {
    if ((error as Error)?.name === 'NotFoundError') return { exists: false };
    throw new ServiceUnavailableError(
      `cluster ${cluster}: could not verify who owns namespace "${namespace}", so nothing was changed: ${
        (error as Error)?.message ?? error
      }`,
    );
  }
}

/** Refuses protected namespaces with a 400 naming the field. */
export function assertNotProtected(namespace: string, patterns: string[]) {
  if (isProtectedNamespace(namespace, patterns)) {
    throw new InputError(
      `namespace: "${namespace}" is protected (system, GPU operator or portal namespace); the GPU pool never requests, changes or deletes it`,
    );
  }
}

/** Ownership as seen when a request is created. */
export type RequestOwnership =
  | { kind: 'new' }
  | { kind: 'portal' }
  | { kind: 'adopt' };

/**
 * Decides what a request for the namespace means for the team: a new
 * namespace, one the portal created for the team, or an existing one the
 * portal did not create (adopting it needs the platform team). A namespace
 * labelled for another team is refused (409, like a claim held by another
 * team).
 */
export function ownershipForRequest(
  facts: NamespaceFacts,
  team: string,
  namespace: string,
): RequestOwnership {
  if (!facts.exists) return { kind: 'new' };
  const teamName = parseEntityRef(team).name;
  if (facts.owner && facts.owner !== teamName) {
    throw new ConflictError(
      `namespace: "${namespace}" belongs to group:default/${facts.owner}`,
    );
  }
  if (facts.terminating) {
    throw new InputError(`namespace: "${namespace}" is being deleted`);
  }
  if (facts.createdFor && facts.owner === teamName) return { kind: 'portal' };
  return { kind: 'adopt' };
}

/** Whether the reconciler may write to a namespace, and why not. */
export type WriteDecision =
  | { allowed: true; create: boolean; createdFor?: string }
  | { allowed: false; reason: string };

/**
 * The reconciler's re-check before every write: the namespace is missing
 * (the portal creates it), or it carries the team's owner label and was
 * either created by the portal or adopted with the platform team's approval.
 */
export function decideWrite(
  facts: NamespaceFacts,
  options: { team: string; namespace: string; holding: RequestRow[] },
): WriteDecision {
  const teamName = parseEntityRef(options.team).name;
  if (!facts.exists) return { allowed: true, create: true };
  if (facts.terminating) {
    return {
      allowed: false,
      reason: formatReason('namespaceBeingDeleted', {
        namespace: options.namespace,
      }),
    };
  }
  if (facts.owner && facts.owner !== teamName) {
    return {
      allowed: false,
      reason: formatReason('namespaceOfAnotherTeam', {
        namespace: options.namespace,
        owner: String(facts.owner),
        team: teamName,
      }),
    };
  }
  if (facts.createdFor && facts.owner === teamName) {
    return { allowed: true, create: false, createdFor: facts.createdFor };
  }
  if (options.holding.some(r => r.adoptsNamespace)) {
    return { allowed: true, create: false, createdFor: facts.createdFor };
  }
  return {
    allowed: false,
    reason: formatReason('namespaceNotCreatedByPortal', {
      namespace: options.namespace,
    }),
  };
}
