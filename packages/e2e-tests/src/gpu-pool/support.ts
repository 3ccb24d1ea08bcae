// A small client of /api/gpu-pool for the GPU pool end-to-end tests.

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
