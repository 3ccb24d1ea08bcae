import { InputError } from '@backstage/errors';
import {
  formatCpu,
  formatMemory,
  parseQuantityNumber,
} from '@internal/kubernetes-quantity';
import { ComputeAmount, GpuPoolConfig } from '../../config/readGpuPoolConfig';

/** CPU cores and memory bytes of a request. */
export function computeOf(row: { cpu: string; memory: string }): ComputeAmount {
  return {
    cpu: parseQuantityNumber(row.cpu) ?? 0,
    memory: parseQuantityNumber(row.memory) ?? 0,
  };
}

/** What a team may hold before the platform team approves. */
export function computeAllowance(
  config: GpuPoolConfig,
  team: string,
): ComputeAmount {
  return config.computeAllowances.get(team) ?? config.computeDefaultAllowance;
}

/** Refuses a request above the most one request may ask for (400 naming the field). */
export function assertComputePerRequest(
  req: { cpu: string; memory: string },
  config: GpuPoolConfig,
) {
  const asked = computeOf(req);
  const max = config.computeMaxPerRequest;
  if (asked.cpu > max.cpu) {
    throw new InputError(
      `cpu: ${req.cpu} is more than the most one request may have (${formatCpu(
        max.cpu,
      )})`,
    );
  }
  if (asked.memory > max.memory) {
    throw new InputError(
      `memory: ${req.memory} is more than the most one request may have (${formatMemory(
        max.memory,
      )})`,
    );
  }
}

/** Sums the CPU and memory of requests. */
export function sumCompute(rows: Array<{ cpu: string; memory: string }>) {
  const total: ComputeAmount = { cpu: 0, memory: 0 };
  for (const row of rows) {
    const c = computeOf(row);
    total.cpu += c.cpu;
    total.memory += c.memory;
  }
  return total;
}

/**
 * Which resource, if any, a team would hold above its allowance with
 * `extra` on top of `usage`, described for the history and errors.
 */
export function computeAbove(
  usage: ComputeAmount,
  extra: ComputeAmount,
  allowance: ComputeAmount,
): string | undefined {
  if (usage.cpu + extra.cpu > allowance.cpu + 1e-9) {
    return `cpu (${formatCpu(allowance.cpu)})`;
  }
  if (usage.memory + extra.memory > allowance.memory) {
    return `memory (${formatMemory(allowance.memory)})`;
  }
  return undefined;
}
