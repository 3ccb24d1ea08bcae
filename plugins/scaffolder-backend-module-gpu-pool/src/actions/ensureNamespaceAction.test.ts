import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createEnsureNamespaceAction } from './ensureNamespaceAction';
import { examples } from './ensureNamespaceAction.examples';
import { GpuPoolClient } from './GpuPoolClient';

const input = { team: 'group:default/payments-team', cluster: 'lab-main', namespace: 'payments-ledger', cpu: '8', memory: '32Gi', waitTimeoutSeconds: 5 };

describe('gpu-pool:namespace:ensure', () => {
  it('creates a namespace request without GPUs and waits until active', async () => {
    const client = {
      listTeamRequests: jest.fn(async () => []),
      createRequest: jest.fn(async () => ({ id: 'n1', status: 'provisioning' })),
      getRequest: jest.fn()
        .mockResolvedValueOnce({ id: 'n1', status: 'provisioning' })
        .mockResolvedValue({ id: 'n1', status: 'active' }),
    };
    const action = createEnsureNamespaceAction({ client: client as unknown as GpuPoolClient, pollIntervalMs: 1 });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx as any);
    expect(client.createRequest).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ gpus: [], namespace: 'payments-ledger' }));
    expect(ctx.output).toHaveBeenCalledWith('status', 'active');
    expect(ctx.output).toHaveBeenCalledWith('created', true);
  });

  it('reuses an existing request of the team', async () => {
    const client = {
      listTeamRequests: jest.fn(async () => [
        { id: 'old', team: 'group:default/payments-team', cluster: 'lab-main', namespace: 'payments-ledger', status: 'active' },
      ]),
      createRequest: jest.fn(),
      getRequest: jest.fn(async () => ({ id: 'old', status: 'active' })),
    };
    const action = createEnsureNamespaceAction({ client: client as unknown as GpuPoolClient });
    const ctx = createMockActionContext({ input });
    await action.handler(ctx as any);
    expect(client.createRequest).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('requestId', 'old');
    expect(ctx.output).toHaveBeenCalledWith('created', false);
  });

  it('asks for the lease it is given (namespaces expire)', async () => {
    const client = {
      listTeamRequests: jest.fn(async () => []),
      createRequest: jest.fn(async () => ({ id: 'n2', status: 'pending-approval' })),
      getRequest: jest.fn(async () => ({ id: 'n2', status: 'pending-approval' })),
    };
    const action = createEnsureNamespaceAction({ client: client as unknown as GpuPoolClient, pollIntervalMs: 1 });
    const ctx = createMockActionContext({ input: { ...input, duration: 'P14D' } });
    await action.handler(ctx as any);
    expect(client.createRequest).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ duration: 'P14D', gpus: [] }));
    // Adopting an existing namespace waits for the platform team: reported, not hidden.
    expect(ctx.output).toHaveBeenCalledWith('status', 'pending-approval');
  });

  it('has an example for this action', () => {
    expect(yaml.parse(examples[0].example).steps[0].action).toBe('gpu-pool:namespace:ensure');
  });
});
