import { useEffect } from 'react';
import { usePortalLanguage } from '@internal/plugin-portal-react';

/**
 * Keeps `<html lang>` on the portal's language, so screen readers pronounce
 * the page in the language it is written in (KWCAG 2.2, 5.1.1 / WCAG 3.1.1).
 */
export function DocumentLanguage() {
  const language = usePortalLanguage();
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  return null;
}
