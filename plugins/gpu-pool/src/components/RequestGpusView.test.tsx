import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type {
  GpuPoolSummary,
  GpuRequest,
} from '@internal/plugin-gpu-pool-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GpuPoolApi, gpuPoolApiRef } from '../api/GpuPoolApi';
import { RequestForm, validateRequest } from './RequestForm';
import { RequestGpusView } from './RequestGpusView';

jest.setTimeout(30_000);

const ML = 'group:default/ml-team';
const PAYMENTS = 'group:default/payments-team';

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

/**
 * Answers on a later task, as a real fetch does: the page's update then
 * lands while the test waits (inside act), not while render returns.
 */
function later<T>(answer: () => T) {
  return () =>
    new Promise<T>((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(answer());
        } catch (error) {
          reject(error);
        }
      }, 0),
    );
}

function fakeApi(
  pools: GpuPoolSummary[],
  overrides: Partial<GpuPoolApi> = {},
): GpuPoolApi {
  return {
    listPools: jest.fn(later(() => pools)),
    listRequests: jest.fn(later(() => [])),
    getRequest: jest.fn(),
    createRequest: jest.fn(),
    act: jest.fn(),
    listWorkloads: jest.fn(later(() => ({ items: [], errors: [] }))),
    ...overrides,
  };
}

/** The form alone: what the page shows in its "New request" card. */
async function renderForm(
  api: GpuPoolApi,
  pools = [h100],
  onCreated = jest.fn(),
) {
  await renderInTestApp(
    <RequestForm pools={pools} groups={[ML, PAYMENTS]} onCreated={onCreated} />,
    { apis: [[gpuPoolApiRef, api]] },
  );
  await screen.findByTestId('namespace');
  return onCreated;
}

