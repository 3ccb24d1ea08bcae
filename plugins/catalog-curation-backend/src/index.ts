/**
 * Backend of catalog curation.
 *
 * @packageDocumentation
 */

export { catalogCurationPlugin as default } from './plugin';
