import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { gpuPoolTranslationRef } from '../translation';

/**
 * The search field's texts of the GPU pool's tables in the portal's language:
 * material-table writes "Search" and "Clear Search" itself, which
 * core-components' Table does not translate.
 */
export function useTableLocalization() {
  const { t } = useTranslationRef(gpuPoolTranslationRef);
  return {
    toolbar: {
      searchPlaceholder: t('table.search'),
      searchTooltip: t('table.search'),
      searchAriaLabel: t('table.search'),
      clearSearchAriaLabel: t('table.clearSearch'),
    },
  };
}