function change(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

async function outcome() {
  const alert = await screen.findByTestId('outcome');
  return { kind: alert.getAttribute('data-outcome'), text: alert.textContent };
}

describe('the GPU request form', () => {
  it('says before submitting that a request within the allowance is granted at once', async () => {
    const api = fakeApi([h100]);
    await renderForm(api);
    change('count', '2');
    expect(await outcome()).toEqual({
      kind: 'immediate',
      text: 'Within your allowance: granted at once.',
    });
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it('says a request above the allowance needs the platform team, and then a justification', async () => {
    await renderForm(fakeApi([h100]));
    // 2 held + 3 asked > 4 allowed.
    change('count', '3');
    await waitFor(async () => expect((await outcome()).kind).toBe('approval'));
    expect((await outcome()).text).toMatch(/platform team must approve/);
    fireEvent.click(screen.getByTestId('submit'));
    expect(await screen.findByText(/say why the GPUs are needed/)).toBeTruthy();
  });

  it('says a request within the allowance queues when the pool is full', async () => {
    const full = { ...h100, allocated: 15, available: 1 };
    await renderForm(fakeApi([full]), [full]);
    change('count', '2');
    await waitFor(async () => expect((await outcome()).kind).toBe('queue'));
  });

  it('shows teams by display name and sends their refs', async () => {
    await renderForm(fakeApi([h100]));
    const options = Array.from(
      (screen.getByTestId('team') as HTMLSelectElement).options,
    );
    expect(options.map(o => o.value)).toEqual([ML, PAYMENTS]);
    expect(options.map(o => o.textContent)).not.toContain(ML);
  });

  it('checks fields as they are typed, with the schema the backend uses', async () => {
    const api = fakeApi([h100]);
    await renderForm(api);
    change('namespace', 'ML_Exp');
    expect(
      await screen.findByText(/Lower-case letters, digits and "-"/),
    ).toBeTruthy();
    change('namespace', 'ml-exp');
    await waitFor(() =>
      expect(screen.queryByText(/Lower-case letters/)).toBeNull(),
    );
    change('count', '9');
    expect(
      await screen.findByText('At most 8 per request in this pool.'),
    ).toBeTruthy();
    change('count', '2');
    change('duration-amount', '8');
    // 8 days > the pool's 7.
    expect(await screen.findByText(/^At most 7/)).toBeTruthy();
    change('duration-unit', 'hours');
    await waitFor(() => expect(screen.queryByText(/^At most 7/)).toBeNull());
    change('cpu', 'lots');
    expect(
      await screen.findByText('A CPU amount such as 8 or 500m.'),
    ).toBeTruthy();
    fireEvent.click(screen.getByTestId('submit'));
    expect(await screen.findByTestId('invalid')).toBeTruthy();
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it('is completed with the keyboard alone: Tab through the fields, Enter sends the picked lease', async () => {
    const created = { id: 'r-1', status: 'provisioning' } as GpuRequest;
    const api = fakeApi([h100], {
      createRequest: jest.fn(async () => created),
    });
    // No artificial delay between keys: the form re-validates on each one.
    const user = userEvent.setup({ delay: null });
    const onCreated = await renderForm(api, [h100]);
    const order = [
      'team',
      'pool',
      'count',
      'namespace',
      'cpu',
      'memory',
      'duration-amount',
      'duration-unit',
      'justification',
      'ephemeral',
    ];
    for (const id of order) {
      await user.tab();
      expect(document.activeElement).toBe(screen.getByTestId(id));
      if (id === 'count') await user.keyboard('{Control>}a{/Control}2');
      if (id === 'namespace') await user.keyboard('ml-exp');
      if (id === 'duration-amount')
        await user.keyboard('{Control>}a{/Control}3');
      if (id === 'justification') await user.keyboard('fine-tuning');
    }
    await user.tab();
    expect(document.activeElement).toBe(screen.getByTestId('submit'));
    await user.keyboard('{Enter}');
    await waitFor(() => expect(api.createRequest).toHaveBeenCalledTimes(1));
    expect(api.createRequest).toHaveBeenCalledWith({
      team: ML,
      cluster: 'lab-main',
      namespace: 'ml-exp',
      gpus: [{ pool: 'lab-main-h100', count: 2 }],
      cpu: '8',
      memory: '64Gi',
      // The picker's unit follows the pool's default (P1D): days.
      duration: 'P3D',
      justification: 'fine-tuning',
      ephemeral: false,
    });
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('r-1'));
  }, 90_000);
});

describe('validateRequest', () => {
  const body = {
    team: ML,
    cluster: 'lab-main',
    namespace: 'ml-exp',
    gpus: [{ pool: 'lab-main-h100', count: 2 }],
    cpu: '8',
    memory: '64Gi',
    duration: 'P2D',
    justification: '',
    ephemeral: false,
  };
  const check = (
    patch: object,
    durationMs = 2 * 86400_000,
    needsApproval = false,
  ) =>
    validateRequest({
      body: { ...body, ...patch },
      pool: h100,
      durationMs,
      needsApproval,
      formatDurationMs: ms => `${ms / 86400_000}d`,
    });

  it('accepts what the backend accepts', () => {
    expect(check({})).toEqual({});
  });

  it('names each wrong field, from the shared schema and the pool limits', () => {
    expect(
      check({
        namespace: 'Bad!',
        memory: '0',
        gpus: [{ pool: 'x', count: 0 }],
      }),
    ).toEqual({
      namespace: { key: 'namespace' },
      memory: { key: 'memory' },
      count: { key: 'count' },
    });
    expect(
      check({ gpus: [{ pool: 'lab-main-h100', count: 9 }] }, 8 * 86400_000),
    ).toEqual({
      count: { key: 'countMax', max: '8' },
      duration: { key: 'durationMax', max: '7d' },
    });
    expect(check({}, 2 * 86400_000, true)).toEqual({
      justification: { key: 'justificationRequired' },
    });
  });
});

describe('the request page', () => {
  it('shows the backend error when the pools cannot be loaded', async () => {
    await renderInTestApp(<RequestGpusView />, {
      apis: [
        [
          gpuPoolApiRef,
          fakeApi([], {
            listPools: jest.fn(
              later(() => {
                throw new Error('gpu-pool is down');
              }),
            ),
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
