// Helpers of the GPU pool end-to-end tests: a guest session and a small
// client of /api/gpu-pool.

/** Polls until `fn` returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
  throw new Error(
    `condition not met within ${timeoutMs} ms${last ? `: ${last}` : ''}`,
  );
}

/**
 * Signs in as the guest like the app does and returns the Backstage token,
 * once the catalog has loaded the organisation so the guest is in `group`.
 */
export async function guestToken(
  baseUrl: string,
  group: string,
): Promise<string> {
  return eventually(
    async () => {
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (res.status !== 200) return undefined;
      const { backstageIdentity } = await res.json();
      return backstageIdentity.identity.ownershipEntityRefs.includes(group)
        ? (backstageIdentity.token as string)
        : undefined;
    },
    180_000,
    1000,
  );
}

/** JSON over HTTP to /api/gpu-pool with a user token. */
export function gpuPoolApi(baseUrl: string, token: string) {
  async function call(method: string, route: string, body?: unknown) {
    const res = await fetch(`${baseUrl}/api/gpu-pool${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  return {
    get: (route: string) => call('GET', route),
    post: (route: string, body: unknown = {}) => call('POST', route, body),
  };
}
