import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { catalogCurationTranslationRef } from '../translations/translation';

/**
 * The translation function of the plugin, also accepting keys built at run
 * time (rule and check ids come from the backend). With an element among
 * the values (code in a sentence) it returns an element.
 */
export interface CurationTranslate {
  (key: string, params?: Record<string, string | number>): string;
  (
    key: string,
    params: Record<string, string | number | JSX.Element>,
  ): JSX.Element;
}

export function useCurationT(): CurationTranslate {
  const { t } = useTranslationRef(catalogCurationTranslationRef);
  return t as unknown as CurationTranslate;
}
