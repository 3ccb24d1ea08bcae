import { ObjectStore } from '../store/store';
import { resourceKey } from '../api/resources';
import { serviceAccountIdentity, ADMIN_IDENTITY } from './identity';
import {
  RbacAuthorizer,
  RequestAttributes,
  ruleAllows,
  subjectMatches,
} from './rbac';

const RBAC = 'rbac.authorization.k8s.io';

function res(
  verb: string,
  resource: string,
  extra: Partial<Extract<RequestAttributes, { resourceRequest: true }>> = {},
): RequestAttributes {
  return {
    resourceRequest: true,
    verb,
    group: '',
    resource,
    namespace: '',
    name: '',
    ...extra,
  };
}

describe('ruleAllows', () => {
  const read = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };

  it('matches verb, group and resource exactly', () => {
    expect(ruleAllows(read, res('get', 'pods'))).toBe(true);
    expect(ruleAllows(read, res('delete', 'pods'))).toBe(false);
    expect(ruleAllows(read, res('get', 'pods', { group: 'apps' }))).toBe(false);
    expect(ruleAllows(read, res('get', 'services'))).toBe(false);
  });

  it('keeps subresources apart from their resource', () => {
    expect(ruleAllows(read, res('get', 'pods', { subresource: 'log' }))).toBe(
      false,
    );
    const logs = { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] };
    expect(ruleAllows(logs, res('get', 'pods', { subresource: 'log' }))).toBe(
      true,
    );
    expect(ruleAllows(logs, res('get', 'pods'))).toBe(false);
    const anyStatus = {
      apiGroups: ['*'],
      resources: ['*/status'],
      verbs: ['*'],
    };
    expect(
      ruleAllows(anyStatus, res('patch', 'nodes', { subresource: 'status' })),
    ).toBe(true);
    expect(ruleAllows(anyStatus, res('patch', 'nodes'))).toBe(false);
  });

  it('treats * as a wildcard, including subresources', () => {
    const all = { apiGroups: ['*'], resources: ['*'], verbs: ['*'] };
    expect(
      ruleAllows(
        all,
        res('delete', 'pods', { subresource: 'eviction', group: 'x' }),
      ),
    ).toBe(true);
  });

  it('limits by resourceNames, which never match nameless requests', () => {
    const bind = {
      apiGroups: [RBAC],
      resources: ['clusterroles'],
      resourceNames: ['edit'],
      verbs: ['bind'],
    };
    expect(
      ruleAllows(
        bind,
        res('bind', 'clusterroles', { group: RBAC, name: 'edit' }),
      ),
    ).toBe(true);
    expect(
      ruleAllows(
        bind,
        res('bind', 'clusterroles', { group: RBAC, name: 'cluster-admin' }),
      ),
    ).toBe(false);
    const named = {
      apiGroups: [''],
      resources: ['configmaps'],
      resourceNames: ['a'],
      verbs: ['list', 'get'],
    };
    expect(ruleAllows(named, res('list', 'configmaps'))).toBe(false);
  });

  it('matches non-resource URLs exactly or by a trailing * prefix', () => {
    const discovery = { nonResourceURLs: ['/api', '/apis/*'], verbs: ['get'] };
    const nr = (verb: string, path: string): RequestAttributes => ({
      resourceRequest: false,
      verb,
      path,
    });
    expect(ruleAllows(discovery, nr('get', '/api'))).toBe(true);
    expect(ruleAllows(discovery, nr('get', '/api/v1'))).toBe(false);
    expect(ruleAllows(discovery, nr('get', '/apis/apps/v1'))).toBe(true);
    expect(ruleAllows(discovery, nr('post', '/apis/apps/v1'))).toBe(false);
    // A resource rule never grants a non-resource URL and vice versa.
    expect(ruleAllows(discovery, res('get', 'pods'))).toBe(false);
  });
});

describe('subjectMatches', () => {
  const sa = serviceAccountIdentity('portal', 'reader');

  it('matches service accounts by namespace and name', () => {
    expect(
      subjectMatches(
        { kind: 'ServiceAccount', name: 'reader', namespace: 'portal' },
        sa,
        '',
      ),
    ).toBe(true);
    expect(
      subjectMatches(
        { kind: 'ServiceAccount', name: 'reader', namespace: 'other' },
        sa,
        '',
      ),
    ).toBe(false);
    // A RoleBinding's subject without namespace means the binding's namespace.
    expect(
      subjectMatches({ kind: 'ServiceAccount', name: 'reader' }, sa, 'portal'),
    ).toBe(true);
    expect(
      subjectMatches({ kind: 'ServiceAccount', name: 'reader' }, sa, ''),
    ).toBe(false);
  });

  it('matches users by name and groups by membership', () => {
    expect(subjectMatches({ kind: 'User', name: sa.user }, sa, '')).toBe(true);
    expect(
      subjectMatches(
        { kind: 'Group', name: 'system:serviceaccounts:portal' },
        sa,
        '',
      ),
    ).toBe(true);
    expect(
      subjectMatches({ kind: 'Group', name: 'system:masters' }, sa, ''),
    ).toBe(false);
  });
});

