import { ResponseError } from '@backstage/errors';
import { CatalogCurationClient } from './CatalogCurationClient';

function clientAnswering(status: number, body?: unknown) {
  const requests: Array<{ method: string; url: string; body: string }> = [];
  const client = new CatalogCurationClient({
    discoveryApi: {
      getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
    },
    fetchApi: {
      // A fetch as the fetchApi is one: (input, init), building its Request.
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        requests.push({
          method: request.method,
          url: request.url,
          body: await request.text(),
        });
        return new Response(body === undefined ? null : JSON.stringify(body), {
          status,
          headers: { 'Content-Type': 'application/json' },
        });
      }) as typeof fetch,
    },
  });
  return { client, requests };
}

describe('CatalogCurationClient', () => {
  it('sends the query and body the spec describes', async () => {
    const history = clientAnswering(200, { snapshots: [] });
    await expect(history.client.getHistory(7)).resolves.toEqual({
      snapshots: [],
    });
    const quality = clientAnswering(200, { checks: [] });
    await quality.client.getQuality('component:default/a b');
    const unregister = clientAnswering(204);
    await expect(
      unregister.client.unregisterOrphan('component:default/old'),
    ).resolves.toBeUndefined();
    expect([
      ...history.requests,
      ...quality.requests,
      ...unregister.requests,
    ]).toEqual([
      {
        method: 'GET',
        url: 'http://backend/api/catalog-curation/history?days=7',
        body: '',
      },
      {
        method: 'GET',
        url: 'http://backend/api/catalog-curation/quality?entityRef=component%3Adefault%2Fa%20b',
        body: '',
      },
      {
        method: 'POST',
        url: 'http://backend/api/catalog-curation/orphans/unregister',
        body: JSON.stringify({ entityRef: 'component:default/old' }),
      },
    ]);
  });

  it("throws the backend's error as a ResponseError", async () => {
    const { client } = clientAnswering(409, {
      error: { name: 'ConflictError', message: 'not orphaned' },
      request: { method: 'POST', url: '/orphans/unregister' },
      response: { statusCode: 409 },
    });
    const error = await client
      .unregisterOrphan('component:default/x')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe('not orphaned');
  });
});
