/**
 * Catalog curation: the platform team's curation page and the quality card
 * on entity pages. The plugin itself is exported from `./alpha`.
 *
 * @packageDocumentation
 */

export {
  CatalogCurationClient,
  catalogCurationApiRef,
} from './api/CatalogCurationClient';
export type { CatalogCurationApi } from './api/CatalogCurationClient';
export { catalogCurationTranslationRef } from './translations/translation';
