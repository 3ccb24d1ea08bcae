// Authorises one HTTP request against RBAC the way kube-apiserver does:
// request attributes from the URL, the extra `create` check of a server-side
// apply that creates, and RBAC's escalation prevention for roles and bindings.
// Also serves SelfSubjectAccessReview and SelfSubjectReview.
import { parse as parseYaml } from 'yaml';
import type { ParsedRequest } from '../api/handler';
import { ApiError, badRequest, forbidden } from '../api/errors';
import { resourceKey } from '../api/resources';
import { ObjectStore } from '../store/store';
import { Identity, MASTERS_GROUP } from './identity';
import { RbacAuthorizer, RequestAttributes, describeDenial } from './rbac';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const SSR_PATH = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
const APPLY_PATCH = 'application/apply-patch+yaml';

/** kube-apiserver's RequestInfo for a parsed lab request. */
export function requestAttributes(
  method: string,
  path: string,
  parsed: ParsedRequest,
): RequestAttributes {
  const rt = parsed.rt;
  if (!rt || (parsed.nonResource && !parsed.aggregated))
    return { resourceRequest: false, verb: method.toLowerCase(), path };
  const name = parsed.name ?? '';
  // A namespace object lives "in" itself: a RoleBinding in namespace X can
  // grant `get namespaces` on X.
  const namespace =
    parsed.namespace ??
    (rt.group === '' && rt.plural === 'namespaces' ? name : '');
  return {
    resourceRequest: true,
    verb: parsed.verb,
    group: rt.group,
    resource: rt.plural,
    subresource: parsed.subresource,
    namespace,
    name,
  };
}

