// ClusterQueue quota arithmetic of the Kueue emulation: nominal quota per
// flavor and resource, cohort borrowing up to borrowingLimit from what other
// members lend (lendingLimit, else their nominal quota), and the flavor
// assignment of a pod set, flavors tried in resourceGroups order.
import {
  isValidQuantity,
  parseQuantity,
  formatQuantity,
} from '../util/quantity';
import {
  ResourceList,
  matchesNodeSelection,
  podRequests,
  untoleratedTaint,
} from '../controllers/podResources';

export interface Quota {
  nominal: number;
  borrowingLimit?: number;
  lendingLimit?: number;
}

export interface QueueModel {
  name: string;
  cohort?: string;
  groups: Array<{
    covered: string[];
    flavors: Array<{ name: string; quotas: Map<string, Quota> }>;
  }>;
}

/** usage[cq][flavor][resource] */
export type Usage = Map<string, Map<string, Map<string, number>>>;

function q(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  return isValidQuantity(v) ? parseQuantity(v as string) : undefined;
}

export function queueModel(cq: any): QueueModel {
  return {
    name: cq.metadata.name,
    cohort: cq.spec?.cohortName || undefined,
    groups: (cq.spec?.resourceGroups ?? []).map((g: any) => ({
      covered: g.coveredResources ?? [],
      flavors: (g.flavors ?? []).map((f: any) => ({
        name: f.name,
        quotas: new Map(
          (f.resources ?? []).map((r: any) => [
            r.name,
            {
              nominal: q(r.nominalQuota) ?? 0,
              borrowingLimit: q(r.borrowingLimit),
              lendingLimit: q(r.lendingLimit),
            },
          ]),
        ),
      })),
    })),
  };
}

export function usageOf(
  usage: Usage,
  cq: string,
  flavor: string,
  resource: string,
): number {
  return usage.get(cq)?.get(flavor)?.get(resource) ?? 0;
}

export function addUsage(
  usage: Usage,
  cq: string,
  flavor: string,
  resource: string,
  value: number,
): void {
  let byFlavor = usage.get(cq);
  if (!byFlavor) usage.set(cq, (byFlavor = new Map()));
  let byRes = byFlavor.get(flavor);
  if (!byRes) byFlavor.set(flavor, (byRes = new Map()));
  byRes.set(resource, (byRes.get(resource) ?? 0) + value);
}

function quotaOf(
  m: QueueModel,
  flavor: string,
  resource: string,
): Quota | undefined {
  for (const g of m.groups)
    for (const f of g.flavors)
      if (f.name === flavor && f.quotas.has(resource))
        return f.quotas.get(resource);
  return undefined;
}

/**
 * Whether `add` more of `resource` in `flavor` fits `cq`: within nominal
 * quota, or within the cohort's lendable remainder and the queue's
 * borrowingLimit. Returns the shortfall when it does not.
 */
export function fits(
  models: Map<string, QueueModel>,
  usage: Usage,
  cq: string,
  flavor: string,
  resource: string,
  add: number,
): { ok: true } | { ok: false; more: number; overMax?: number } {
  const m = models.get(cq)!;
  const own = quotaOf(m, flavor, resource) ?? { nominal: 0 };
  const want = usageOf(usage, cq, flavor, resource) + add;
  if (!m.cohort) {
    return want <= own.nominal + 1e-9
      ? { ok: true }
      : {
          ok: false,
          more: want - own.nominal,
          overMax: add > own.nominal ? own.nominal : undefined,
        };
  }
  if (
    own.borrowingLimit !== undefined &&
    want > own.nominal + own.borrowingLimit + 1e-9
  )
    return {
      ok: false,
      more: want - own.nominal - own.borrowingLimit,
      overMax:
        add > own.nominal + own.borrowingLimit
          ? own.nominal + own.borrowingLimit
          : undefined,
    };
  let lendable = 0;
  let overflow = 0;
  for (const member of models.values()) {
    if (member.cohort !== m.cohort) continue;
    const quota = quotaOf(member, flavor, resource);
    const nominal = quota?.nominal ?? 0;
    const lends = Math.min(nominal, quota?.lendingLimit ?? nominal);
    const guaranteed = nominal - lends;
    const used =
      usageOf(usage, member.name, flavor, resource) +
      (member.name === cq ? add : 0);
    lendable += lends;
    overflow += Math.max(0, used - guaranteed);
  }
  if (overflow <= lendable + 1e-9) return { ok: true };
  const capacity =
    lendable +
    (own.nominal - Math.min(own.nominal, own.lendingLimit ?? own.nominal));
  return {
    ok: false,
    more: overflow - lendable,
    overMax: add > capacity ? capacity : undefined,
  };
}

export interface FlavorInfo {
  nodeLabels: Record<string, string>;
  nodeTaints: any[];
  tolerations: any[];
}

