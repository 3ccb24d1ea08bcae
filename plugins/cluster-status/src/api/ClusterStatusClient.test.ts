import { ResponseError } from '@backstage/errors';
import { ClusterStatusClient } from './ClusterStatusClient';

function clientAnswering(status: number, body: unknown) {
  const requests: Request[] = [];
  const client = new ClusterStatusClient({
    discoveryApi: {
      getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
    },
    fetchApi: {
      // A fetch as the fetchApi is one: (input, init), building its Request.
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        requests.push(new Request(input, init));
        return new Response(JSON.stringify(body), {
          status,
          headers: { 'Content-Type': 'application/json' },
        });
      }) as typeof fetch,
    },
  });
  return { client, requests };
}

describe('ClusterStatusClient', () => {
  it('calls the spec paths below the discovered base URL', async () => {
    const { client, requests } = clientAnswering(200, { items: [] });
    await expect(client.listClusters()).resolves.toEqual([]);
    await expect(client.listGpuActivity()).resolves.toEqual([]);
    await client.getCluster('lab-main');
    expect(requests.map(r => [r.method, r.url, r.body])).toEqual([
      ['GET', 'http://backend/api/cluster-status/clusters', null],
      ['GET', 'http://backend/api/cluster-status/gpu-activity', null],
      ['GET', 'http://backend/api/cluster-status/clusters/lab-main', null],
    ]);
  });

  it("throws the backend's error as a ResponseError", async () => {
    const { client } = clientAnswering(404, {
      error: { name: 'NotFoundError', message: 'No cluster nope' },
      request: { method: 'GET', url: '/clusters/nope' },
      response: { statusCode: 404 },
    });
    const error = await client.getCluster('nope').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error).toEqual({
      name: 'NotFoundError',
      message: 'No cluster nope',
    });
  });
});
