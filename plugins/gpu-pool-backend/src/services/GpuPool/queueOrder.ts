import { RequestRow } from '../../database/GpuPoolStore';

/**
 * The order in which queued requests are admitted: higher priority first;
 * within a priority, teams take turns (every team's first waiting request
 * before any team's second), and first come first served among those.
 */
export function queueOrder(rows: RequestRow[]): RequestRow[] {
  const byAge = [...rows].sort(
    (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
  );
  const turn = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const row of byAge) {
    const key = `${row.priority}\u0000${row.team}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    turn.set(row.id, n);
  }
  return byAge.sort(
    (a, b) =>
      b.priority - a.priority ||
      turn.get(a.id)! - turn.get(b.id)! ||
      a.createdAt - b.createdAt ||
      a.id.localeCompare(b.id),
  );
}

/** 1-based positions of queued requests among those waiting for the same pools. */
export function queuePositions(rows: RequestRow[]): Map<string, number> {
  const ordered = queueOrder(rows);
  const positions = new Map<string, number>();
  for (const [i, row] of ordered.entries()) {
    const pools = new Set(row.gpus.map(g => g.pool));
    const ahead = ordered
      .slice(0, i)
      .filter(other => other.gpus.some(g => pools.has(g.pool))).length;
    positions.set(row.id, ahead + 1);
  }
  return positions;
}
