import { Config } from '@backstage/config';

/** The portal's time zone unless `gpuPool.notifications.timeZone` says otherwise. */
export const DEFAULT_NOTIFICATION_TIME_ZONE = 'Asia/Seoul';

const KEY = 'gpuPool.notifications.timeZone';

/**
 * Reads `gpuPool.notifications.timeZone`, an IANA time zone name (default
 * `Asia/Seoul`), and returns its canonical spelling. An unknown zone is
 * refused at start-up rather than at the first notification.
 */
export function readNotificationTimeZone(config: Config): string {
  const value = config.getOptionalString(KEY) ?? DEFAULT_NOTIFICATION_TIME_ZONE;
  const refused = new Error(
    `${KEY} must be an IANA time zone name such as ${DEFAULT_NOTIFICATION_TIME_ZONE}, not "${value}"`,
  );
  // Intl also takes fixed offsets (+09:00); a named zone follows its
  // daylight saving time, an offset would not.
  if (/^[+-]/.test(value)) throw refused;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions()
      .timeZone;
  } catch {
    throw refused;
  }
}

/**
 * Builds the formatter of the times inside notification text: the portal's
 * date and time style for `language` (as its frontend shows them), in
 * `timeZone`, followed by the zone's offset at that moment, e.g.
 * `2026. 12. 1. 오후 2:41 (GMT+9)` or `Dec 1, 2026, 2:41 PM (GMT+9)`.
 */
export function notificationTimeFormat(
  language: string,
  timeZone: string,
): (at: number) => string {
  const dateTime = new Intl.DateTimeFormat(language, {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  // dateStyle cannot be combined with timeZoneName: the zone comes apart.
  const zone = new Intl.DateTimeFormat(language, {
    timeZone,
    timeZoneName: 'shortOffset',
  });
  return at => {
    const date = new Date(at);
    if (Number.isNaN(date.getTime())) {
      throw new TypeError(`Not a time for a notification: ${at}`);
    }
    const offset = zone
      .formatToParts(date)
      .find(p => p.type === 'timeZoneName')?.value;
    // ICU writes a narrow no-break space before AM/PM; plain text (mail,
    // chat) gets an ordinary one.
    const text = dateTime.format(date).replace(/[\u202f\u00a0]/g, ' ');
    return offset ? `${text} (${offset})` : text;
  };
}
