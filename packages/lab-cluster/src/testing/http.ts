// Small fetch helpers for the integration tests.

export interface Target {
  url: string;
  token: string;
}

export async function req(
  t: Target,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${t.token}`,
      ...(body !== undefined ? { 'content-type': contentType } : {}),
      ...headers,
    },
    body:
      typeof body === 'string' || body === undefined
        ? body
        : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Non-JSON bodies (logs, metrics) stay text.
  }
  return { status: res.status, body: parsed };
}

/** Reads watch events until `until` returns true or the deadline passes; always aborts the stream. */
export async function readWatch(
  t: Target,
  path: string,
  opts: {
    until: (events: any[]) => boolean;
    timeoutMs?: number;
    onOpen?: () => Promise<void> | void;
  },
): Promise<{ events: any[]; ended: boolean }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 5000);
  const events: any[] = [];
  let ended = false;
  try {
    const res = await fetch(`${t.url}${path}`, {
      headers: { authorization: `Bearer ${t.token}` },
      signal: controller.signal,
    });
    if (opts.onOpen) await opts.onOpen();
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      buf += decoder.decode(value, { stream: true });
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
      if (opts.until(events)) break;
    }
  } catch (e) {
    if ((e as Error).name !== 'AbortError') {
      // A dropped connection (fault injection) ends the stream.
      ended = true;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { events, ended };
}

export function sleep(ms: number): Promise<void> {
  return new Promise(r => setTimeout(r, ms));
}

/**
 * Polls `fn` until it returns a truthy value (returned) or `timeoutMs`
 * passes (then throws naming `what` and the last error). Bounded: the lab's
 * controllers act asynchronously, so tests await their effects through this.
 */
export async function waitFor<T>(
  fn: () =>
    | Promise<T | undefined | false | null>
    | T
    | undefined
    | false
    | null,
  what: string,
  timeoutMs = 5000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() + intervalMs > deadline) break;
    await sleep(intervalMs);
  }
  throw new Error(
    `${what} not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`,
  );
}
