// PATCH: merge, strategic merge and JSON patches, and server-side apply with
// managedFields and conflicts.
import { ApiError, badRequest } from './errors';
import type { ClusterApi } from './handler';
import { serverSideApply } from './managedFields';
import { clone, jsonPatch, mergePatch, strategicMergePatch } from './patch';
import { mustGet } from './read';
import { parseBody } from './requestBody';
import { ResourceType, apiVersionOf, resourceKey } from './resources';
import { commit, createObject } from './write';

/** PATCH in its four content types; apply-patch goes to server-side apply. */
export function patchObject(
  api: ClusterApi,
  rt: ResourceType,
  namespace: string,
  name: string,
  body: Buffer,
  contentType: string,
  q: URLSearchParams,
  manager: string,
  subresource?: string,
): { obj: any; created: boolean } {
  const type = contentType.split(';')[0].trim();
  if (
    type === 'application/apply-patch+yaml' ||
    type === 'application/apply-patch+cbor'
  ) {
    return applyObject(
      api,
      rt,
      namespace,
      name,
      parseBody(body, 'yaml'),
      q,
      subresource,
    );
  }
  const existing = mustGet(api, rt, namespace, name);
  const patchBody = parseBody(body, 'application/json');
  let next: any;
  switch (type) {
    case 'application/merge-patch+json':
      next = mergePatch(clone(existing.obj), patchBody);
      break;
    case 'application/strategic-merge-patch+json':
      if (
        rt.group !== '' &&
        ![
          'apps',
          'batch',
          'autoscaling',
          'networking.k8s.io',
          'rbac.authorization.k8s.io',
        ].includes(rt.group)
      ) {
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
      }
      next = strategicMergePatch(clone(existing.obj), patchBody);
      break;
    case 'application/json-patch+json':
      next = jsonPatch(existing.obj, patchBody);
      break;
    default:
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
  // A patch never carries a precondition unless it sets resourceVersion itself.
  if (patchBody?.metadata?.resourceVersion === undefined && next?.metadata)
    next.metadata.resourceVersion = existing.obj.metadata.resourceVersion;
  return {
    obj: commit(api, rt, existing, next, manager, subresource, false),
    created: false,
  };
}

function applyObject(
  api: ClusterApi,
  rt: ResourceType,
  namespace: string,
  name: string,
  applied: any,
  q: URLSearchParams,
  subresource?: string,
): { obj: any; created: boolean } {
  const manager = q.get('fieldManager');
  if (!manager)
    throw badRequest(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  if (!applied || typeof applied !== 'object')
    throw badRequest(
      'the server rejected our request due to an error in our request: object expected',
    );
  if (
    applied.kind !== rt.kind ||
    (applied.apiVersion && applied.apiVersion !== apiVersionOf(rt))
  ) {
    throw badRequest(
      `the API version in the data (${
        applied.apiVersion
      }) does not match the expected API version (${apiVersionOf(rt)})`,
    );
  }
  if (applied.metadata?.name && applied.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  const force = q.get('force') === 'true';
  const existing = api.store.get(
    resourceKey(rt.group, rt.plural),
    namespace,
    name,
  );
  const includeStatus = subresource === 'status' || !rt.status;
  if (!existing) {
    const merged = serverSideApply(
      undefined,
      applied,
      manager,
      force,
      apiVersionOf(rt),
      includeStatus,
    );
    merged.metadata = { ...merged.metadata, name };
    return {
      obj: createObject(
        api,
        rt,
        namespace || undefined,
        merged,
        manager,
        q.get('dryRun') === 'All',
        true,
      ),
      created: true,
    };
  }
  const merged = serverSideApply(
    existing.obj,
    applied,
    manager,
    force,
    apiVersionOf(rt),
    includeStatus,
  );
  merged.metadata.resourceVersion =
    applied.metadata?.resourceVersion ?? existing.obj.metadata.resourceVersion;
  return {
    obj: commit(api, rt, existing, merged, manager, subresource, true),
    created: false,
  };
}
