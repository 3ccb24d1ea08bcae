import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockCredentials } from '@backstage/backend-test-utils';
import yaml from 'yaml';
import { createGpuRequestAction } from './createGpuRequestAction';
import { examples } from './createGpuRequestAction.examples';
import { GpuPoolClient } from './GpuPoolClient';

function fakeClient(statuses: string[], extra: object = {}) {
  let reads = 0;
  const client = {
    createRequest: jest.fn(async () => ({ id: 'r1', status: statuses[0] })),
    getRequest: jest.fn(async () => ({
      id: 'r1',
      status: statuses[Math.min(++reads, statuses.length - 1)],
      expiresAt: '2030-01-01T00:00:00.000Z',
      ...extra,
    })),
    listTeamRequests: jest.fn(async () => []),
    listPools: jest.fn(async () => [
      {
        id: 'lab-main-h100',
        cluster: 'lab-main',
        product: 'NVIDIA-H100-80GB-HBM3',
      },
      { id: 'lab-main-mig-1g-10gb', cluster: 'lab-main' },
    ]),
  };
  return client;
}

const input = {
  team: 'group:default/ml-team',
  cluster: 'lab-main',
  namespace: 'ml-exp',
  gpus: [{ pool: 'lab-main-h100', count: 2 }],
  cpu: '8',
  memory: '64Gi',
  duration: 'P2D',
  justification: 'x',
  ephemeral: false,
  waitTimeoutSeconds: 5,
};

describe('gpu-pool:request:create', () => {
  it('creates the request on behalf of the initiator and waits until active', async () => {
    const client = fakeClient(['provisioning', 'provisioning', 'active']);
    const action = createGpuRequestAction({
      client: client as unknown as GpuPoolClient,
      pollIntervalMs: 1,
    });
    const credentials = mockCredentials.user('user:default/jiwoo.kim');
    const ctx = createMockActionContext({ input });
    ctx.getInitiatorCredentials = async () => credentials;
    await action.handler(ctx as any);
    const { waitTimeoutSeconds, ...body } = input;
    expect(client.createRequest).toHaveBeenCalledWith(credentials, body);
    expect(ctx.output).toHaveBeenCalledWith('status', 'active');
    expect(ctx.output).toHaveBeenCalledWith('requestId', 'r1');
    expect(ctx.output).toHaveBeenCalledWith(
      'expiresAt',
      '2030-01-01T00:00:00.000Z',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'gpuProduct',
      'NVIDIA-H100-80GB-HBM3',
    );
  });

  it('names no product for a MIG pool, and refuses a pool the cluster does not have, naming the field', async () => {
    const client = fakeClient(['active']);
    const action = createGpuRequestAction({
      client: client as unknown as GpuPoolClient,
      pollIntervalMs: 1,
    });
    const mig = createMockActionContext({
      input: { ...input, gpus: [{ pool: 'lab-main-mig-1g-10gb', count: 1 }] },
    });
    await action.handler(mig as any);
    expect(mig.output).toHaveBeenCalledWith('gpuProduct', '');

    const unknown = createMockActionContext({
      input: { ...input, cluster: 'lab-edge' },
    });
    await expect(action.handler(unknown as any)).rejects.toThrow(
      'gpus[0].pool: no GPU pool lab-main-h100 on cluster lab-edge',
    );
    expect(client.createRequest).toHaveBeenCalledTimes(1);
  });

  it('returns at once with the queue position when queued', async () => {
    const client = fakeClient(['queued'], { queuePosition: 3 });
    const action = createGpuRequestAction({
      client: client as unknown as GpuPoolClient,
      pollIntervalMs: 1,
    });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx as any);
    expect(client.getRequest).toHaveBeenCalledTimes(1);
    expect(ctx.output).toHaveBeenCalledWith('status', 'queued');
    expect(ctx.output).toHaveBeenCalledWith('queuePosition', 3);
  });

  it('fails when the request was rejected', async () => {
    const client = fakeClient(['pending-approval', 'rejected']);
    const action = createGpuRequestAction({
      client: client as unknown as GpuPoolClient,
      pollIntervalMs: 1,
    });
    // pending-approval is returned at once, so make the first read already rejected
    client.getRequest.mockResolvedValueOnce({
      id: 'r1',
      status: 'rejected',
    } as any);
    await expect(
      action.handler(createMockActionContext({ input }) as any),
    ).rejects.toThrow(/rejected/);
  });

  it('has examples whose input matches the schema', async () => {
    const step = yaml.parse(examples[0].example).steps[0];
    expect(step.action).toBe('gpu-pool:request:create');
    const client = fakeClient(['active']);
    const action = createGpuRequestAction({
      client: client as unknown as GpuPoolClient,
    });
    await action.handler(
      createMockActionContext({
        input: { waitTimeoutSeconds: 1, ephemeral: false, ...step.input },
      }) as any,
    );
    expect(client.createRequest).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ namespace: 'ml-llm-finetune' }),
    );
  });
});
