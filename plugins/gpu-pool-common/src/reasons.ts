/**
 * The catalog of the reasons the GPU pool backend writes by itself on a
 * request's timeline (and as its `lastError`). The English template is the
 * source text, as gettext's msgid: the backend writes exactly this text, it
 * is stored as is in the audit hash chain, and the frontend parses it back
 * to a key and its parameters to show it in the portal's language.
 *
 * Order matters for parsing: a template that extends another (a note after
 * a colon) comes first, so that the longer reading wins.
 *
 * @public
 */
export const gpuPoolReasonTemplates = {
  // Creation (admission).
  createdAboveAllowancePools:
    'above the allowance of {team} in pool {pools}: waits for the platform team',
  createdAboveAllowanceCompute:
    'above the allowance of {team} in {resource}: waits for the platform team',
  createdAdoptsNamespace:
    'namespace {namespace} exists and was not created by the portal: adopting it waits for the platform team',
  createdWithinAllowance: 'within the allowance: approved automatically',
  createdWithoutGpus: 'namespace without GPUs: approved automatically',
  // The queue.
  waitsBehind: 'waits in the queue behind request {request} for pool {pool}',
  waitsForGpusOutsideStale:
    'waits for GPUs: pool {pool} has {free} free of {capacity} ({granted} granted, {outside} held by pods outside any grant) (last known: the cluster cannot be read), {needed} needed',
  waitsForGpusOutside:
    'waits for GPUs: pool {pool} has {free} free of {capacity} ({granted} granted, {outside} held by pods outside any grant), {needed} needed',
  waitsForGpusStale:
    'waits for GPUs: pool {pool} has {free} free of {capacity} ({granted} granted) (last known: the cluster cannot be read), {needed} needed',
  waitsForGpus:
    'waits for GPUs: pool {pool} has {free} free of {capacity} ({granted} granted), {needed} needed',
  gpusAllocated: 'GPUs allocated: {gpus}',
  namespaceApproved: 'namespace approved',
  // The platform team's decisions (when the approver leaves no comment).
  approvedByPlatformTeam: 'approved by the platform team',
  rejectedByPlatformTeam: 'rejected by the platform team',
  // Leases.
  extendedWithNote: 'extended by {duration}: {note}',
  extended: 'extended by {duration}',
  releasedByOwner: 'released by the owner',
  leaseEnded: 'the lease ended',
  leaseEndsAt: 'the lease ends at {at}',
  // Provisioning (reconciler).
  inPlaceWithKueue:
    'namespace {namespace}, its quota and its Kueue LocalQueue are in place on {cluster}',
  inPlace: 'namespace {namespace} and its quota are in place on {cluster}',
  kueueNotInPlace: 'Kueue enforcement on {cluster} is not in place: {error}',
  clusterRefusedObjects: 'the cluster refused the objects: {error}',
  namespaceProtected:
    'namespace {namespace} is protected; the GPU pool never writes or deletes it',
  namespaceBeingDeleted: 'namespace {namespace} is being deleted',
  namespaceOfAnotherTeam:
    'namespace {namespace} is labelled for {owner}, not {team}',
  namespaceNotCreatedByPortal:
    "namespace {namespace} exists and was not created by the portal; adopting it needs the platform team's approval",
  // Enforcement after a lease ended.
  localQueueDrained:
    'LocalQueue {namespace}/{queue} set to HoldAndDrain: no grant remains in the namespace',
  workloadEvicted:
    'evicted Workload {namespace}/{name} ({gpus}): beyond the remaining grant of {team} on {cluster} (ClusterQueue {clusterQueue})',
  podDeleted:
    'deleted pod {namespace}/{name} ({gpus}): beyond the remaining GPU quota of namespace {quotaNamespace}',
  // Idle reclaim.
  idleNudged:
    'idle: every GPU stayed below {threshold}% for {minutes} min (max {max}); owners notified, reclaimed at {at} unless kept',
  idleNoticeWithdrawn:
    'idle notice withdrawn: the GPUs are busy again (max {max})',
  idleReclaimed:
    'reclaimed-idle: no answer within {grace} min of the idle notice and still below {threshold}% (max {max})',
  idleReleasedByOwnerWithNote:
    'reclaimed-idle: released by the owner from the idle notice: {note}',
  idleReleasedByOwner:
    'reclaimed-idle: released by the owner from the idle notice',
  idleKeptWithNote: 'idle reclaim: kept until {until}: {note}',
  idleKept: 'idle reclaim: kept until {until}',
  idleExempted: 'idle reclaim: exempted by the platform team: {note}',
} as const;

/**
 * A key of the reason catalog.
 *
 * @public
 */
export type GpuPoolReasonKey = keyof typeof gpuPoolReasonTemplates;

/**
 * The placeholder names of a template (`{name}`).
 *
 * @public
 */
export type GpuPoolReasonPlaceholders<S extends string> =
  S extends `${string}{${infer P}}${infer Rest}`
    ? P | GpuPoolReasonPlaceholders<Rest>
    : never;

/**
 * The parameters of a reason: one value per placeholder of its template.
 *
 * @public
 */
export type GpuPoolReasonParams<K extends GpuPoolReasonKey> = Record<
  GpuPoolReasonPlaceholders<(typeof gpuPoolReasonTemplates)[K]>,
  string | number
>;

/**
 * A reason read back from its text.
 *
 * @public
 */
export type ParsedGpuPoolReason = {
  [K in GpuPoolReasonKey]: {
    key: K;
    params: Record<
      GpuPoolReasonPlaceholders<(typeof gpuPoolReasonTemplates)[K]>,
      string
    >;
  };
}[GpuPoolReasonKey];

const placeholder = /\{(\w+)\}/g;

/**
 * Writes a reason in its English source text.
 *
 * @public
 */
export function formatReason<K extends GpuPoolReasonKey>(
  key: K,
  params: GpuPoolReasonParams<K>,
): string {
  const values = params as Record<string, string | number>;
  return gpuPoolReasonTemplates[key].replace(placeholder, (_, name) => {
    if (!(name in values)) {
      throw new Error(`Reason ${key} misses its parameter ${name}`);
    }
    return String(values[name]);
  });
}

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const matchers = Object.entries(gpuPoolReasonTemplates).map(
  ([key, template]) => {
    const names: string[] = [];
    const parts = template.split(placeholder);
    // split with a capture group alternates literal text and names.
    const source = parts
      .map((part, i) => {
        if (i % 2 === 0) return escape(part);
        names.push(part);
        return '([\\s\\S]+?)';
      })
      .join('');
    return {
      key: key as GpuPoolReasonKey,
      names,
      regex: new RegExp(`^${source}$`),
    };
  },
);

/**
 * Reads a reason's key and parameters back from the text the backend wrote;
 * undefined for free text (an approver's comment, a cluster's error).
 *
 * @public
 */
export function parseReason(
  text: string | undefined,
): ParsedGpuPoolReason | undefined {
  if (!text) return undefined;
  for (const m of matchers) {
    const found = m.regex.exec(text);
    if (!found) continue;
    const params: Record<string, string> = {};
    m.names.forEach((name, i) => {
      params[name] = found[i + 1];
    });
    return { key: m.key, params } as ParsedGpuPoolReason;
  }
  return undefined;
}
