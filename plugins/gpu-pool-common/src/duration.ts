const DURATION_PATTERN =
  /^P(?!$)(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/**
 * Parses the subset of ISO 8601 durations a lease can have (weeks, days,
 * hours, minutes, seconds; no years or months, whose length varies) into
 * milliseconds. Returns undefined for anything else.
 *
 * @public
 */
export function parseDuration(value: string): number | undefined {
  const match = DURATION_PATTERN.exec(value);
  if (!match) {
    return undefined;
  }
  const [w, d, h, m, s] = match.slice(1).map(part => Number(part ?? 0));
  const seconds = (((w * 7 + d) * 24 + h) * 60 + m) * 60 + s;
  return seconds > 0 ? seconds * 1000 : undefined;
}

/**
 * Formats milliseconds as an ISO 8601 duration such as `P1DT2H`.
 *
 * @public
 */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(rest / 86400);
  rest -= d * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  if (!d && !time) {
    return 'PT0S';
  }
  return `P${d ? `${d}D` : ''}${time ? `T${time}` : ''}`;
}
