// The lab's stand-in for the service-account token controller: every Secret
// of type kubernetes.io/service-account-token gets `data.token` (and
// `data.namespace`) filled in, with a deterministic token per cluster and
// service account so the dev config can name it.
import { resourceKey } from '../api/resources';
import { ObjectStore } from '../store/store';
import {
  SA_NAME_ANNOTATION,
  SA_TOKEN_TYPE,
  labServiceAccountToken,
} from './identity';

const SECRET_KEY = resourceKey('', 'secrets');

function b64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

function needsToken(obj: any): boolean {
  return (
    obj?.type === SA_TOKEN_TYPE &&
    typeof obj.metadata?.annotations?.[SA_NAME_ANNOTATION] === 'string' &&
    typeof obj.data?.token !== 'string'
  );
}

function withToken(cluster: string, obj: any): any {
  const sa = obj.metadata.annotations[SA_NAME_ANNOTATION] as string;
  return {
    ...obj,
    data: {
      ...(obj.data ?? {}),
      token: b64(labServiceAccountToken(cluster, sa)),
      namespace: b64(obj.metadata.namespace),
    },
  };
}

/** Fills in the tokens of the Secrets already stored (silently, as seeding does). */
export function issueServiceAccountTokens(
  store: ObjectStore,
  cluster: string,
): void {
  for (const { obj } of store.list(SECRET_KEY)) {
    if (needsToken(obj)) store.put(SECRET_KEY, withToken(cluster, obj), true);
  }
}

/** Keeps filling in tokens for Secrets created later through the API. */
export function runTokenController(store: ObjectStore, cluster: string): void {
  store.onChange(ev => {
    if (ev.key !== SECRET_KEY || ev.type === 'DELETED') return;
    if (!needsToken(ev.entry.obj)) return;
    // After the current write has been delivered, like the asynchronous controller.
    queueMicrotask(() => {
      const current = store.get(
        SECRET_KEY,
        ev.namespace,
        ev.entry.obj.metadata.name,
      );
      if (current && needsToken(current.obj))
        store.put(SECRET_KEY, withToken(cluster, current.obj));
    });
  });
}
