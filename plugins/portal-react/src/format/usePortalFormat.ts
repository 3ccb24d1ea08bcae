import { useEffect, useMemo, useState } from 'react';
import {
  appLanguageApiRef,
  useApiHolder,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { portalReactTranslationRef } from '../translations/portalReactTranslationRef';
import { createPortalFormat, PortalFormat } from './formatters';

/**
 * The language chosen in the portal (Settings → Appearance → Language),
 * following changes. Without the app language API (some test apps) it is
 * English, the language every message is written in first.
 *
 * @public
 */
export function usePortalLanguage(): string {
  const languageApi = useApiHolder().get(appLanguageApiRef);
  const [language, setLanguage] = useState(
    () => languageApi?.getLanguage().language ?? 'en',
  );
  useEffect(() => {
    if (!languageApi) {
      return undefined;
    }
    const subscription = languageApi
      .language$()
      .subscribe(next => setLanguage(next.language));
    return () => subscription.unsubscribe();
  }, [languageApi]);
  return language;
}

/**
 * Dates, times and durations in the portal's language, not the browser's
 * locale: `dateTime`, `date`, `relativeTime`, `duration` and `timeLeft`
 * ("2일 3시간 남음").
 *
 * @public
 */
export function usePortalFormat(): PortalFormat {
  const language = usePortalLanguage();
  const { t } = useTranslationRef(portalReactTranslationRef);
  return useMemo(
    () =>
      createPortalFormat(language, {
        timeLeft: duration => t('time.left', { duration }),
        expired: time => t('time.expired', { time }),
      }),
    [language, t],
  );
}
