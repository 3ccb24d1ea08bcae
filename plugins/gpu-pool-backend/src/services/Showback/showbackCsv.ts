import {
  showbackCsvColumns,
  ShowbackReport,
} from '@internal/plugin-gpu-pool-common';

function cell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text =
    typeof value === 'number' ? String(Math.round(value * 1000) / 1000) : value;
  // Quote what could break the row, and defuse spreadsheet formulas.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The report as CSV (RFC 4180, header first). Busy hours that are missing
 * are an empty cell with the reason in `busy_missing`, never 0.
 */
export function showbackCsv(report: ShowbackReport): string {
  const lines = [showbackCsvColumns.join(',')];
  for (const r of report.rows) {
    lines.push(
      [
        r.period,
        r.periodStart,
        r.team,
        r.pool,
        r.cluster,
        r.grantedGpuHours,
        r.busyGpuHours,
        r.busyMissing,
        r.reclaimedGpuHours,
        r.grants,
        r.meanQueueWaitSeconds,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
