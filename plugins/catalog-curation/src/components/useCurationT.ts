import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { catalogCurationTranslationRef } from '../translations/translation';

/**
 * The translation function of the plugin, also accepting keys built at run
 * time (rule and check ids come from the backend).
 */
export function useCurationT(): (
  key: string,
  params?: Record<string, string | number>,
) => string {
  const { t } = useTranslationRef(catalogCurationTranslationRef);
  return t as unknown as (
    key: string,
    params?: Record<string, string | number>,
  ) => string;
}
