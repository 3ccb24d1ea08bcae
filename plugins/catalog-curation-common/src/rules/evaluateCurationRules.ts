import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CurationRulesConfig } from './config';
import type { components } from '../generated/openapi';
import type { Exactly } from '../exactly';

/**
 * The ingestion rules.
 *
 * @public
 */
export const curationRuleIds = [
  'owner-is-group',
  'system-required',
  'lifecycle-known',
  'name-unique',
] as const;

/**
 * An ingestion rule's id; the compiler holds {@link curationRuleIds} to the
 * spec's `CurationProblem.rule` enum (which adds `processing-error`).
 *
 * @public
 */
export type CurationRuleId = Exactly<
  (typeof curationRuleIds)[number],
  Exclude<components['schemas']['CurationProblem']['rule'], 'processing-error'>
>;

/**
 * One broken rule. `message` is English, for processing errors and logs;
 * the UI translates by `rule` and shows `values`.
 *
 * @public
 */
export interface RuleViolation {
  rule: CurationRuleId;
  message: string;
  values?: Record<string, string>;
}

/**
 * What the rules need to know about the rest of the catalog. Entity refs are
 * lower-case `kind:namespace/name`.
 *
 * @public
 */
export interface CatalogIndex {
  /** Whether a Group with this ref exists. */
  hasGroup(groupRef: string): boolean;
  /** Refs of every entity with this name (any kind, any namespace). */
  refsNamed(name: string): string[];
}

/**
 * Builds a {@link CatalogIndex} over a list of entities, as read from the
 * catalog with at least `kind`, `metadata.namespace` and `metadata.name`.
 *
 * @public
 */
export function createCatalogIndex(
  entities: Iterable<Pick<Entity, 'kind' | 'metadata'>>,
): CatalogIndex {
  const groups = new Set<string>();
  const byName = new Map<string, string[]>();
  for (const entity of entities) {
    const ref = stringifyEntityRef({
      kind: entity.kind,
      namespace: entity.metadata.namespace,
      name: entity.metadata.name,
    }).toLocaleLowerCase('en-US');
    if (entity.kind.toLocaleLowerCase('en-US') === 'group') {
      groups.add(ref);
    }
    const name = entity.metadata.name.toLocaleLowerCase('en-US');
    const refs = byName.get(name);
    if (refs) {
      refs.push(ref);
    } else {
      byName.set(name, [ref]);
    }
  }
  return {
    hasGroup: ref => groups.has(ref.toLocaleLowerCase('en-US')),
    refsNamed: name => byName.get(name.toLocaleLowerCase('en-US')) ?? [],
  };
}

function lower(value: string): string {
  return value.toLocaleLowerCase('en-US');
}

function includesKind(kinds: string[], kind: string): boolean {
  return kinds.some(k => lower(k) === lower(kind));
}

/**
 * Resolves `spec.owner` the way the catalog does: a bare name is a Group in
 * the entity's namespace.
 *
 * @public
 */
export function resolveOwnerRef(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner.trim() === '') {
    return undefined;
  }
  try {
    return lower(
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'Group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    );
  } catch {
    return undefined;
  }
}

function nameClashes(
  entity: Entity,
  index: CatalogIndex,
  config: CurationRulesConfig,
): string[] {
  const self = lower(stringifyEntityRef(entity));
  const kind = lower(entity.kind);
  const namespace = lower(entity.metadata.namespace ?? 'default');
  const group = config.nameClash.kindGroups.find(g => includesKind(g, kind));
  const sameNameSpace = (otherKind: string) =>
    otherKind === kind ||
    (group !== undefined && includesKind(group, otherKind));

  return index.refsNamed(entity.metadata.name).filter(ref => {
    if (ref === self) {
      return false;
    }
    const other = parseEntityRef(ref);
    if (!sameNameSpace(lower(other.kind))) {
      return false;
    }
    return (
      lower(other.namespace) === namespace || config.nameClash.acrossNamespaces
    );
  });
}

/**
 * Evaluates the ingestion rules on one entity. Returns the broken rules,
 * empty when the entity is fine.
 *
 * @public
 */
export function evaluateCurationRules(
  entity: Entity,
  index: CatalogIndex,
  config: CurationRulesConfig,
): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const kind = entity.kind;

  if (includesKind(config.ownerKinds, kind)) {
    const ownerRef = resolveOwnerRef(entity);
    if (!ownerRef) {
      violations.push({
        rule: 'owner-is-group',
        message: 'spec.owner is missing; name the Group that owns this entity',
      });
    } else if (parseEntityRef(ownerRef).kind !== 'group') {
      violations.push({
        rule: 'owner-is-group',
        message: `spec.owner "${entity.spec?.owner}" is not a Group; owners are teams, not people`,
        values: { owner: ownerRef },
      });
    } else if (!index.hasGroup(ownerRef)) {
      violations.push({
        rule: 'owner-is-group',
        message: `spec.owner "${entity.spec?.owner}" does not resolve to a Group in the catalog (${ownerRef})`,
        values: { owner: ownerRef },
      });
    }
  }

  if (includesKind(config.systemKinds, kind)) {
    const system = entity.spec?.system;
    if (typeof system !== 'string' || system.trim() === '') {
      violations.push({
        rule: 'system-required',
        message: `spec.system is missing; every ${kind} belongs to a System`,
      });
    }
  }

  if (includesKind(config.lifecycleKinds, kind)) {
    const lifecycle = entity.spec?.lifecycle;
    if (
      typeof lifecycle !== 'string' ||
      !config.lifecycles.includes(lifecycle)
    ) {
      violations.push({
        rule: 'lifecycle-known',
        message: `spec.lifecycle "${
          lifecycle ?? ''
        }" is not one of ${config.lifecycles.join(', ')}`,
        values: {
          lifecycle: typeof lifecycle === 'string' ? lifecycle : '',
          allowed: config.lifecycles.join(', '),
        },
      });
    }
  }

  const clashes = nameClashes(entity, index, config);
  if (clashes.length > 0) {
    violations.push({
      rule: 'name-unique',
      message: `metadata.name "${
        entity.metadata.name
      }" clashes with ${clashes.join(', ')}`,
      values: { clashesWith: clashes.join(', ') },
    });
  }

  return violations;
}

/**
 * The text of a processing error for a violation. Starts with the rule id in
 * brackets so that the curation page can group processing errors by rule.
 *
 * @public
 */
export function formatRuleViolation(violation: RuleViolation): string {
  return `[curation:${violation.rule}] ${violation.message}`;
}
