import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { coreComponentsTranslationRef } from '@backstage/core-components/alpha';
import { gpuPoolTranslationRef } from '../translation';

/**
 * The GPU pool's tables' texts that material-table writes itself, in the
 * portal's language: the search field's ("Search", "Clear Search") and the
 * paging buttons' labels ("Previous Page", "Next Page"), which
 * core-components' Table leaves to material-table's English defaults (it
 * translates only their tooltips; the labels say the same).
 */
export function useTableLocalization() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  const { t: core } = useTranslationRef(coreComponentsTranslationRef);
  return {
    toolbar: {
      searchPlaceholder: t('table.search'),
      searchTooltip: t('table.search'),
      searchAriaLabel: t('table.search'),
      clearSearchAriaLabel: t('table.clearSearch'),
    },
    pagination: {
      firstAriaLabel: core('table.pagination.firstTooltip'),
      previousAriaLabel: core('table.pagination.previousTooltip'),
      nextAriaLabel: core('table.pagination.nextTooltip'),
      lastAriaLabel: core('table.pagination.lastTooltip'),
    },
  };
}