function parseBody(body: Buffer): any {
  if (body.length === 0) return undefined;
  try {
    return parseYaml(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export class RequestAuthorizer {
  readonly rbac: RbacAuthorizer;

  constructor(private readonly store: ObjectStore) {
    this.rbac = new RbacAuthorizer(store);
  }

  /** A 403 ApiError when RBAC does not allow the request, else undefined. */
  check(
    identity: Identity,
    method: string,
    path: string,
    parsed: ParsedRequest,
    body: Buffer,
    contentType: string | undefined,
  ): ApiError | undefined {
    const attrs = requestAttributes(method, path, parsed);
    const denied = this.deny(identity, attrs);
    if (denied || !attrs.resourceRequest || !parsed.rt) return denied;
    const rt = parsed.rt;
    const existing = attrs.name
      ? this.store.get(
          resourceKey(rt.group, rt.plural),
          parsed.namespace ?? '',
          attrs.name,
        )
      : undefined;
    // A server-side apply that creates the object also needs `create`.
    if (
      attrs.verb === 'patch' &&
      !existing &&
      (contentType ?? '').split(';')[0].trim() === APPLY_PATCH
    ) {
      const createDenied = this.deny(identity, { ...attrs, verb: 'create' });
      if (createDenied) return createDenied;
    }
    if (
      rt.group === RBAC_GROUP &&
      ['create', 'update', 'patch'].includes(attrs.verb) &&
      !attrs.subresource
    ) {
      return this.escalation(identity, attrs, parseBody(body), existing?.obj);
    }
    return undefined;
  }

  private deny(
    identity: Identity,
    attrs: RequestAttributes,
  ): ApiError | undefined {
    if (this.rbac.authorize(identity, attrs).allowed) return undefined;
    const why = describeDenial(identity, attrs);
    if (!attrs.resourceRequest)
      return new ApiError(403, 'Forbidden', `forbidden: ${why}`);
    return forbidden(attrs.resource, attrs.group, attrs.name, why);
  }

  /**
   * RBAC's escalation prevention. Binding a role needs `bind` on it; writing a
   * role needs `escalate`. Kubernetes also accepts both when the requester
   * already holds every permission involved; the lab does not compute that
   * and refuses instead (stricter, never looser).
   */
  private escalation(
    identity: Identity,
    attrs: Extract<RequestAttributes, { resourceRequest: true }>,
    body: any,
    existing: any,
  ): ApiError | undefined {
    if (identity.groups.includes(MASTERS_GROUP)) return undefined;
    const held = (verb: string, resource: string, name: string) =>
      this.rbac.authorize(identity, {
        resourceRequest: true,
        verb,
        group: RBAC_GROUP,
        resource,
        namespace: attrs.namespace,
        name,
      }).allowed;
    if (
      attrs.resource === 'rolebindings' ||
      attrs.resource === 'clusterrolebindings'
    ) {
      const roleRef = body?.roleRef ?? existing?.roleRef;
      if (!roleRef?.name) return undefined; // validation reports the missing roleRef
      const resource =
        roleRef.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
      if (held('bind', resource, roleRef.name)) return undefined;
      return forbidden(
        attrs.resource,
        attrs.group,
        attrs.name || body?.metadata?.name || '',
        `user "${identity.user}" (groups=${JSON.stringify(
          identity.groups,
        )}) is attempting to grant RBAC permissions not currently held: it needs "bind" on ${resource} "${
          roleRef.name
        }"`,
      );
    }
    if (attrs.resource === 'roles' || attrs.resource === 'clusterroles') {
      const name = attrs.name || body?.metadata?.name || '';
      if (held('escalate', attrs.resource, name)) return undefined;
      return forbidden(
        attrs.resource,
        attrs.group,
        name,
        `user "${identity.user}" (groups=${JSON.stringify(
          identity.groups,
        )}) is attempting to grant RBAC permissions not currently held: it needs "escalate" on ${
          attrs.resource
        } "${name}"`,
      );
    }
    return undefined;
  }

  /**
   * SelfSubjectAccessReview (what `kubectl auth can-i` posts) and
   * SelfSubjectReview (`kubectl auth whoami`); undefined for other paths.
   */
  review(
    identity: Identity,
    method: string,
    path: string,
    body: Buffer,
  ): { status: number; body: unknown } | undefined {
    if (path !== SSAR_PATH && path !== SSR_PATH) return undefined;
    const isSsar = path === SSAR_PATH;
    const attrs: RequestAttributes = {
      resourceRequest: true,
      verb: method === 'POST' ? 'create' : method.toLowerCase(),
      group: isSsar ? 'authorization.k8s.io' : 'authentication.k8s.io',
      resource: isSsar ? 'selfsubjectaccessreviews' : 'selfsubjectreviews',
      namespace: '',
      name: '',
    };
    if (method !== 'POST')
      return {
        status: 405,
        body: new ApiError(
          405,
          'MethodNotAllowed',
          `the server does not allow this method on the requested resource`,
        ).toStatus(),
      };
    const denied = this.deny(identity, attrs);
    if (denied) return { status: 403, body: denied.toStatus() };
    const review = parseBody(body);
    if (!review || typeof review !== 'object')
      return {
        status: 400,
        body: badRequest('the request body must be a JSON object').toStatus(),
      };
    if (!isSsar) {
      return {
        status: 201,
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'SelfSubjectReview',
          metadata: { creationTimestamp: null },
          status: {
            userInfo: { username: identity.user, groups: identity.groups },
          },
        },
      };
    }
    const spec = review.spec ?? {};
    const ra = spec.resourceAttributes;
    const nra = spec.nonResourceAttributes;
    if (!ra === !nra)
      return {
        status: 422,
        body: new ApiError(
          422,
          'Invalid',
          'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
        ).toStatus(),
      };
    const asked: RequestAttributes = ra
      ? {
          resourceRequest: true,
          verb: String(ra.verb ?? ''),
          group: String(ra.group ?? ''),
          resource: String(ra.resource ?? ''),
          subresource: ra.subresource ? String(ra.subresource) : undefined,
          namespace: String(ra.namespace ?? ''),
          name: String(ra.name ?? ''),
        }
      : {
          resourceRequest: false,
          verb: String(nra.verb ?? ''),
          path: String(nra.path ?? ''),
        };
    const decision = this.rbac.authorize(identity, asked);
    return {
      status: 201,
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        metadata: { creationTimestamp: null },
        spec,
        status: {
          allowed: decision.allowed,
          ...(decision.reason ? { reason: decision.reason } : {}),
        },
      },
    };
  }
}
