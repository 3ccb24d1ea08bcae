import { openApiFetch } from './openApiFetch';

describe('openApiFetch', () => {
  it('sends a POST body through a fetch that rebuilds the request twice', async () => {
    const seen: Array<{
      url: string;
      method: string;
      body: string;
      auth: string | null;
    }> = [];
    // Like the fetchApi's middleware chain: each step builds a new Request
    // from its input, then the innermost one reads it.
    const fetchApi = {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const first = new Request(input, init);
        first.headers.set('authorization', 'Bearer t');
        const second = new Request(input, { ...init, headers: first.headers });
        seen.push({
          url: second.url,
          method: second.method,
          body: await second.text(),
          auth: second.headers.get('authorization'),
        });
        return new Response('{}', { status: 201 });
      },
    };
    const request = new Request('http://localhost/api/gpu-pool/requests', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ team: 'group:default/ml-team' }),
    });
    const response = await openApiFetch(fetchApi)(request);
    expect(response.status).toBe(201);
    expect(seen).toEqual([
      {
        url: 'http://localhost/api/gpu-pool/requests',
        method: 'POST',
        body: '{"team":"group:default/ml-team"}',
        auth: 'Bearer t',
      },
    ]);
  });

  it('passing the Request itself would fail in that chain (why this exists)', async () => {
    const request = new Request('http://localhost/x', {
      method: 'POST',
      body: 'a',
    });
    const first = new Request(request);
    await first.text();
    expect(() => new Request(request)).toThrow();
  });

  it('sends a GET without a body', async () => {
    const fetchApi = {
      fetch: jest.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
        expect(init?.body).toBeUndefined();
        return new Response('[]');
      }),
    };
    await openApiFetch(fetchApi)(
      new Request('http://localhost/api/gpu-pool/pools'),
    );
    expect(fetchApi.fetch).toHaveBeenCalledTimes(1);
  });
});
