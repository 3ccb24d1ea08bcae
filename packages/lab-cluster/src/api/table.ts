// meta.k8s.io/v1 Table rendering for `kubectl get`, with the columns the real
// server's printers use for the kinds the fleet has.
import { ResourceType } from './resources';

interface Column {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority: number;
}

function col(
  name: string,
  type = 'string',
  priority = 0,
  format?: string,
): Column {
  return {
    name,
    type,
    priority,
    description: name,
    ...(format ? { format } : {}),
  };
}

/** kubectl's short human durations (`45s`, `3m2s`, `5h`, `12d`). */
export function humanAge(
  timestamp: string | undefined,
  now = Date.now(),
): string {
  if (!timestamp) return '<unknown>';
  const secs = Math.floor((now - Date.parse(timestamp)) / 1000);
  if (secs < 0) return '<invalid>';
  if (secs < 120) return `${secs}s`;
  const mins = Math.floor(secs / 60);
  if (mins < 10) return `${mins}m${secs % 60 ? `${secs % 60}s` : ''}`;
  if (mins < 180) return `${mins}m`;
  const hours = Math.floor(mins / 60);
  if (hours < 8) return `${hours}h${mins % 60 ? `${mins % 60}m` : ''}`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return `${days}d${hours % 24 ? `${hours % 24}h` : ''}`;
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

function age(o: any): string {
  return humanAge(o.metadata?.creationTimestamp);
}

function nodeRow(n: any): unknown[] {
  const ready = (n.status?.conditions ?? []).find(
    (c: any) => c.type === 'Ready',
  );
  let status = 'Unknown';
  if (ready) status = ready.status === 'True' ? 'Ready' : 'NotReady';
  if (n.spec?.unschedulable) status += ',SchedulingDisabled';
  const roles = Object.keys(n.metadata?.labels ?? {})
    .filter(l => l.startsWith('node-role.kubernetes.io/'))
    .map(l => l.slice('node-role.kubernetes.io/'.length))
    .sort();
  const addr = (t: string) =>
    (n.status?.addresses ?? []).find((a: any) => a.type === t)?.address ??
    '<none>';
  const info = n.status?.nodeInfo ?? {};
  return [
    n.metadata.name,
    status,
    roles.length ? roles.join(',') : '<none>',
    age(n),
    info.kubeletVersion ?? '',
    addr('InternalIP'),
    addr('ExternalIP'),
    info.osImage ?? '<unknown>',
    info.kernelVersion ?? '<unknown>',
    info.containerRuntimeVersion ?? '<unknown>',
  ];
}

function podRow(p: any): unknown[] {
  const statuses: any[] = p.status?.containerStatuses ?? [];
  const total = (p.spec?.containers ?? []).length;
  const ready = statuses.filter(s => s.ready).length;
  const restarts = statuses.reduce((s, c) => s + (c.restartCount ?? 0), 0);
  let reason: string = p.status?.reason ?? p.status?.phase ?? 'Unknown';
  for (const s of statuses) {
    if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
    // As kubectl's printPod: a terminated container's reason shows (Completed, Error, OOMKilled).
    else if (s.state?.terminated?.reason) reason = s.state.terminated.reason;
  }
  if (p.metadata?.deletionTimestamp) reason = 'Terminating';
  return [
    p.metadata.name,
    `${ready}/${total}`,
    reason,
    restarts,
    age(p),
    p.status?.podIP ?? '<none>',
    p.spec?.nodeName ?? '<none>',
    '<none>',
    '<none>',
  ];
}

function eventRow(e: any): unknown[] {
  const io = e.involvedObject ?? {};
  const last = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return [
    humanAge(last),
    e.type ?? '',
    e.reason ?? '',
    `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
    e.message ?? '',
    e.metadata.name,
  ];
}

interface Printer {
  columns: Column[];
  row(o: any): unknown[];
}

const PRINTERS: Record<string, Printer> = {
  nodes: {
    columns: [
      col('Name', 'string', 0, 'name'),
      col('Status'),
      col('Roles'),
      col('Age'),
      col('Version'),
      col('Internal-IP', 'string', 1),
      col('External-IP', 'string', 1),
      col('OS-Image', 'string', 1),
      col('Kernel-Version', 'string', 1),
      col('Container-Runtime', 'string', 1),
    ],
    row: nodeRow,
  },
  pods: {
    columns: [
      col('Name', 'string', 0, 'name'),
      col('Ready'),
      col('Status'),
      col('Restarts', 'string'),
      col('Age'),
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    row: podRow,
  },
  namespaces: {
    columns: [col('Name', 'string', 0, 'name'), col('Status'), col('Age')],
    row: n => [n.metadata.name, n.status?.phase ?? 'Active', age(n)],
  },
  events: {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Message'),
      col('Name', 'string', 1, 'name'),
    ],
    row: eventRow,
  },
  resourcequotas: {
    columns: [
      col('Name', 'string', 0, 'name'),
      col('Age'),
      col('Request'),
      col('Limit'),
    ],
    row: q => {
      const hard = q.status?.hard ?? q.spec?.hard ?? {};
      const used = q.status?.used ?? {};
      const fmt = (keys: string[]) =>
        keys.map(k => `${k}: ${used[k] ?? '0'}/${hard[k]}`).join(', ');
      const keys = Object.keys(hard).sort();
      return [
        q.metadata.name,
        age(q),
        fmt(keys.filter(k => !k.startsWith('limits.'))),
        fmt(keys.filter(k => k.startsWith('limits.'))),
      ];
    },
  },
  deployments: {
    columns: [
      col('Name', 'string', 0, 'name'),
      col('Ready'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Age'),
    ],
    row: d => [
      d.metadata.name,
      `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
      d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
      age(d),
    ],
  },
  services: {
    columns: [
      col('Name', 'string', 0, 'name'),
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      col('Age'),
    ],
    row: s => [
      s.metadata.name,
      s.spec?.type ?? 'ClusterIP',
      s.spec?.clusterIP ?? '<none>',
      '<none>',
      (s.spec?.ports ?? [])
        .map((p: any) => `${p.port}/${p.protocol ?? 'TCP'}`)
        .join(',') || '<none>',
      age(s),
    ],
  },
  configmaps: {
    columns: [
      col('Name', 'string', 0, 'name'),
      col('Data', 'integer'),
      col('Age'),
    ],
    row: c => [
      c.metadata.name,
      Object.keys(c.data ?? {}).length + Object.keys(c.binaryData ?? {}).length,
      age(c),
    ],
  },
};