describe('RbacAuthorizer', () => {
  const store = new ObjectStore();
  const put = (plural: string, obj: any) =>
    store.put(resourceKey(RBAC, plural), obj, true);
  put('clusterroles', {
    metadata: { name: 'reader' },
    rules: [
      {
        apiGroups: [''],
        resources: ['namespaces', 'pods'],
        verbs: ['get', 'list'],
      },
    ],
  });
  put('roles', {
    metadata: { name: 'cm-writer', namespace: 'team-a' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }],
  });
  put('clusterrolebindings', {
    metadata: { name: 'reader' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'alice', namespace: 'portal' }],
  });
  put('rolebindings', {
    metadata: { name: 'bob-reads-team-a', namespace: 'team-a' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'bob', namespace: 'portal' }],
  });
  put('rolebindings', {
    metadata: { name: 'bob-writes-cm', namespace: 'team-a' },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: 'cm-writer' },
    subjects: [{ kind: 'ServiceAccount', name: 'bob', namespace: 'portal' }],
  });
  put('rolebindings', {
    metadata: { name: 'dangling', namespace: 'team-a' },
    roleRef: { apiGroup: RBAC, kind: 'Role', name: 'does-not-exist' },
    subjects: [{ kind: 'ServiceAccount', name: 'carol', namespace: 'portal' }],
  });
  const rbac = new RbacAuthorizer(store);
  const alice = serviceAccountIdentity('portal', 'alice');
  const bob = serviceAccountIdentity('portal', 'bob');
  const carol = serviceAccountIdentity('portal', 'carol');

  it('grants a ClusterRoleBinding in every namespace and at the cluster scope', () => {
    expect(rbac.authorize(alice, res('list', 'pods')).allowed).toBe(true);
    expect(
      rbac.authorize(alice, res('get', 'pods', { namespace: 'x', name: 'p' }))
        .allowed,
    ).toBe(true);
    const denied = rbac.authorize(
      alice,
      res('delete', 'pods', { namespace: 'x', name: 'p' }),
    );
    expect(denied.allowed).toBe(false);
  });

  it('grants a RoleBinding only inside its namespace', () => {
    expect(
      rbac.authorize(bob, res('list', 'pods', { namespace: 'team-a' })).allowed,
    ).toBe(true);
    expect(
      rbac.authorize(bob, res('list', 'pods', { namespace: 'team-b' })).allowed,
    ).toBe(false);
    // ... and never cluster-wide, even though it references a ClusterRole.
    expect(rbac.authorize(bob, res('list', 'pods')).allowed).toBe(false);
    // A namespace object is "in" itself.
    expect(
      rbac.authorize(
        bob,
        res('get', 'namespaces', { namespace: 'team-a', name: 'team-a' }),
      ).allowed,
    ).toBe(true);
    expect(
      rbac.authorize(bob, res('create', 'configmaps', { namespace: 'team-a' }))
        .allowed,
    ).toBe(true);
    expect(
      rbac.authorize(bob, res('create', 'configmaps', { namespace: 'team-b' }))
        .allowed,
    ).toBe(false);
  });

  it('grants nothing through a binding to a missing role', () => {
    expect(
      rbac.authorize(
        carol,
        res('get', 'pods', { namespace: 'team-a', name: 'p' }),
      ).allowed,
    ).toBe(false);
  });

  it('lets system:masters through without any binding', () => {
    expect(
      rbac.authorize(ADMIN_IDENTITY, res('delete', 'nodes', { name: 'n' }))
        .allowed,
    ).toBe(true);
  });

  it('follows changes to roles at once', () => {
    put('clusterroles', {
      metadata: { name: 'reader' },
      rules: [
        { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list'] },
      ],
    });
    expect(rbac.authorize(alice, res('list', 'pods')).allowed).toBe(false);
    expect(rbac.authorize(alice, res('list', 'namespaces')).allowed).toBe(true);
  });
});
