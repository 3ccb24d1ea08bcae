// Pod defaulting as the API server does it: requests default to limits (API
// defaulting), then the LimitRanger plugin fills container defaults from the
// namespace's LimitRanges and records what it set in an annotation.

function defaultRequestsFromLimits(c: any): void {
  const limits = c.resources?.limits;
  if (!limits) return;
  c.resources.requests = c.resources.requests ?? {};
  for (const [k, v] of Object.entries(limits))
    if (!(k in c.resources.requests)) c.resources.requests[k] = v;
}

export function applyPodDefaults(pod: any, limitRanges: any[]): void {
  const containers: any[] = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ];
  for (const c of containers) defaultRequestsFromLimits(c);
  const notes: string[] = [];
  for (const lr of limitRanges) {
    for (const item of lr.spec?.limits ?? []) {
      if (item.type !== 'Container') continue;
      const defLimits: Record<string, string> = item.default ?? {};
      // A LimitRange without defaultRequest defaults it to `default`.
      const defRequests: Record<string, string> = {
        ...defLimits,
        ...(item.defaultRequest ?? {}),
      };
      for (const c of containers) {
        c.resources = c.resources ?? {};
        const setReq: string[] = [];
        const setLim: string[] = [];
        for (const [k, v] of Object.entries(defLimits)) {
          c.resources.limits = c.resources.limits ?? {};
          if (!(k in c.resources.limits)) {
            c.resources.limits[k] = v;
            setLim.push(k);
          }
        }
        for (const [k, v] of Object.entries(defRequests)) {
          c.resources.requests = c.resources.requests ?? {};
          if (!(k in c.resources.requests)) {
            c.resources.requests[k] = v;
            setReq.push(k);
          }
        }
        if (setReq.length)
          notes.push(`${setReq.join(', ')} request for container ${c.name}`);
        if (setLim.length)
          notes.push(`${setLim.join(', ')} limit for container ${c.name}`);
      }
    }
  }
  if (notes.length) {
    pod.metadata.annotations = {
      ...(pod.metadata.annotations ?? {}),
      'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${notes.join(
        '; ',
      )}`,
    };
  }
}
