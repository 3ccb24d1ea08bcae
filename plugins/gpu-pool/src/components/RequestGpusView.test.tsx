import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  GpuPoolSummary,
  GpuRequest,
} from '@internal/plugin-gpu-pool-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { GpuPoolApi, gpuPoolApiRef } from '../api/GpuPoolApi';
import { RequestGpusView } from './RequestGpusView';

const ML = 'group:default/ml-team';

const h100: GpuPoolSummary = {
  id: 'lab-main-h100',
  cluster: 'lab-main',
  title: 'H100 80GB',
  resource: 'nvidia.com/gpu',
  model: 'NVIDIA-H100-80GB-HBM3',
  capacity: 16,
  allocated: 2,
  available: 14,
  queued: 0,
  reserve: 0,
  maxPerRequest: 8,
  maxDuration: 'P7D',
  defaultDuration: 'P1D',
  // The ML team may hold 4 without approval and holds 2.
  allowances: { [ML]: 4 },
  usage: { [ML]: 2 },
  live: true,
};

function fakeApi(
  pools: GpuPoolSummary[],
  overrides: Partial<GpuPoolApi> = {},
): GpuPoolApi {
  return {
    listPools: jest.fn(async () => pools),
    listRequests: jest.fn(async () => []),
    getRequest: jest.fn(),
    createRequest: jest.fn(),
    act: jest.fn(),
    ...overrides,
  };
}

async function renderView(api: GpuPoolApi) {
  await renderInTestApp(<RequestGpusView />, {
    apis: [
      [gpuPoolApiRef, api],
      mockApis.identity({
        userEntityRef: 'user:default/jiwoo.kim',
        ownershipEntityRefs: ['user:default/jiwoo.kim', ML],
      }),
    ],
  });
  await screen.findByTestId('namespace');
}

function setCount(n: number) {
  fireEvent.change(screen.getByTestId('count'), {
    target: { value: String(n) },
  });
}

async function outcome() {
  const alert = await screen.findByTestId('outcome');
  return { kind: alert.getAttribute('data-outcome'), text: alert.textContent };
}

describe('RequestGpusView request form', () => {
  it('says before submitting that a request within the allowance is granted at once', async () => {
    const api = fakeApi([h100]);
    await renderView(api);
    setCount(2);
    expect(await outcome()).toEqual({
      kind: 'immediate',
      text: 'Within your allowance: granted at once.',
    });
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it('says a request above the allowance needs the platform team', async () => {
    await renderView(fakeApi([h100]));
    // 2 held + 3 asked > 4 allowed.
    setCount(3);
    await waitFor(async () => expect((await outcome()).kind).toBe('approval'));
    expect((await outcome()).text).toMatch(/platform team must approve/);
  });

  it('says a request within the allowance queues when the pool is full', async () => {
    await renderView(fakeApi([{ ...h100, allocated: 15, available: 1 }]));
    setCount(2);
    await waitFor(async () => expect((await outcome()).kind).toBe('queue'));
    expect((await outcome()).text).toMatch(/will queue/);
  });

  it('says it queues behind others already waiting, even with GPUs free', async () => {
    await renderView(fakeApi([{ ...h100, queued: 3 }]));
    setCount(1);
    await waitFor(async () => expect((await outcome()).kind).toBe('queue'));
  });

  it('submits the form as the documented body', async () => {
    const created = { id: 'r-1', status: 'provisioning' } as GpuRequest;
    const api = fakeApi([h100], {
      createRequest: jest.fn(async () => created),
    });
    await renderView(api);
    fireEvent.change(screen.getByTestId('namespace'), {
      target: { value: 'ml-exp' },
    });
    setCount(2);
    fireEvent.change(screen.getByTestId('justification'), {
      target: { value: 'fine-tuning' },
    });
    fireEvent.click(screen.getByTestId('submit'));
    await waitFor(() => expect(api.createRequest).toHaveBeenCalledTimes(1));
    expect(api.createRequest).toHaveBeenCalledWith({
      team: ML,
      cluster: 'lab-main',
      namespace: 'ml-exp',
      gpus: [{ pool: 'lab-main-h100', count: 2 }],
      cpu: '8',
      memory: '64Gi',
      duration: undefined,
      justification: 'fine-tuning',
      ephemeral: false,
    });
  });

  it('shows the backend error when the pools cannot be loaded', async () => {
    await renderInTestApp(<RequestGpusView />, {
      apis: [
        [
          gpuPoolApiRef,
          fakeApi([], {
            listPools: jest.fn(async () => {
              throw new Error('gpu-pool is down');
            }),
          }),
        ],
        mockApis.identity({ ownershipEntityRefs: [ML] }),
      ],
    });
    expect(
      (await screen.findAllByText(/gpu-pool is down/)).length,
    ).toBeGreaterThan(0);
  });
});
