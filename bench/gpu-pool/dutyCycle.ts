// The real activity: per-pod GPU duty cycle of a production generative-AI
// serving cluster, about one sample a minute for 22.8 hours
// (../shared/traces/gpu-duty-cycle-genai-2026.csv.gz, Alibaba GenTD26; see
// the traces' README for the source and citation).
//
// Each pod becomes one minute-by-minute series (duty 0..1, minute 0 = the
// pod's first sample; a minute without a sample repeats the one before).
// Only pods covered for at least 20 hours without a gap longer than 20
// minutes are used, so an idle spell is never an artefact of missing data.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { TraceLease, prng } from './trace';

export const DEFAULT_DUTY_CYCLE = resolve(
  __dirname,
  '../../../shared/traces/gpu-duty-cycle-genai-2026.csv.gz',
);

const MIN_COVERAGE_MIN = 20 * 60;
const MAX_GAP_S = 20 * 60;

export interface DutyCycleTrace {
  file: string;
  rows: number;
  pods: number;
  /** Pods used: id → duty per minute (0..1). */
  series: Map<string, Float32Array>;
}

export function loadDutyCycle(file = DEFAULT_DUTY_CYCLE): DutyCycleTrace {
  if (!existsSync(file)) {
    throw new Error(
      `duty-cycle trace: ${file} does not exist (pass --duty-cycle <file>)`,
    );
  }
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const lines = text.split('\n');
  if (lines[0].trim() !== 'value,timestamp_anon,container_ip') {
    throw new Error(
      `duty-cycle trace: ${file}:1: header: expected value,timestamp_anon,container_ip`,
    );
  }
  const samples = new Map<string, Array<[number, number]>>();
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const [value, ts, pod] = lines[i].split(',');
    const v = Number(value);
    const t = Number(ts);
    if (!Number.isFinite(v) || v < 0 || v > 100 || !Number.isFinite(t)) {
      throw new Error(
        `duty-cycle trace: ${file}:${
          i + 1
        }: value/timestamp_anon: not numbers in range`,
      );
    }
    rows++;
    let list = samples.get(pod);
    if (!list) samples.set(pod, (list = []));
    list.push([t, v / 100]);
  }
  const series = new Map<string, Float32Array>();
  for (const [pod, list] of samples) {
    list.sort((a, b) => a[0] - b[0]);
    const first = list[0][0];
    const span = list[list.length - 1][0] - first;
    if (span < MIN_COVERAGE_MIN * 60) continue;
    if (list.some((s, i) => i > 0 && s[0] - list[i - 1][0] > MAX_GAP_S))
      continue;
    const minutes = Math.floor(span / 60) + 1;
    const out = new Float32Array(minutes);
    let j = 0;
    for (let m = 0; m < minutes; m++) {
      while (j + 1 < list.length && list[j + 1][0] <= first + m * 60 + 30) j++;
      out[m] = list[j][1];
    }
    series.set(pod, out);
  }
  return { file, rows, pods: samples.size, series };
}

/** What the used series look like: the figures the README quotes. */
export function describeDutyCycle(trace: DutyCycleTrace, thresholdPct = 5) {
  let minutes = 0;
  let below = 0;
  let inSpell30 = 0;
  let inSpell60 = 0;
  let busy = 0;
  const th = thresholdPct / 100;
  for (const s of trace.series.values()) {
    minutes += s.length;
    let run = 0;
    const close = () => {
      if (run > 30) inSpell30 += run;
      if (run > 60) inSpell60 += run;
      run = 0;
    };
    for (const v of s) {
      busy += v;
      if (v < th) {
        below++;
        run++;
      } else close();
    }
    close();
  }
  return {
    podsUsed: trace.series.size,
    podsInFile: trace.pods,
    rows: trace.rows,
    podMinutes: minutes,
    belowThreshold: below / minutes,
    inIdleSpellsOver30Min: inSpell30 / minutes,
    inIdleSpellsOver60Min: inSpell60 / minutes,
    meanDuty: busy / minutes,
  };
}

/**
 * The real-activity trace of a seed: the synthetic demand (who asks, when,
 * how many GPUs, for how long: the duty-cycle trace has no requests) with
 * each lease's activity taken from a real pod. A lease gets a pod drawn at
 * random and a random first minute; its GPUs then do, minute by minute,
 * what that pod's GPU did from that minute on (wrapping around at the end of
 * the pod's 20–22.8 h series for longer leases). busy_fraction is the mean
 * duty cycle over the lease.
 */
export function withRealActivity(
  demand: TraceLease[],
  trace: DutyCycleTrace,
  seed: number,
): TraceLease[] {
  const rand = prng(seed ^ 0x5bd1e995);
  const pods = [...trace.series.keys()].sort();
  return demand.map(lease => {
    const pod = pods[Math.floor(rand() * pods.length)];
    const s = trace.series.get(pod)!;
    const offsetMin = Math.floor(rand() * s.length);
    const minutes = Math.max(1, Math.round(lease.durationS / 60));
    let sum = 0;
    for (let m = 0; m < minutes; m++) sum += s[(offsetMin + m) % s.length];
    return {
      ...lease,
      busyFraction: sum / minutes,
      activity: { pod, offsetMin },
    };
  });
}
