/**
 * Catalog module with the curation rules applied at ingestion.
 *
 * @packageDocumentation
 */

export { catalogModuleCuration as default } from './module';
