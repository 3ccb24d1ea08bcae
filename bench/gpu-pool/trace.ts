// The demand trace: one row per GPU request (a lease), read from and written
// to CSV with the columns
//   team,submit_s,gpus,duration_s,busy_fraction[,activity]
// `busy_fraction` is optional (default 1): the share of the lease its GPUs
// are active. `activity` is optional: `<pod id>@<minute>` points into the
// real per-pod duty-cycle trace (dutyCycle.ts), whose minutes from that
// offset on are what the lease's GPUs do, minute by minute.
import { readFileSync, writeFileSync } from 'node:fs';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** One GPU request of the trace. */
export interface TraceLease {
  team: string;
  /** Seconds since the trace start. */
  submitS: number;
  gpus: number;
  durationS: number;
  /** 0..1, the share of the lease the GPUs are active. */
  busyFraction: number;
  /** A real activity series: pod id in the duty-cycle trace and first minute. */
  activity?: { pod: string; offsetMin: number };
}

const HEADER = ['team', 'submit_s', 'gpus', 'duration_s', 'busy_fraction'];
const TEAM = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** A trace file that cannot be read: names the line and the field. */
export class TraceError extends Error {
  override name = 'TraceError';
}

function fail(where: string, field: string, message: string): never {
  throw new TraceError(`${where}: ${field}: ${message}`);
}

function number(
  where: string,
  field: string,
  raw: string | undefined,
  check: (n: number) => boolean,
  expected: string,
) {
  if (raw === undefined || raw.trim() === '') {
    fail(where, field, `missing, expected ${expected}`);
  }
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) {
    fail(where, field, `${JSON.stringify(raw)} is not ${expected}`);
  }
  return n;
}

/** Parses a trace; throws TraceError naming the line and field of bad input. */
export function parseTrace(text: string, source = 'trace'): TraceLease[] {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map(h => h.trim());
  for (const [i, name] of HEADER.slice(0, 4).entries()) {
    if (header[i] !== name) {
      fail(
        `${source}:1`,
        'header',
        `expected ${HEADER.join(',')}[,activity], got ${JSON.stringify(
          lines[0] ?? '',
        )}`,
      );
    }
  }
  const hasBusy = header[4] === 'busy_fraction';
  const activityCol = header.indexOf('activity');
  if (header.length > (hasBusy ? 5 : 4) + (activityCol >= 0 ? 1 : 0)) {
    fail(`${source}:1`, 'header', `unknown columns in ${lines[0]}`);
  }
  const out: TraceLease[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const where = `${source}:${i + 1}`;
    const cells = lines[i].split(',').map(c => c.trim());
    if (cells.length !== header.length) {
      fail(
        where,
        'row',
        `${cells.length} cells for ${header.length} columns (${header.join(
          ',',
        )})`,
      );
    }
    const team = cells[0];
    if (!TEAM.test(team)) {
      fail(where, 'team', `${JSON.stringify(team)} is not a lower-case name`);
    }
    const lease: TraceLease = {
      team,
      submitS: number(where, 'submit_s', cells[1], n => n >= 0, 'seconds ≥ 0'),
      gpus: number(
        where,
        'gpus',
        cells[2],
        n => Number.isInteger(n) && n >= 1 && n <= 64,
        'an integer 1..64',
      ),
      durationS: number(
        where,
        'duration_s',
        cells[3],
        n => n >= 60 && n <= 30 * 86_400,
        'seconds between 60 and 30 days',
      ),
      busyFraction:
        hasBusy && cells[4] !== ''
          ? number(
              where,
              'busy_fraction',
              cells[4],
              n => n >= 0 && n <= 1,
              'a fraction 0..1',
            )
          : 1,
    };
    if (activityCol >= 0 && cells[activityCol] !== '') {
      const m = /^([0-9a-f]{6,64})@(\d+)$/.exec(cells[activityCol]);
      if (!m) {
        fail(
          where,
          'activity',
          `${JSON.stringify(cells[activityCol])} is not <pod id>@<minute>`,
        );
      }
      lease.activity = { pod: m[1], offsetMin: Number(m[2]) };
    }
    out.push(lease);
  }
  if (out.length === 0) fail(source, 'rows', 'the trace has no requests');
  out.sort((a, b) => a.submitS - b.submitS || a.team.localeCompare(b.team));
  return out;
}

/** The CSV text of a trace (the activity column only when a lease has one). */
export function formatTrace(leases: TraceLease[]): string {
  const withActivity = leases.some(l => l.activity);
  const header = [...HEADER, ...(withActivity ? ['activity'] : [])];
  const rows = leases.map(l =>
    [
      l.team,
      l.submitS,
      l.gpus,
      l.durationS,
      Number(l.busyFraction.toFixed(4)),
      ...(withActivity
        ? [l.activity ? `${l.activity.pod}@${l.activity.offsetMin}` : '']
        : []),
    ].join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}

export function readTrace(file: string): TraceLease[] {
  return parseTrace(readFileSync(file, 'utf8'), file);
}

export function writeTrace(file: string, leases: TraceLease[]) {
  writeFileSync(file, formatTrace(leases));
}

/** mulberry32: small, seeded, reproducible. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = Date.UTC(2026, 0, 5); // a Monday: working hours are UTC weekdays

/**
 * The synthetic demand generator (unchanged from the first trace replay):
 * 10 teams alternate quiet spells (exponential, mean 5 days) and bursts
 * (1–3 days) in which requests arrive as a Poisson process during working
 * hours (09–19 on weekdays). Team activity differs (a few heavy users, many
 * light ones). Requests take 1, 2 or 4 GPUs (55/30/15 %) for a log-normal
 * time (median 3 h, σ 1.0, clamped to 15 min–48 h). Every lease is busy for
 * its whole length (busy_fraction 1).
 */
export function generateSynthetic(seed: number, days: number): TraceLease[] {
  const rand = prng(seed);
  const horizon = days * DAY;
  const exp = (mean: number) => -Math.log(1 - rand()) * mean;
  const normal = () =>
    Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const activity = [2.2, 1.8, 1.5, 1.2, 1, 0.8, 0.6, 0.5, 0.4, 0.3];
  const out: TraceLease[] = [];
  for (const [team, weight] of activity.entries()) {
    let t = exp(2.5 * DAY);
    while (t < horizon) {
      const burstEnd = Math.min(horizon, t + (1 + 2 * rand()) * DAY);
      const perHour = 0.45 * weight;
      while (t < burstEnd) {
        t += exp(HOUR / perHour);
        const at = new Date(T0 + t);
        const hour = at.getUTCHours();
        const weekday = at.getUTCDay();
        if (
          t >= burstEnd ||
          hour < 9 ||
          hour >= 19 ||
          weekday === 0 ||
          weekday === 6
        ) {
          continue;
        }
        const r = rand();
        let gpus = 4;
        if (r < 0.55) gpus = 1;
        else if (r < 0.85) gpus = 2;
        const hours = Math.min(
          48,
          Math.max(0.25, 3 * Math.exp(1.0 * normal())),
        );
        out.push({
          team: `team-${team}`,
          submitS: Math.round(t / MINUTE) * 60,
          gpus,
          durationS: Math.round(hours * 60) * 60,
          busyFraction: 1,
        });
      }
      t = burstEnd + exp(5 * DAY);
    }
  }
  out.sort((a, b) => a.submitS - b.submitS || a.team.localeCompare(b.team));
  return out;
}
