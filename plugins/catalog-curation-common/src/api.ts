import { z } from 'zod';
import type { components, operations } from './generated/openapi';

// The wire shapes below are the backend's OpenAPI spec
// (plugins/catalog-curation-backend/src/schema/openapi.yaml), whose responses
// the contract tests check; these names only keep the package's vocabulary.
// The rule and check ids are held to the spec's enums where they are listed
// (evaluateCurationRules.ts, evaluateQualityChecks.ts).
type Schemas = components['schemas'];

/**
 * A problem of one entity: a broken ingestion rule, or a processing error of
 * another kind (`rule: 'processing-error'`).
 *
 * @public
 */
export type CurationProblem = Schemas['CurationProblem'];

/** @public */
export type OrphanEntity = Schemas['OrphanEntity'];

/** An entity the catalog could not process at all. @public */
export type FailedEntity = Schemas['FailedEntity'];

/** Entities that may be the same thing registered twice. @public */
export type DuplicateCandidate = Schemas['DuplicateCandidate'];

/**
 * What the curation page shows.
 *
 * @public
 */
export type CurationReport = Schemas['CurationReport'];

/** One day's counts of one team. @public */
export type TeamCountsSnapshot = Schemas['TeamCountsSnapshot'];

/** @public */
export type TeamCountsHistory =
  operations['GetHistory']['responses'][200]['content']['application/json'];

/**
 * The scorecard of one entity.
 *
 * @public
 */
export type QualityReport = Schemas['QualityReport'];

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
