/**
 * Shared React parts of the portal: dates, times and durations in the
 * portal's language, and the display names of teams and users.
 *
 * @packageDocumentation
 */

export { createPortalFormat } from './format/formatters';
export type {
  PortalFormat,
  PortalFormatMessages,
  PortalTime,
} from './format/formatters';
export { usePortalFormat, usePortalLanguage } from './format/usePortalFormat';
export { useDisplayName } from './entities/useDisplayName';
export { DisplayName } from './entities/DisplayName';
export { openApiFetch } from './http/openApiFetch';
export { portalReactTranslationRef } from './translations/portalReactTranslationRef';
export { PortalTable, filterRows } from './table/PortalTable';
export type { PortalTableProps } from './table/PortalTable';
export { useTableLocalization } from './table/useTableLocalization';
export { useLiveReload } from './live/useLiveReload';
export type { LiveReloadOptions, LiveReloadState } from './live/useLiveReload';
