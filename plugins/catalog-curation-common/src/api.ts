import { z } from 'zod';
import { CurationRuleId } from './rules/evaluateCurationRules';
import { QualityCheckResult } from './checks/evaluateQualityChecks';

/**
 * A problem of one entity: a broken ingestion rule, or a processing error of
 * another kind (`rule: 'processing-error'`).
 *
 * @public
 */
export interface CurationProblem {
  entityRef: string;
  title?: string;
  /** The owning group's ref, or `unowned`. */
  team: string;
  rule: CurationRuleId | 'processing-error';
  message: string;
  values?: Record<string, string>;
}

/** @public */
export interface OrphanEntity {
  entityRef: string;
  uid: string;
  title?: string;
  team: string;
  sourceLocation?: string;
}

/** An entity the catalog could not process at all. @public */
export interface FailedEntity {
  entityRef: string;
  entityId: string;
  team: string;
  errors: Array<{ name: string; message: string }>;
}

/** Entities that may be the same thing registered twice. @public */
export interface DuplicateCandidate {
  reason: 'name' | 'source-location';
  key: string;
  entityRefs: string[];
}

/**
 * What the curation page shows.
 *
 * @public
 */
export interface CurationReport {
  generatedAt: string;
  entityCount: number;
  /** Entities of the owned kinds per owning team (or `unowned`). */
  entitiesPerTeam: Record<string, number>;
  problems: CurationProblem[];
  orphans: OrphanEntity[];
  failed: FailedEntity[];
  duplicates: DuplicateCandidate[];
}

/** One day's counts of one team. @public */
export interface TeamCountsSnapshot {
  day: string;
  team: string;
  entities: number;
  problems: number;
  orphans: number;
}

/** @public */
export interface TeamCountsHistory {
  snapshots: TeamCountsSnapshot[];
}

/**
 * The scorecard of one entity.
 *
 * @public
 */
export interface QualityReport {
  entityRef: string;
  passed: number;
  applicable: number;
  checks: QualityCheckResult[];
}

/** Body of `POST /orphans/unregister`. @public */
export const unregisterOrphanRequestSchema = z.object({
  entityRef: z.string().min(1).max(512),
});

/** Query of `GET /history`. @public */
export const historyQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
});

/** Query of `GET /quality`. @public */
export const qualityQuerySchema = z.object({
  entityRef: z.string().min(1).max(512),
});
