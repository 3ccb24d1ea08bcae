import { useEffect } from 'react';
import { Settings } from 'luxon';
import { usePortalLanguage } from '@internal/plugin-portal-react';

/**
 * Keeps `<html lang>` on the portal's language, so screen readers pronounce
 * the page in the language it is written in (KWCAG 2.2, 5.1.1 / WCAG 3.1.1),
 * and luxon's default locale too, so the relative times upstream components
 * format with luxon ("2 seconds ago") follow the portal, not the browser.
 */
export function DocumentLanguage() {
  const language = usePortalLanguage();
  useEffect(() => {
    document.documentElement.lang = language;
    Settings.defaultLocale = language;
  }, [language]);
  return null;
}
