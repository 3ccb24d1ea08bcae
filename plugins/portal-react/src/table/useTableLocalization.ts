import { coreComponentsTranslationRef } from '@backstage/core-components/alpha';
import type { TableProps } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { portalReactTranslationRef } from '../translations/portalReactTranslationRef';

type Localization = NonNullable<TableProps['localization']>;

/**
 * The texts material-table writes itself, in the portal's language: the
 * search field's accessible names ("Search", "Clear Search") and the paging
 * buttons' ("Previous Page", "Next Page"), which core-components' Table
 * leaves to material-table's English defaults (it translates only the
 * buttons' tooltips, which say the same). What the caller passes wins.
 *
 * @public
 */
export function useTableLocalization(given?: Localization): Localization {
  const { t } = useTranslationRef(portalReactTranslationRef);
  const { t: core } = useTranslationRef(coreComponentsTranslationRef);
  return {
    ...given,
    toolbar: {
      searchPlaceholder: t('table.search'),
      searchTooltip: t('table.search'),
      searchAriaLabel: t('table.search'),
      clearSearchAriaLabel: t('table.clearSearch'),
      ...given?.toolbar,
    },
    pagination: {
      firstAriaLabel: core('table.pagination.firstTooltip'),
      previousAriaLabel: core('table.pagination.previousTooltip'),
      nextAriaLabel: core('table.pagination.nextTooltip'),
      lastAriaLabel: core('table.pagination.lastTooltip'),
      ...given?.pagination,
    },
  };
}
