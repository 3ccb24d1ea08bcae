/**
 * Rules, quality checks, permissions and API types of catalog curation.
 *
 * @packageDocumentation
 */

export * from './permissions';
export * from './annotations';
export * from './api';
export * from './rules/config';
export * from './rules/evaluateCurationRules';
export * from './checks/evaluateQualityChecks';
export type {
  paths as CatalogCurationPaths,
  components as CatalogCurationComponents,
} from './generated/openapi';
