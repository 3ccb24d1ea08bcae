// The physical limit of a trace: what its leases and jobs would hold, and
// what their GPUs would really do, with unlimited GPUs (nobody waits).
import { jobSpells } from './activity';
import { quantile } from './metrics';
import { Lease } from './serviceReplay';
import { HOUR, MINUTE } from './trace';

export interface DemandProfile {
  horizonH: number;
  leaseGpuH: number;
  busyGpuH: number;
  /** busy GPU-hours ÷ horizon: no pool of fewer GPUs can do the work in time. */
  averageBusyGpus: number;
  averageLeaseGpus: number;
  /** Per-minute percentiles over the trace's horizon. */
  leaseHeld: Percentiles;
  jobHeld: Percentiles;
  busy: Percentiles;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentiles(values: Float64Array): Percentiles {
  const list = Array.from(values);
  return {
    p50: quantile(list, 0.5),
    p95: quantile(list, 0.95),
    p99: quantile(list, 0.99),
    max: list.reduce((a, b) => Math.max(a, b), 0),
  };
}

export function demandProfile(
  leases: Lease[],
  horizonMs: number,
  thresholdPercent: number,
  mergeGapMin: number,
): DemandProfile {
  const minutes = Math.ceil(horizonMs / MINUTE);
  const leaseHeld = new Float64Array(minutes);
  const jobHeld = new Float64Array(minutes);
  const busy = new Float64Array(minutes);
  let leaseGpuMin = 0;
  let busyGpuMin = 0;
  for (const lease of leases) {
    const start = Math.round(lease.submitMs / MINUTE);
    leaseGpuMin += lease.gpus * lease.minutes;
    for (let m = 0; m < lease.minutes; m++) {
      const d = lease.duty(m);
      busyGpuMin += lease.gpus * d;
      const at = start + m;
      if (at >= minutes) continue;
      leaseHeld[at] += lease.gpus;
      busy[at] += lease.gpus * d;
    }
    for (const spell of jobSpells(
      lease.duty,
      lease.minutes,
      thresholdPercent,
      mergeGapMin,
    )) {
      for (let m = spell.fromMin; m < spell.fromMin + spell.runMin; m++) {
        if (start + m < minutes) jobHeld[start + m] += lease.gpus;
      }
    }
  }
  const horizonH = horizonMs / HOUR;
  return {
    horizonH,
    leaseGpuH: leaseGpuMin / 60,
    busyGpuH: busyGpuMin / 60,
    averageBusyGpus: busyGpuMin / 60 / horizonH,
    averageLeaseGpus: leaseGpuMin / 60 / horizonH,
    leaseHeld: percentiles(leaseHeld),
    jobHeld: percentiles(jobHeld),
    busy: percentiles(busy),
  };
}
