// Bearer tokens to user identities: the fixture's static admin and read-only
// tokens, and service-account tokens stored in Secrets of type
// kubernetes.io/service-account-token (as the token controller of a real
// cluster fills them in).
import { resourceKey } from '../api/resources';
import { ObjectStore } from '../store/store';

export const MASTERS_GROUP = 'system:masters';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

const SECRET_KEY = resourceKey('', 'secrets');
const SA_KEY = resourceKey('', 'serviceaccounts');

export interface Identity {
  user: string;
  groups: string[];
}

/** The identity of the fixture's admin token: bound to cluster-admin and in system:masters. */
export const ADMIN_IDENTITY: Identity = {
  user: 'lab-admin',
  groups: [MASTERS_GROUP, AUTHENTICATED_GROUP],
};

/** The identity of the fixture's read-only token (bound to the lab's `lab:read-only` ClusterRole). */
export const READ_ONLY_IDENTITY: Identity = {
  user: 'system:serviceaccount:lab-system:read-only',
  groups: [AUTHENTICATED_GROUP],
};

export function serviceAccountIdentity(
  namespace: string,
  name: string,
): Identity {
  return {
    user: `system:serviceaccount:${namespace}:${name}`,
    groups: [
      'system:serviceaccounts',
      `system:serviceaccounts:${namespace}`,
      AUTHENTICATED_GROUP,
    ],
  };
}

/** The token the lab issues for a service account (deterministic, so dev config can name it). */
export function labServiceAccountToken(
  cluster: string,
  serviceAccount: string,
): string {
  return `${cluster}-${serviceAccount}-token`;
}

export class TokenAuthenticator {
  constructor(
    private readonly store: ObjectStore,
    private readonly staticTokens: { admin: string; readOnly?: string },
  ) {}

  /** The identity behind a bearer token, or undefined (401). */
  authenticate(token: string): Identity | undefined {
    if (token === '') return undefined;
    if (token === this.staticTokens.admin) return ADMIN_IDENTITY;
    if (this.staticTokens.readOnly && token === this.staticTokens.readOnly)
      return READ_ONLY_IDENTITY;
    for (const { obj } of this.store.list(SECRET_KEY)) {
      if (obj.type !== SA_TOKEN_TYPE) continue;
      const encoded = obj.data?.token;
      if (typeof encoded !== 'string') continue;
      if (Buffer.from(encoded, 'base64').toString('utf8') !== token) continue;
      const namespace = obj.metadata.namespace as string;
      const name = obj.metadata.annotations?.[SA_NAME_ANNOTATION];
      // Deleting the service account revokes its tokens, as in a real cluster.
      if (!name || !this.store.get(SA_KEY, namespace, name)) return undefined;
      return serviceAccountIdentity(namespace, name);
    }
    return undefined;
  }
}

/**
 * The token of a service account, read from its token Secret.
 *
 * @throws when the service account has no token Secret.
 */
export function serviceAccountTokenOf(
  store: ObjectStore,
  namespace: string,
  serviceAccount: string,
): string {
  const secret = store
    .list(SECRET_KEY, namespace)
    .find(
      e =>
        e.obj.type === SA_TOKEN_TYPE &&
        e.obj.metadata?.annotations?.[SA_NAME_ANNOTATION] === serviceAccount &&
        typeof e.obj.data?.token === 'string',
    );
  if (!secret)
    throw new Error(
      `no token Secret for service account ${namespace}/${serviceAccount}; deploy/rbac must define one (type ${SA_TOKEN_TYPE})`,
    );
  return Buffer.from(secret.obj.data.token, 'base64').toString('utf8');
}
