/**
 * Catalog curation: the platform team's curation page and the quality card
 * on entity pages. The default export is the plugin (frontend system 1.0).
 *
 * @packageDocumentation
 */

export { default } from './plugin';
export {
  CatalogCurationClient,
  catalogCurationApiRef,
} from './api/CatalogCurationClient';
export type { CatalogCurationApi } from './api/CatalogCurationClient';
export { catalogCurationTranslationRef } from './translations/translation';
