import { InputError } from '@backstage/errors';
import { ShowbackPeriod } from '@internal/plugin-gpu-pool-common';

const DAY = 86_400_000;

/** One showback period, [start, end) in epoch ms, UTC. */
export interface Period {
  start: number;
  end: number;
  /** ISO date of the start, e.g. 2026-11-30. */
  label: string;
}

/** Start of the period containing `at`, UTC; weeks start on Monday. */
export function periodStart(period: ShowbackPeriod, at: number): number {
  const d = new Date(at);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'day') return day;
  if (period === 'week') return day - ((d.getUTCDay() + 6) % 7) * DAY;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function next(period: ShowbackPeriod, start: number): number {
  if (period === 'day') return start + DAY;
  if (period === 'week') return start + 7 * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** How many periods the report shows when `from` is not given. */
const DEFAULT_COUNT: Record<ShowbackPeriod, number> = {
  day: 14,
  week: 8,
  month: 6,
};

/** The most periods one report may span. */
export const MAX_PERIODS = 400;

/**
 * The periods from the one containing `from` to the one containing `to`
 * (dates, inclusive; default: the last 14 days, 8 weeks or 6 months up to
 * `now`). Errors name the field.
 */
export function periodsBetween(
  period: ShowbackPeriod,
  now: number,
  from?: string,
  to?: string,
): Period[] {
  const parse = (value: string, field: string) => {
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(ms))
      throw new InputError(`${field}: "${value}" is not a date`);
    return ms;
  };
  const last = periodStart(period, to ? parse(to, 'to') : now);
  let first: number;
  if (from) first = periodStart(period, parse(from, 'from'));
  else {
    first = last;
    for (let i = 1; i < DEFAULT_COUNT[period]; i++) {
      first = periodStart(period, first - 1);
    }
  }
  if (first > last) throw new InputError('from: is after to');
  const out: Period[] = [];
  for (let start = first; start <= last; start = next(period, start)) {
    if (out.length === MAX_PERIODS) {
      throw new InputError(
        `from: the range spans more than ${MAX_PERIODS} ${period}s; narrow it`,
      );
    }
    out.push({
      start,
      end: next(period, start),
      label: new Date(start).toISOString().slice(0, 10),
    });
  }
  return out;
}
