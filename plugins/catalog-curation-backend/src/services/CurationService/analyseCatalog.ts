import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import {
  ANNOTATION_ORPHAN,
  ANNOTATION_SOURCE_LOCATION,
  CurationProblem,
  CurationReport,
  CurationRuleId,
  CurationRulesConfig,
  DuplicateCandidate,
  FailedEntity,
  OrphanEntity,
  createCatalogIndex,
  curationRuleIds,
  evaluateCurationRules,
  resolveOwnerRef,
} from '@internal/plugin-catalog-curation-common';

/** An entity the catalog failed to process, as the unprocessed module reports it. */
export interface FailedRefreshState {
  entityId: string;
  entityRef: string;
  entity: Entity;
  errors: Array<{ name: string; message: string }>;
}

const DUPLICATE_NAME_KINDS = [
  'component',
  'api',
  'resource',
  'system',
  'domain',
];
const PROCESSING_STATUS = 'backstage.io/catalog-processing';

/** The team of an entity for grouping: its owner group, or `unowned`. */
export function teamOf(entity: Entity): string {
  const owner = resolveOwnerRef(entity);
  return owner?.startsWith('group:') ? owner : 'unowned';
}

/** Splits a processing error into the curation rule it reports, if any. */
export function ruleOfMessage(message: string): {
  rule: CurationRuleId | 'processing-error';
  message: string;
} {
  const match = /^\[curation:([a-z-]+)\]\s*(.*)$/s.exec(message);
  if (match && (curationRuleIds as readonly string[]).includes(match[1])) {
    return { rule: match[1] as CurationRuleId, message: match[2] };
  }
  return { rule: 'processing-error', message };
}

/** A source location without the differences that do not matter. */
export function normaliseSourceLocation(value: string): string {
  return value
    .replace(/^url:/, '')
    .replace(/\/-\/(tree|blob)\/[^/]+/, '')
    .replace(/\/(tree|blob)\/[^/]+/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .toLocaleLowerCase('en-US');
}

function lowerRef(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

function findDuplicates(entities: Entity[]): DuplicateCandidate[] {
  const duplicates: DuplicateCandidate[] = [];

  const byName = new Map<string, Entity[]>();
  for (const entity of entities) {
    if (
      !DUPLICATE_NAME_KINDS.includes(entity.kind.toLocaleLowerCase('en-US'))
    ) {
      continue;
    }
    const name = entity.metadata.name.toLocaleLowerCase('en-US');
    byName.set(name, [...(byName.get(name) ?? []), entity]);
  }
  for (const [name, named] of byName) {
    // An API named after the component that provides it is the convention,
    // not a duplicate.
    const provided = new Set(
      named.flatMap(e =>
        (e.relations ?? [])
          .filter(r => r.type === 'providesApi')
          .map(r => r.targetRef.toLocaleLowerCase('en-US')),
      ),
    );
    const refs = named.map(lowerRef).filter(ref => !provided.has(ref));
    if (refs.length > 1) {
      duplicates.push({ reason: 'name', key: name, entityRefs: refs.sort() });
    }
  }

  const bySource = new Map<string, string[]>();
  for (const entity of entities) {
    const source = entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION];
    if (!source || entity.kind.toLocaleLowerCase('en-US') !== 'component') {
      continue;
    }
    const key = normaliseSourceLocation(source);
    bySource.set(key, [...(bySource.get(key) ?? []), lowerRef(entity)]);
  }
  for (const [key, refs] of bySource) {
    if (refs.length > 1) {
      duplicates.push({
        reason: 'source-location',
        key,
        entityRefs: refs.sort(),
      });
    }
  }
  return duplicates;
}

/**
 * Everything the curation page shows, computed from the catalog's entities
 * and the entities it failed to process.
 */
export function analyseCatalog(options: {
  entities: Entity[];
  failed: FailedRefreshState[];
  rules: CurationRulesConfig;
  now?: Date;
}): CurationReport {
  const { entities, failed, rules } = options;
  const index = createCatalogIndex(entities);
  const problems: CurationProblem[] = [];
  const orphans: OrphanEntity[] = [];
  const entitiesPerTeam: Record<string, number> = {};
  const ownedKinds = rules.ownerKinds.map(k => k.toLocaleLowerCase('en-US'));

  for (const entity of entities) {
    const entityRef = lowerRef(entity);
    const team = teamOf(entity);
    const title = entity.metadata.title;
    const seen = new Set<string>();
    if (ownedKinds.includes(entity.kind.toLocaleLowerCase('en-US'))) {
      entitiesPerTeam[team] = (entitiesPerTeam[team] ?? 0) + 1;
    }
    for (const violation of evaluateCurationRules(entity, index, rules)) {
      seen.add(violation.rule);
      problems.push({ entityRef, title, team, ...violation });
    }
    // Errors of the latest version, which the catalog did not accept: the
    // entity above is its last good version.
    for (const item of (entity as AlphaEntity).status?.items ?? []) {
      if (item.type !== PROCESSING_STATUS || item.level !== 'error') {
        continue;
      }
      const parsed = ruleOfMessage(item.error?.message ?? item.message);
      if (parsed.rule !== 'processing-error' && seen.has(parsed.rule)) {
        continue;
      }
      seen.add(parsed.rule);
      problems.push({ entityRef, title, team, ...parsed });
    }
    if (entity.metadata.annotations?.[ANNOTATION_ORPHAN] === 'true') {
      orphans.push({
        entityRef,
        uid: entity.metadata.uid ?? '',
        title,
        team,
        sourceLocation:
          entity.metadata.annotations?.[
            'backstage.io/managed-by-origin-location'
          ],
      });
    }
  }

  const failedEntities: FailedEntity[] = failed.map(f => ({
    entityRef: f.entityRef,
    entityId: f.entityId,
    team: teamOf(f.entity),
    errors: f.errors,
  }));
  for (const f of failed) {
    for (const error of f.errors) {
      problems.push({
        entityRef: f.entityRef,
        title: f.entity.metadata?.title,
        team: teamOf(f.entity),
        ...ruleOfMessage(error.message),
      });
    }
  }

  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    entityCount: entities.length,
    entitiesPerTeam,
    problems,
    orphans,
    failed: failedEntities,
    duplicates: findDuplicates(entities),
  };
}
