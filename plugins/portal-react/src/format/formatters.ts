/** A moment: a Date, epoch milliseconds or an ISO 8601 timestamp. */
export type PortalTime = Date | number | string;

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

const durationUnits = [
  { unit: 'day', ms: day },
  { unit: 'hour', ms: hour },
  { unit: 'minute', ms: minute },
  { unit: 'second', ms: second },
] as const;

/**
 * Formats of the portal in one language; built by {@link createPortalFormat}
 * and served to components by {@link usePortalFormat}.
 *
 * @public
 */
export interface PortalFormat {
  /** The language the formats follow, e.g. `ko`. */
  language: string;
  /** Date and time, e.g. `2026. 11. 30. 오후 4:05` / `Nov 30, 2026, 4:05 PM`. */
  dateTime(value: PortalTime): string;
  /** Date only, e.g. `2026. 11. 30.` / `Nov 30, 2026`. */
  date(value: PortalTime): string;
  /** Relative to now, e.g. `3시간 전`, `2일 후` / `3 hours ago`, `in 2 days`. */
  relativeTime(value: PortalTime, now?: PortalTime): string;
  /**
   * A length of time in its largest units, e.g. `2일 3시간` / `2 days, 3 hours`.
   * `units` is how many units at most (default 2).
   */
  duration(milliseconds: number, options?: { units?: number }): string;
  /** Time left until a moment, e.g. `2일 3시간 남음` / `2 days, 3 hours left`. */
  timeLeft(until: PortalTime, now?: PortalTime): string;
}

/** The text around durations, in the portal's language. */
export interface PortalFormatMessages {
  /** `{{duration}} left` */
  timeLeft(duration: string): string;
  /** `expired {{time}}` with the relative time of the end */
  expired(relativeTime: string): string;
}

function toDate(value: PortalTime, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new TypeError(`${field} is not a valid time: ${String(value)}`);
  }
  return date;
}

/**
 * Builds the portal's formats for one language with the browser's Intl, so
 * that dates follow the portal's language setting rather than the browser's
 * locale.
 *
 * @public
 */
export function createPortalFormat(
  language: string,
  messages: PortalFormatMessages,
): PortalFormat {
  const dateTimeFormat = new Intl.DateTimeFormat(language, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium' });
  const relativeFormat = new Intl.RelativeTimeFormat(language, {
    numeric: 'auto',
  });
  const listFormat = new Intl.ListFormat(language, {
    type: 'unit',
    style: language.startsWith('ko') ? 'narrow' : 'long',
  });
  const unitFormats = new Map(
    durationUnits.map(({ unit }) => [
      unit,
      new Intl.NumberFormat(language, {
        style: 'unit',
        unit,
        unitDisplay: 'long',
      }),
    ]),
  );

  function duration(milliseconds: number, options?: { units?: number }) {
    if (!Number.isFinite(milliseconds) || milliseconds < 0) {
      throw new TypeError(
        `duration must be a non-negative number of milliseconds, got ${milliseconds}`,
      );
    }
    const maxUnits = Math.max(1, options?.units ?? 2);
    const parts: string[] = [];
    let rest = milliseconds;
    for (const { unit, ms } of durationUnits) {
      if (parts.length >= maxUnits) {
        break;
      }
      const count = Math.floor(rest / ms);
      rest -= count * ms;
      // Once a larger unit is shown, a smaller one follows even when zero
      // would be hidden: "2일 3시간" but "2일", never "2일 0시간".
      if (count > 0) {
        parts.push(unitFormats.get(unit)!.format(count));
      } else if (parts.length > 0) {
        break;
      }
    }
    if (parts.length === 0) {
      // Under a second (or zero): say "0 seconds" rather than nothing.
      parts.push(unitFormats.get('second')!.format(0));
    }
    return listFormat.format(parts);
  }

  function relativeTime(value: PortalTime, now: PortalTime = Date.now()) {
    const diff =
      toDate(value, 'value').getTime() - toDate(now, 'now').getTime();
    const abs = Math.abs(diff);
    if (abs < minute) {
      return relativeFormat.format(Math.round(diff / second), 'second');
    }
    if (abs < hour) {
      return relativeFormat.format(Math.round(diff / minute), 'minute');
    }
    if (abs < day) {
      return relativeFormat.format(Math.round(diff / hour), 'hour');
    }
    if (abs < 30 * day) {
      return relativeFormat.format(Math.round(diff / day), 'day');
    }
    if (abs < 365 * day) {
      return relativeFormat.format(Math.round(diff / (30 * day)), 'month');
    }
    return relativeFormat.format(Math.round(diff / (365 * day)), 'year');
  }

  return {
    language,
    dateTime: value => dateTimeFormat.format(toDate(value, 'value')),
    date: value => dateFormat.format(toDate(value, 'value')),
    relativeTime,
    duration,
    timeLeft(until, now = Date.now()) {
      const left =
        toDate(until, 'until').getTime() - toDate(now, 'now').getTime();
      if (left <= 0) {
        return messages.expired(relativeTime(until, now));
      }
      return messages.timeLeft(duration(left));
    },
  };
}
