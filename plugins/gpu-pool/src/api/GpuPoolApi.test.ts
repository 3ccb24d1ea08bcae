import { ResponseError } from '@backstage/errors';
import { GpuPoolClient } from './GpuPoolApi';
import { ShowbackClient } from '../components/showback/ShowbackClient';

const base = 'http://backend.test/api/gpu-pool';

/** A fetchApi that records requests and answers from `answer`. */
function fakeBackend(answer: (req: Request) => Response) {
  const seen: Array<{ method: string; url: string; body: string }> = [];
  const deps = {
    discoveryApi: {
      getBaseUrl: async (id: string) => `http://backend.test/api/${id}`,
    },
    fetchApi: {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const req = new Request(input, init);
        seen.push({
          method: req.method,
          url: req.url,
          body: req.method === 'GET' ? '' : await req.clone().text(),
        });
        return answer(req);
      },
    },
  };
  return { deps, seen };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

describe('the gpu-pool clients generated from the spec', () => {
  it('build paths, queries and bodies from the spec and return the answers', async () => {
    const { deps, seen } = fakeBackend(req =>
      req.url.includes('/requests') && req.method === 'POST'
        ? json({ id: 'r1', status: 'active' })
        : json({ items: [{ id: 'p1' }], errors: [] }),
    );
    const client = new GpuPoolClient(deps);
    expect(await client.listPools({ history: 'P1D' })).toEqual([{ id: 'p1' }]);
    await client.listRequests('team', ['queued', 'active']);
    await client.listWorkloads({ namespace: 'ml-training' });
    await client.createRequest({
      team: 'group:default/ml-team',
      cluster: 'lab-main',
      namespace: 'ml-exp',
    });
    await client.act('a/b', 'extend', { duration: 'P1D' });
    await client.act('r1', 'approve', { reason: 'ok' });
    expect(seen.map(s => `${s.method} ${s.url} ${s.body}`)).toEqual([
      `GET ${base}/pools?history=P1D `,
      `GET ${base}/requests?scope=team&status=queued%2Cactive `,
      `GET ${base}/workloads?namespace=ml-training `,
      `POST ${base}/requests ${JSON.stringify({
        team: 'group:default/ml-team',
        cluster: 'lab-main',
        namespace: 'ml-exp',
        gpus: [],
        cpu: '4',
        memory: '16Gi',
        justification: '',
        ephemeral: false,
      })}`,
      `POST ${base}/requests/a%2Fb/extend {"duration":"P1D"}`,
      `POST ${base}/requests/r1/approve {"reason":"ok"}`,
    ]);
  });

  it("throws the backend's error as a ResponseError, and refuses bad input before sending", async () => {
    const { deps, seen } = fakeBackend(() =>
      json(
        {
          error: { name: 'NotAllowedError', message: 'only the platform team' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const error = await new GpuPoolClient(deps)
      .act('r1', 'approve')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('only the platform team');
    expect(error.statusCode).toBe(403);

    await expect(
      new GpuPoolClient(deps).createRequest({
        team: 'group:default/ml-team',
        cluster: 'lab-main',
        namespace: 'Not_A_Label',
      }),
    ).rejects.toThrow(/^namespace must be a DNS-1123 label/);
    await expect(new GpuPoolClient(deps).act('r1', 'extend')).rejects.toThrow(
      'duration is required to extend',
    );
    expect(seen).toHaveLength(1);
  });

  it('showback: the report, the CSV with its file name, and reclaim answers', async () => {
    const { deps, seen } = fakeBackend(req =>
      req.url.includes('.csv')
        ? new Response('period,period_start\n', {
            headers: {
              'content-type': 'text/csv',
              'content-disposition':
                'attachment; filename="gpu-showback-day.csv"',
            },
          })
        : json({ requestId: 'r1', phase: 'kept' }),
    );
    const client = new ShowbackClient(deps);
    const csv = await client.csv({
      period: 'day',
      team: 'group:default/ml-team',
    });
    expect(csv.name).toBe('gpu-showback-day.csv');
    expect(await csv.blob.text()).toBe('period,period_start\n');
    expect(await client.answer('r1', 'keep')).toEqual({
      requestId: 'r1',
      phase: 'kept',
    });
    expect(seen.map(s => `${s.method} ${s.url} ${s.body}`)).toEqual([
      `GET ${base}/showback.csv?period=day&team=group%3Adefault%2Fml-team `,
      `POST ${base}/reclaim/requests/r1/keep {}`,
    ]);
  });
});
