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
});

/** A fetchApi like Backstage's: it builds a Request from URL and init. */
function recordingFetchApi() {
  const built: Request[] = [];
  const fetchApi = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      built.push(new Request(input, init));
      return new Response('{}');
    },
  };
  return { fetchApi, built };
}

describe('openApiFetch without a body', () => {
  it.each(['GET', 'DELETE', 'POST'])(
    'sends a %s that has none without one (no empty text/plain body)',
    async method => {
      const { fetchApi, built } = recordingFetchApi();
      await openApiFetch(fetchApi)(
        new Request('http://localhost/api/gpu-pool/requests/r1', { method }),
      );
      expect(built).toHaveLength(1);
      expect(built[0].method).toBe(method);
      expect(built[0].body).toBeNull();
      expect(built[0].headers.get('content-type')).toBeNull();
    },
  );
});

describe('openApiFetch with a body', () => {
  it('keeps the headers, the exact bytes of a Korean JSON body and the signal', async () => {
    const { fetchApi, built } = recordingFetchApi();
    const controller = new AbortController();
    const json = JSON.stringify({ reason: '실험 종료, 반납합니다' });
    await openApiFetch(fetchApi)(
      new Request('http://localhost/api/gpu-pool/requests/r1/release', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
        body: json,
        signal: controller.signal,
      }),
    );
    const [sent] = built;
    expect(sent.headers.get('content-type')).toBe('application/json');
    expect(sent.headers.get('x-trace')).toBe('abc');
    expect(new Uint8Array(await sent.arrayBuffer())).toEqual(
      new TextEncoder().encode(json),
    );
    expect(sent.signal.aborted).toBe(false);
    controller.abort();
    expect(sent.signal.aborted).toBe(true);
  });

  it('passes bytes that are not UTF-8 through unchanged', async () => {
    const { fetchApi, built } = recordingFetchApi();
    const bytes = new Uint8Array([0xff, 0x00, 0xfe, 0x80]);
    await openApiFetch(fetchApi)(
      new Request('http://localhost/upload', {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      }),
    );
    expect(new Uint8Array(await built[0].arrayBuffer())).toEqual(bytes);
  });
});
