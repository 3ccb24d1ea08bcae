// Fault injection state of one cluster.

export interface Faults {
  latencyMs?: number;
  /** Answer every request with this status (500, 503, 429...). */
  status?: number;
  /** Close the listener so clients get connection refused. */
  refuse?: boolean;
  /** 409 Conflict on every write. */
  conflictOnWrite?: boolean;
  /** End watch streams this many ms after they start (and open ones from now). */
  dropWatchesAfterMs?: number;
}

export interface FaultControl {
  set(f: Faults): Promise<void>;
  clear(): Promise<void>;
  current(): Faults;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function reasonFor(code: number): string {
  return REASONS[code] ?? 'Unknown';
}

export function faultMessage(code: number): string {
  if (code === 503)
    return 'the server is currently unable to handle the request';
  if (code === 429)
    return 'the server has received too many requests and has asked us to try again later';
  if (code === 504)
    return 'the server was unable to return a response in the time allotted, but may still be processing the request';
  return 'an error on the server ("lab-cluster injected fault") has prevented the request from succeeding';
}

/** Validates a fault document received over the admin API. */
export function parseFaults(input: unknown): Faults {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('faults must be a JSON object');
  const f = input as Record<string, unknown>;
  const out: Faults = {};
  const num = (k: string) => {
    if (f[k] === undefined) return undefined;
    if (
      typeof f[k] !== 'number' ||
      !Number.isFinite(f[k] as number) ||
      (f[k] as number) < 0
    )
      throw new Error(`${k} must be a non-negative number`);
    return f[k] as number;
  };
  const bool = (k: string) => {
    if (f[k] === undefined) return undefined;
    if (typeof f[k] !== 'boolean') throw new Error(`${k} must be a boolean`);
    return f[k] as boolean;
  };
  out.latencyMs = num('latencyMs');
  out.status = num('status');
  out.refuse = bool('refuse');
  out.conflictOnWrite = bool('conflictOnWrite');
  out.dropWatchesAfterMs = num('dropWatchesAfterMs');
  if (out.status !== undefined && (out.status < 400 || out.status > 599))
    throw new Error('status must be between 400 and 599');
  for (const k of Object.keys(out) as Array<keyof Faults>)
    if (out[k] === undefined) delete out[k];
  const unknown = Object.keys(f).filter(
    k =>
      ![
        'latencyMs',
        'status',
        'refuse',
        'conflictOnWrite',
        'dropWatchesAfterMs',
      ].includes(k),
  );
  if (unknown.length)
    throw new Error(`unknown fault fields: ${unknown.join(', ')}`);
  return out;
}
