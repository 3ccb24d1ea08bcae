// Discovery documents (/api, /apis, APIResourceLists) and just enough OpenAPI
// for kubectl: a v3 index whose PATCH operations advertise `fieldValidation`
// (so kubectl validates server-side instead of downloading schemas) and an
// empty v2 document (so kubectl computes strategic patches from its own types).
import { ResourceType, apiVersionOf } from './resources';

export const VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

export function groupVersions(
  resources: ResourceType[],
): Map<string, ResourceType[]> {
  const out = new Map<string, ResourceType[]>();
  for (const r of resources) {
    const gv = apiVersionOf(r);
    out.set(gv, [...(out.get(gv) ?? []), r]);
  }
  return out;
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string, versions: string[]): unknown {
  const list = versions.map(v => ({
    groupVersion: `${group}/${v}`,
    version: v,
  }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

export function apiGroupList(resources: ResourceType[]): unknown {
  const groups = new Map<string, Set<string>>();
  for (const r of resources) {
    if (!r.group) continue;
    groups.set(r.group, (groups.get(r.group) ?? new Set()).add(r.version));
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups.entries()].map(([g, vs]) => groupEntry(g, [...vs])),
  };
}

export function apiGroup(
  resources: ResourceType[],
  group: string,
): unknown | undefined {
  const versions = [
    ...new Set(resources.filter(r => r.group === group).map(r => r.version)),
  ];
  if (versions.length === 0) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    ...(groupEntry(group, versions) as object),
  };
}

export function apiResourceList(
  groupVersion: string,
  resources: ResourceType[],
): unknown {
  const list: unknown[] = [];
  for (const r of resources) {
    list.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories?.length ? { categories: r.categories } : {}),
    });
    if (r.status) {
      list.push({
        name: `${r.plural}/status`,
        singularName: '',
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (r.plural === 'pods' && r.group === '') {
      list.push({
        name: 'pods/log',
        singularName: '',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: list,
  };
}

export function versionInfo(gitVersion: string): unknown {
  const m = /^v(\d+)\.(\d+)/.exec(gitVersion);
  return {
    major: m?.[1] ?? '1',
    minor: m?.[2] ?? '31',
    gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function gvPath(gv: string): string {
  return gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
}

export function openApiV3Index(
  resources: ResourceType[],
  hash: string,
): unknown {
  const paths: Record<string, unknown> = {};
  for (const gv of groupVersions(resources).keys()) {
    paths[gvPath(gv)] = {
      serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=${hash}`,
    };
  }
  return { paths };
}

export function openApiV3GroupVersion(
  resources: ResourceType[],
  gitVersion: string,
): unknown {
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const prefix = r.group
      ? `/apis/${r.group}/${r.version}`
      : `/api/${r.version}`;
    const path = r.namespaced
      ? `${prefix}/namespaces/{namespace}/${r.plural}/{name}`
      : `${prefix}/${r.plural}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const params = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map(
      name => ({
        name,
        in: 'query',
        schema: {
          type: name === 'force' ? 'boolean' : 'string',
          uniqueItems: true,
        },
      }),
    );
    paths[path] = {
      patch: {
        operationId: `patch${r.kind}`,
        parameters: params,
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: gitVersion },
    paths,
    components: { schemas: {} },
  };
}
