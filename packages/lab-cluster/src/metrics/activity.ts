// What a pod tells the lab's DCGM exporter emulation to report for the GPUs it
// holds: the annotation lab.cloud-smart.io/gpu-activity is either a constant
// engine-active ratio ("0.85") or a trace replayed from a CSV file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export const GPU_ACTIVITY_ANNOTATION = 'lab.cloud-smart.io/gpu-activity';
/** Engine-active ratio of a GPU held by a running pod without the annotation. */
export const DEFAULT_GPU_ACTIVITY = 0.5;

// The package always runs from source (tsx, jest), never from a bundle, so __dirname is reliable.
// eslint-disable-next-line no-restricted-syntax
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** Where relative trace paths are resolved: $LAB_TRACE_DIR, else the shared traces next to the repository. */
export function traceDir(): string {
  return (
    process.env.LAB_TRACE_DIR ??
    path.resolve(REPO_ROOT, '..', 'shared', 'traces')
  );
}

/** Activity of one pod as a function of seconds since the pod started. */
export type ActivitySource =
  | { kind: 'constant'; value: number }
  | { kind: 'trace'; file: string; series: string };

/**
 * Parses the annotation: `0.85` (a ratio 0..1) or `trace:<file>#<pod id>`,
 * where `<file>` is a CSV (optionally gzipped) with the columns `value`
 * (percent 0..100), `timestamp_anon` (seconds) and `container_ip` (the pod
 * id), the format of ../shared/traces/gpu-duty-cycle-genai-2026.csv.gz.
 * Throws an Error naming the annotation when the value is neither.
 */
export function parseActivity(value: string | undefined): ActivitySource {
  if (value === undefined || value.trim() === '') {
    return { kind: 'constant', value: DEFAULT_GPU_ACTIVITY };
  }
  const text = value.trim();
  if (text.startsWith('trace:')) {
    const ref = text.slice('trace:'.length);
    const hash = ref.lastIndexOf('#');
    if (hash <= 0 || hash === ref.length - 1) {
      throw new Error(
        `${GPU_ACTIVITY_ANNOTATION} must be trace:<csv file>#<pod id>, got "${value}"`,
      );
    }
    const file = ref.slice(0, hash);
    return {
      kind: 'trace',
      file: path.isAbsolute(file) ? file : path.resolve(traceDir(), file),
      series: ref.slice(hash + 1),
    };
  }
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new Error(
      `${GPU_ACTIVITY_ANNOTATION} must be a ratio from 0 to 1 or trace:<csv file>#<pod id>, got "${value}"`,
    );
  }
  return { kind: 'constant', value: n };
}

interface Trace {
  /** Seconds from the series' first sample. */
  offsets: number[];
  /** Ratios 0..1. */
  values: number[];
  span: number;
}

const traceFiles = new Map<string, Map<string, Trace>>();

function loadTraceFile(file: string): Map<string, Trace> {
  const cached = traceFiles.get(file);
  if (cached) return cached;
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split('\n');
  const header = lines[0].trim().split(',');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new Error(`trace ${file} has no column "${name}"`);
    }
    return i;
  };
  const [vi, ti, pi] = [
    col('value'),
    col('timestamp_anon'),
    col('container_ip'),
  ];
  const rows = new Map<string, Array<[number, number]>>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const cells = line.split(',');
    const list = rows.get(cells[pi]) ?? [];
    list.push([Number(cells[ti]), Number(cells[vi])]);
    rows.set(cells[pi], list);
  }
  const series = new Map<string, Trace>();
  for (const [id, samples] of rows) {
    samples.sort((a, b) => a[0] - b[0]);
    const t0 = samples[0][0];
    const offsets = samples.map(s => s[0] - t0);
    // The trace's own sampling interval closes the loop, so the last sample
    // lasts as long as the others before the replay starts over.
    const step =
      samples.length > 1
        ? offsets[offsets.length - 1] / (samples.length - 1)
        : 60;
    series.set(id, {
      offsets,
      values: samples.map(s => Math.min(1, Math.max(0, s[1] / 100))),
      span: offsets[offsets.length - 1] + step,
    });
  }
  traceFiles.set(file, series);
  return series;
}

/** The activity (0..1) at `elapsedSeconds` since the pod started; traces loop. */
export function activityAt(
  source: ActivitySource,
  elapsedSeconds: number,
): number {
  if (source.kind === 'constant') return source.value;
  const trace = loadTraceFile(source.file).get(source.series);
  if (!trace) {
    throw new Error(`trace ${source.file} has no pod "${source.series}"`);
  }
  const t =
    ((Math.max(0, elapsedSeconds) % trace.span) + trace.span) % trace.span;
  // Last sample at or before t (binary search; offsets ascend).
  let lo = 0;
  let hi = trace.offsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (trace.offsets[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return trace.values[lo];
}