/** Evaluates the simple `.a.b` JSONPath expressions CRD printer columns use. */
/** `.a.b.c`, plus one filter per segment as CRDs use it: `.status.conditions[?(@.type=="Admitted")].status`. */
function simpleJsonPath(obj: any, path: string): unknown {
  let cur = obj;
  // Segments split on dots outside brackets, so filters may hold dots.
  const parts = path.replace(/^\./, '').match(/[^.[]+(\[[^\]]*\])?/g) ?? [];
  for (const part of parts) {
    if (cur === undefined || cur === null) return undefined;
    const filter = /^(\w+)\[\?\(@\.(\w+)==["']([^"']*)["']\)\]$/.exec(part);
    if (filter) {
      const list = cur[filter[1]];
      cur = Array.isArray(list)
        ? list.find(x => String(x?.[filter[2]]) === filter[3])
        : undefined;
      continue;
    }
    cur = cur[part];
  }
  return cur;
}

function printerFor(rt: ResourceType): Printer {
  const builtin =
    rt.group === '' || rt.group === 'apps' ? PRINTERS[rt.plural] : undefined;
  if (builtin) return builtin;
  const extra = rt.printerColumns ?? [];
  return {
    columns: [
      col('Name', 'string', 0, 'name'),
      ...extra.map(c =>
        col(c.name, c.type === 'date' ? 'date' : c.type, c.priority ?? 0),
      ),
      ...(extra.length > 0 ? [] : [col('Age', 'date')]),
    ],
    row: o => [
      o.metadata.name,
      ...extra.map(c => {
        const v = simpleJsonPath(o, c.jsonPath);
        if (c.type !== 'date') return v ?? '';
        return typeof v === 'string' ? humanAge(v) : '<unknown>';
      }),
      ...(extra.length > 0 ? [] : [humanAge(o.metadata.creationTimestamp)]),
    ],
  };
}

function partialMetadata(o: any): unknown {
  const { managedFields: _mf, ...metadata } = o.metadata ?? {};
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
  };
}

export function toTable(
  rt: ResourceType,
  objects: any[],
  listMeta: Record<string, unknown>,
  includeObject: string,
  withColumns = true,
): Record<string, unknown> {
  const printer = printerFor(rt);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: withColumns ? printer.columns : [],
    rows: objects.map(o => ({
      cells: printer.row(o),
      ...(includeObject === 'None'
        ? {}
        : { object: includeObject === 'Object' ? o : partialMetadata(o) }),
    })),
  };
}

/** Whether the Accept header asks for a Table (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}
