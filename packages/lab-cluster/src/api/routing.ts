// Request routing: works out verb, resource, namespace, name and subresource
// of a request (for auth, faults and metrics) and serves discovery, OpenAPI
// and /version, the non-resource paths.
import {
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  groupVersions,
  openApiV3GroupVersion,
  openApiV3Index,
  versionInfo,
} from './discovery';
import { genericNotFound } from './errors';
import type { ClusterApi } from './handler';
import { KUEUE_GROUP, VISIBILITY_GROUP } from '../kueue/names';
import { parseVisibilityRequest } from '../kueue/visibility';
import { ResourceType } from './resources';

export interface ParsedRequest {
  verb: string;
  /** Metrics label: plural, plus `/sub` for subresources. */
  resource: string;
  rt?: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /**
   * A resource of an aggregated API the lab serves itself (Kueue's visibility
   * API): RBAC sees the resource attributes, `nonResource` serves it.
   */
  aggregated?: boolean;
  /** Set for non-resource paths (discovery, openapi, version). */
  nonResource?: () => {
    status: number;
    body: unknown;
    contentType?: string;
    raw?: string;
  };
}

const WRITE_VERBS = new Set([
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
]);

export function isWriteVerb(verb: string): boolean {
  return WRITE_VERBS.has(verb);
}

/** Works out verb and target of a request without executing it (for auth, faults and metrics). */
export function parseRequest(
  api: ClusterApi,
  method: string,
  url: URL,
  host: string,
): ParsedRequest {
  const parts = url.pathname.split('/').filter(Boolean);
  const q = url.searchParams;
  const all = () => api.registry.all();
  const nr = (
    body: () => unknown,
    extra: Partial<ReturnType<NonNullable<ParsedRequest['nonResource']>>> = {},
  ): ParsedRequest => ({
    verb: 'get',
    resource: 'discovery',
    nonResource: () => ({ status: 200, body: body(), ...extra }),
  });
  if (parts.length === 1 && parts[0] === 'version')
    return nr(() => versionInfo(api.options.gitVersion));
  if (parts[0] === 'openapi') {
    if (parts[1] === 'v2') {
      // An empty protobuf Document: kubectl then falls back to its compiled-in patch metadata.
      return {
        verb: 'get',
        resource: 'openapi',
        nonResource: () => ({
          status: 200,
          body: null,
          raw: '',
          contentType:
            'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
        }),
      };
    }
    if (parts[1] === 'v3' && parts.length === 2)
      return nr(() => openApiV3Index(all(), String(api.store.resourceVersion)));
    if (parts[1] === 'v3') {
      const gv =
        parts[2] === 'api'
          ? parts.slice(3).join('/')
          : parts.slice(3).join('/');
      const resources = groupVersions(all()).get(gv);
      if (!resources)
        return {
          verb: 'get',
          resource: 'openapi',
          nonResource: () => ({
            status: 404,
            body: genericNotFound().toStatus(),
          }),
        };
      return nr(() => openApiV3GroupVersion(resources, api.options.gitVersion));
    }
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return nr(() => apiVersions(host));
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return nr(() => apiGroupList(all()));
    if (parts.length === 2) {
      const g = apiGroup(all(), parts[1]);
      return g
        ? nr(() => g)
        : {
            verb: 'get',
            resource: 'discovery',
            nonResource: () => ({
              status: 404,
              body: genericNotFound().toStatus(),
            }),
          };
    }
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return {
      verb: 'get',
      resource: 'unknown',
      nonResource: () => ({
        status: 404,
        body: genericNotFound().toStatus(),
      }),
    };
  }
  if (
    group === VISIBILITY_GROUP &&
    api.registry.lookup(KUEUE_GROUP, 'v1beta2', 'workloads')
  ) {
    const visibility = parseVisibilityRequest(api.store, method, rest, q);
    if (visibility) return visibility;
  }
  const gv = group ? `${group}/${version}` : version;
  if (rest.length === 0) {
    const resources = groupVersions(all()).get(gv);
    if (!resources)
      return {
        verb: 'get',
        resource: 'discovery',
        nonResource: () => ({
          status: 404,
          body: genericNotFound().toStatus(),
        }),
      };
    return nr(() => apiResourceList(gv, resources));
  }
  let watch = q.get('watch') === 'true' || q.get('watch') === '1';
  if (rest[0] === 'watch') {
    watch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && ['status', 'finalize'].includes(rest[2]))
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  const rt = api.registry.lookup(group, version, plural);
  const resource = subresource ? `${plural}/${subresource}` : plural;
  let verb: string;
  switch (method) {
    case 'GET':
      if (watch) verb = 'watch';
      else verb = name ? 'get' : 'list';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = method.toLowerCase();
  }
  if (
    !rt ||
    rest.length > 3 ||
    (rt && !rt.namespaced && namespace !== undefined)
  ) {
    return {
      verb,
      resource,
      nonResource: () => ({
        status: 404,
        body: genericNotFound().toStatus(),
      }),
    };
  }
  return { verb, resource, rt, namespace, name, subresource };
}
