// Workload conditions and what they mean for queueing, as Kueue reads them.
import { conditionTrue } from '../controllers/objectWriter';
import { podSetRequests } from './quotaModel';
import { formatQuantity } from '../util/quantity';

export function isFinished(wl: any): boolean {
  return conditionTrue(wl, 'Finished');
}

/** Holds quota: QuotaReserved (or, for fixture objects written without it, Admitted) and not finished. */
export function isReserving(wl: any): boolean {
  return (
    !isFinished(wl) &&
    (conditionTrue(wl, 'QuotaReserved') || conditionTrue(wl, 'Admitted')) &&
    Boolean(wl.status?.admission)
  );
}

export function isAdmitted(wl: any): boolean {
  return !isFinished(wl) && conditionTrue(wl, 'Admitted');
}

export function isActive(wl: any): boolean {
  return wl.spec?.active !== false;
}

/** Waiting in a queue: active, not holding quota, not finished. */
export function isPending(wl: any): boolean {
  return isActive(wl) && !isReserving(wl) && !isFinished(wl);
}

export function priorityOf(wl: any): number {
  return Number(wl.spec?.priority ?? 0);
}

/** Kueue's queue order: higher priority first, then older first. */
export function queueOrder(a: any, b: any): number {
  return (
    priorityOf(b) - priorityOf(a) ||
    String(a.metadata.creationTimestamp).localeCompare(
      String(b.metadata.creationTimestamp),
    ) ||
    a.metadata.name.localeCompare(b.metadata.name)
  );
}

/** flavor → resource → amount a reserving workload holds, from status.admission. */
export function admittedUsage(
  wl: any,
): Array<{ flavor: string; resource: string; value: number }> {
  const out: Array<{ flavor: string; resource: string; value: number }> = [];
  const podSets: any[] = wl.spec?.podSets ?? [];
  for (const a of wl.status?.admission?.podSetAssignments ?? []) {
    const ps = podSets.find(p => (p.name ?? 'main') === a.name);
    const requests = podSetRequests(
      a.count !== undefined && ps ? { ...ps, count: a.count } : ps,
    );
    for (const [resource, flavor] of Object.entries(a.flavors ?? {})) {
      const value = requests[resource];
      if (value) out.push({ flavor: flavor as string, resource, value });
    }
  }
  return out;
}

export function quantity(value: number, resource: string): string {
  return formatQuantity(value, resource);
}
