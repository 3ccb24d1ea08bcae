import { renderInTestApp } from '@backstage/frontend-test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import type {
  GpuWorkload,
  GpuWorkloadList,
} from '@internal/plugin-gpu-pool-common';
import { act, screen, waitFor } from '@testing-library/react';
import { GpuPoolApi, gpuPoolApiRef } from '../api/GpuPoolApi';
import { WorkloadsView } from './WorkloadsView';

jest.setTimeout(30_000);

const base = {
  cluster: 'lab-main',
  namespace: 'ml-jobs',
  team: 'group:default/ml-team',
  localQueue: 'portal-gpu-pool',
  gpus: { 'nvidia.com/gpu': 2 },
  flavors: {},
  conditions: [],
};
const inHours = (h: number) =>
  new Date(Date.now() + h * 3600_000).toISOString();

const running: GpuWorkload = {
  ...base,
  name: 'job-train-a-1',
  job: { kind: 'Job', name: 'train-a' },
  state: 'running',
  flavors: { 'nvidia.com/gpu': 'lab-main-h100' },
  reason: 'Admitted',
  expectedEnd: inHours(2),
  conditions: [
    {
      type: 'Admitted',
      status: 'True',
      reason: 'Admitted',
      message: 'The workload is admitted',
      lastTransitionTime: inHours(-1),
    },
  ],
};
const queued: GpuWorkload = {
  ...base,
  name: 'job-train-b-2',
  job: { kind: 'Job', name: 'train-b' },
  state: 'pending',
  reason: 'Pending',
  message:
    'insufficient unused quota for nvidia.com/gpu in flavor lab-main-h100',
  positionInLocalQueue: 0,
  positionInClusterQueue: 1,
  estimatedStart: inHours(2),
};

/** A signal API whose messages the test sends. */
function fakeSignals() {
  const subscribers = new Map<string, Array<(m: any) => void>>();
  return {
    api: {
      subscribe(channel: string, onMessage: (m: any) => void) {
        subscribers.set(channel, [
          ...(subscribers.get(channel) ?? []),
          onMessage,
        ]);
        return { unsubscribe: () => undefined };
      },
    },
    send(channel: string, message: object) {
      for (const s of subscribers.get(channel) ?? []) s(message);
    },
    channels: () => [...subscribers.keys()],
  };
}

function fakeApi(list: () => GpuWorkloadList): GpuPoolApi {
  return {
    listPools: jest.fn(),
    listRequests: jest.fn(),
    getRequest: jest.fn(),
    createRequest: jest.fn(),
    act: jest.fn(),
    // Answers on a later task, as a real fetch does: the page's update then
    // lands while the test waits (inside act), not while render returns.
    listWorkloads: jest.fn(
      () => new Promise(resolve => setTimeout(() => resolve(list()), 0)),
    ),
  };
}

describe('the job page', () => {
  it("shows the team's jobs with state, queue position, reason and estimated start, and follows them live", async () => {
    let list: GpuWorkloadList = { items: [running, queued], errors: [] };
    const signals = fakeSignals();
    const api = fakeApi(() => list);
    await renderInTestApp(<WorkloadsView />, {
      apis: [
        [gpuPoolApiRef, api],
        [signalApiRef, signals.api],
      ],
    });
    const chip = (job: string) =>
      document.querySelector(`[data-job="${job}"]`)?.getAttribute('data-state');
    await waitFor(() => expect(chip('train-b')).toBe('pending'));
    expect(chip('train-a')).toBe('running');
    expect(screen.getByTestId('position-job-train-b-2').textContent).toBe(
      '#1 in the namespace, #2 in the team queue',
    );
    expect(screen.getByText(/insufficient unused quota/)).toBeTruthy();
    expect(screen.getByText(/starts in 2 hours \(estimate\)/)).toBeTruthy();
    expect(
      screen.getByText(/2 × nvidia.com\/gpu \(lab-main-h100\)/),
    ).toBeTruthy();
    expect(signals.channels()).toContain('gpu-pool:workloads');

    // Kueue admits the queued job: the backend signals, the page reloads.
    list = {
      items: [
        { ...running, state: 'finished', finishedAt: new Date().toISOString() },
        {
          ...queued,
          state: 'admitted',
          positionInLocalQueue: undefined,
          estimatedStart: undefined,
        },
      ],
      errors: [],
    };
    act(() =>
      signals.send('gpu-pool:workloads', {
        team: 'group:default/ml-team',
        cluster: 'lab-main',
        namespace: 'ml-jobs',
      }),
    );
    await waitFor(() => expect(chip('train-b')).toBe('admitted'));
    expect(chip('train-a')).toBe('finished');
  });

  it('names the clusters that did not answer, and explains an empty list', async () => {
    await renderInTestApp(<WorkloadsView />, {
      apis: [
        [
          gpuPoolApiRef,
          fakeApi(() => ({
            items: [],
            errors: [
              { cluster: 'lab-edge', message: 'cluster lab-edge: down' },
            ],
          })),
        ],
        [signalApiRef, fakeSignals().api],
      ],
    });
    expect((await screen.findByTestId('cluster-errors')).textContent).toContain(
      'lab-edge',
    );
    expect(screen.getByText(/No jobs of your teams/)).toBeTruthy();
  });

  it("lists a job's Kueue conditions under its reason", async () => {
    await renderInTestApp(<WorkloadsView />, {
      apis: [
        [gpuPoolApiRef, fakeApi(() => ({ items: [running], errors: [] }))],
        [signalApiRef, fakeSignals().api],
      ],
    });
    const details = await screen.findByTestId('conditions-job-train-a-1');
    expect(details.querySelector('summary')!.textContent).toBe('Admitted');
    expect(details.textContent).toContain('Admitted=True');
    expect(details.textContent).toContain('Admitted: The workload is admitted');
  });
});
