// Kubernetes RBAC authorisation over the Role, ClusterRole, RoleBinding and
// ClusterRoleBinding objects in the store, matched the way kube-apiserver's
// RBAC authorizer does (k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac):
// a request is allowed when any rule of any role bound to the user allows it;
// there are no deny rules.
import { resourceKey } from '../api/resources';
import { ObjectStore } from '../store/store';
import { Identity, MASTERS_GROUP } from './identity';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const ROLE_KEY = resourceKey(RBAC_GROUP, 'roles');
const CLUSTER_ROLE_KEY = resourceKey(RBAC_GROUP, 'clusterroles');
const ROLE_BINDING_KEY = resourceKey(RBAC_GROUP, 'rolebindings');
const CLUSTER_ROLE_BINDING_KEY = resourceKey(RBAC_GROUP, 'clusterrolebindings');

/** What a request does, as kube-apiserver's RequestInfo describes it. */
export type RequestAttributes =
  | {
      resourceRequest: true;
      verb: string;
      group: string;
      resource: string;
      subresource?: string;
      /** '' for cluster-scoped requests. */
      namespace: string;
      /** '' when the request names no object (list, create, watch of a collection). */
      name: string;
    }
  | { resourceRequest: false; verb: string; path: string };

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface Decision {
  allowed: boolean;
  /** Which binding allowed the request, or why it was denied. */
  reason: string;
}

function has(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some(v => v === '*' || v === value);
}

function resourceMatches(
  rule: PolicyRule,
  resource: string,
  subresource: string | undefined,
): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(r => {
    if (r === '*' || r === combined) return true;
    // `*/scale` grants the scale subresource of every resource.
    return (
      subresource !== undefined &&
      r.startsWith('*/') &&
      r.slice(2) === subresource
    );
  });
}

function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(u => {
    if (u === '*' || u === path) return true;
    return u.endsWith('*') && path.startsWith(u.slice(0, -1));
  });
}

/** Whether one policy rule allows the request (RBAC's RuleAllows). */
export function ruleAllows(rule: PolicyRule, a: RequestAttributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return nonResourceURLMatches(rule, a.path);
  if (!has(rule.apiGroups, a.group)) return false;
  if (!resourceMatches(rule, a.resource, a.subresource)) return false;
  const names = rule.resourceNames ?? [];
  // A rule limited to names never matches a request without one (list, create, watch).
  return names.length === 0 || (a.name !== '' && names.includes(a.name));
}

/** Whether a binding subject denotes the identity (RBAC's appliesToUser). */
export function subjectMatches(
  subject: Subject,
  identity: Identity,
  bindingNamespace: string,
): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === identity.user;
    case 'Group':
      return (
        subject.name !== undefined && identity.groups.includes(subject.name)
      );
    case 'ServiceAccount': {
      // A RoleBinding's ServiceAccount subject defaults to the binding's namespace.
      const namespace = subject.namespace || bindingNamespace;
      return (
        namespace !== '' &&
        identity.user === `system:serviceaccount:${namespace}:${subject.name}`
      );
    }
    default:
      return false;
  }
}

/** Kubernetes-style wording of a denied request, e.g. for a 403 Status. */
export function describeDenial(
  identity: Identity,
  a: RequestAttributes,
): string {
  if (!a.resourceRequest)
    return `User "${identity.user}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource
    ? `${a.resource}/${a.subresource}`
    : a.resource;
  const where = a.namespace
    ? `in the namespace "${a.namespace}"`
    : 'at the cluster scope';
  return `User "${identity.user}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${where}`;
}

export class RbacAuthorizer {
  constructor(private readonly store: ObjectStore) {}

  authorize(identity: Identity, a: RequestAttributes): Decision {
    // Like kube-apiserver, members of system:masters bypass RBAC entirely.
    if (identity.groups.includes(MASTERS_GROUP))
      return { allowed: true, reason: `group "${MASTERS_GROUP}"` };
    for (const { obj: binding } of this.store.list(CLUSTER_ROLE_BINDING_KEY)) {
      if (!this.bindingApplies(binding, identity, '')) continue;
      const rules = this.rulesOf(binding.roleRef, '');
      if (rules.some(r => ruleAllows(r, a)))
        return {
          allowed: true,
          reason: `RBAC: allowed by ClusterRoleBinding "${binding.metadata.name}" of ClusterRole "${binding.roleRef?.name}"`,
        };
    }
    // RoleBindings only grant inside their own namespace, never cluster-scoped requests.
    if (a.resourceRequest && a.namespace !== '') {
      for (const { obj: binding } of this.store.list(
        ROLE_BINDING_KEY,
        a.namespace,
      )) {
        if (!this.bindingApplies(binding, identity, a.namespace)) continue;
        const rules = this.rulesOf(binding.roleRef, a.namespace);
        if (rules.some(r => ruleAllows(r, a)))
          return {
            allowed: true,
            reason: `RBAC: allowed by RoleBinding "${binding.metadata.name}/${a.namespace}" of ${binding.roleRef?.kind} "${binding.roleRef?.name}"`,
          };
      }
    }
    return { allowed: false, reason: '' };
  }

  private bindingApplies(
    binding: any,
    identity: Identity,
    namespace: string,
  ): boolean {
    const subjects: Subject[] = Array.isArray(binding.subjects)
      ? binding.subjects
      : [];
    return subjects.some(s => subjectMatches(s, identity, namespace));
  }

  /** Rules of the referenced role; a dangling reference grants nothing. */
  private rulesOf(
    roleRef: { kind?: string; name?: string } | undefined,
    namespace: string,
  ): PolicyRule[] {
    if (!roleRef?.name) return [];
    let role: any;
    if (roleRef.kind === 'ClusterRole')
      role = this.store.get(CLUSTER_ROLE_KEY, '', roleRef.name)?.obj;
    else if (roleRef.kind === 'Role' && namespace !== '')
      role = this.store.get(ROLE_KEY, namespace, roleRef.name)?.obj;
    return Array.isArray(role?.rules) ? role.rules : [];
  }
}