/** Why a flavor cannot host the pod template regardless of quota, as Kueue words it; undefined when it can. */
function flavorMismatch(
  name: string,
  flavor: FlavorInfo | undefined,
  podSpec: any,
): string | undefined {
  if (!flavor) return `flavor ${name} not found`;
  const selector: Record<string, string> = podSpec?.nodeSelector ?? {};
  for (const [k, v] of Object.entries(flavor.nodeLabels))
    if (k in selector && selector[k] !== v)
      return `flavor ${name} doesn't match node affinity`;
  // Required affinity is checked against the flavor's labels for the keys the flavor sets.
  const terms: any[] | undefined =
    podSpec?.affinity?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length) {
    const relevant = terms.map(t => ({
      matchExpressions: (t.matchExpressions ?? []).filter(
        (e: any) => e.key in flavor.nodeLabels,
      ),
    }));
    if (
      !matchesNodeSelection(
        {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: relevant,
              },
            },
          },
        },
        flavor.nodeLabels,
      )
    )
      return `flavor ${name} doesn't match node affinity`;
  }
  const taint = untoleratedTaint(flavor.nodeTaints, [
    ...(podSpec?.tolerations ?? []),
    ...flavor.tolerations,
  ]);
  if (taint)
    return `untolerated taint {${taint.key}: ${
      taint.value ?? ''
    }} in flavor ${name}`;
  return undefined;
}

export interface PodSetAssignment {
  name: string;
  flavors: Record<string, string>;
  resourceUsage: Record<string, string>;
  count: number;
  /** Usage to add: flavor → resource → amount. */
  usage: Array<{ flavor: string; resource: string; value: number }>;
}

/** Total requests of a pod set: per-pod requests times count (zero requests dropped). */
export function podSetRequests(podSet: any): ResourceList {
  const per = podRequests(podSet?.template?.spec);
  const count = Number(podSet?.count ?? 1);
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(per)) if (v > 0) out[k] = v * count;
  return out;
}

/**
 * Assigns flavors to every pod set of a workload, or explains why not (the
 * QuotaReserved=False message). `usage` is not modified.
 */
export function assignFlavors(
  wl: any,
  cq: string,
  models: Map<string, QueueModel>,
  usage: Usage,
  flavors: Map<string, FlavorInfo>,
): { assignments: PodSetAssignment[] } | { message: string } {
  const m = models.get(cq)!;
  // Later pod sets see what earlier ones of the same workload take.
  const scratch: Usage = new Map();
  const usageWith = (): Usage => {
    const merged: Usage = new Map();
    for (const src of [usage, scratch])
      for (const [c, byF] of src)
        for (const [f, byR] of byF)
          for (const [r, v] of byR) addUsage(merged, c, f, r, v);
    return merged;
  };
  const assignments: PodSetAssignment[] = [];
  for (const ps of wl.spec?.podSets ?? []) {
    const requests = podSetRequests(ps);
    const name = ps.name ?? 'main';
    const assignment: PodSetAssignment = {
      name,
      flavors: {},
      resourceUsage: {},
      count: Number(ps.count ?? 1),
      usage: [],
    };
    const pending = new Set(Object.keys(requests));
    for (const g of m.groups) {
      const needed = Object.keys(requests).filter(r => g.covered.includes(r));
      if (needed.length === 0) continue;
      const reasons: string[] = [];
      let chosen: string | undefined;
      const current = usageWith();
      for (const f of g.flavors) {
        const mismatch = flavorMismatch(
          f.name,
          flavors.get(f.name),
          ps.template?.spec,
        );
        if (mismatch) {
          reasons.push(mismatch);
          continue;
        }
        let ok = true;
        for (const r of needed) {
          const fit = fits(models, current, cq, f.name, r, requests[r]);
          if (!fit.ok) {
            ok = false;
            reasons.push(
              fit.overMax !== undefined
                ? `insufficient quota for ${r} in flavor ${
                    f.name
                  }, request > maximum capacity (${formatQuantity(
                    fit.overMax,
                    r,
                  )})`
                : `insufficient unused quota for ${r} in flavor ${
                    f.name
                  }, ${formatQuantity(fit.more, r)} more needed`,
            );
          }
        }
        if (ok) {
          chosen = f.name;
          break;
        }
      }
      if (!chosen)
        return {
          message: `couldn't assign flavors to pod set ${name}: ${reasons.join(
            ', ',
          )}`,
        };
      for (const r of needed) {
        pending.delete(r);
        assignment.flavors[r] = chosen;
        assignment.resourceUsage[r] = formatQuantity(requests[r], r);
        assignment.usage.push({
          flavor: chosen,
          resource: r,
          value: requests[r],
        });
        addUsage(scratch, cq, chosen, r, requests[r]);
      }
    }
    if (pending.size > 0) {
      const r = [...pending].sort()[0];
      return {
        message: `couldn't assign flavors to pod set ${name}: resource ${r} unavailable in ClusterQueue`,
      };
    }
    assignments.push(assignment);
  }
  return { assignments };
}
