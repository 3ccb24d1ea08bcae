import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  ClusterGpuActivity,
  ClusterSummary,
} from '@internal/plugin-cluster-status-common';
import { act, screen } from '@testing-library/react';
import { ClusterStatusApi, clusterStatusApiRef } from '../api/ClusterStatusApi';
import { FleetContent } from './FleetPage';

const count = (total: number, allocated: number, free: number) => ({
  total,
  allocated,
  free,
  unavailable: total - allocated - free,
});

const main: ClusterSummary = {
  name: 'lab-main',
  title: 'Main cluster',
  status: 'reachable',
  version: 'v1.31.4',
  lastContact: new Date().toISOString(),
  nodes: { total: 2, ready: 1, notReady: 1, cordoned: 0 },
  pods: { total: 3, running: 2, pending: 1, failed: 0 },
  cpu: { allocatable: 64, requested: 10 },
  memory: { allocatable: 2 ** 40, requested: 2 ** 38 },
  gpus: {
    ...count(8, 3, 5),
    byModel: [{ model: 'NVIDIA-H100-80GB-HBM3', ...count(8, 3, 5) }],
    byProfile: [{ profile: '1g.10gb', ...count(14, 1, 13) }],
  },
  nodeTiles: [
    {
      name: 'gpu-1',
      health: 'ready',
      gpuModel: 'NVIDIA-H100-80GB-HBM3',
      gpuTotal: 8,
      gpuAllocated: 3,
    },
    { name: 'gpu-2', health: 'not-ready', gpuTotal: 0, gpuAllocated: 0 },
  ],
};

const edge: ClusterSummary = {
  ...main,
  name: 'lab-edge',
  title: 'Edge cluster',
  status: 'unreachable',
  error: 'connect ECONNREFUSED',
  gpus: { ...count(0, 0, 0), byModel: [], byProfile: [] },
  nodeTiles: [],
  nodes: { total: 0, ready: 0, notReady: 0, cordoned: 0 },
};

const activity = (
  cluster: string,
  status: ClusterGpuActivity['status'],
  extra: Partial<ClusterGpuActivity> = {},
): ClusterGpuActivity => ({
  cluster,
  status,
  windowSeconds: 60,
  busyThreshold: 0.05,
  updatedAt: new Date().toISOString(),
  byModel: [],
  byProfile: [],
  ...extra,
});

function apiReturning(
  listClusters: ClusterStatusApi['listClusters'],
  listGpuActivity: ClusterStatusApi['listGpuActivity'] = async () => [],
): ClusterStatusApi {
  return { listClusters, getCluster: jest.fn(), listGpuActivity };
}

// renderInTestApp renders synchronously; the API's first answer lands a
// moment later. Rendering inside an async act() lets that update land
// inside it too, as the page a user sees once loaded.
async function renderFleet(api: ClusterStatusApi) {
  await act(async () => {
    renderInTestApp(<FleetContent />, { apis: [[clusterStatusApiRef, api]] });
  });
}

// Rendering the whole card takes seconds on the shared CI machine.
jest.setTimeout(30_000);

describe('FleetContent', () => {
  it('shows a card per cluster with GPU figures, and an unreachable cluster as such', async () => {
    await renderFleet(apiReturning(async () => [main, edge]));
    expect(await screen.findByText('Main cluster')).toBeInTheDocument();
    expect(screen.getByTestId('gpu-total-lab-main')).toHaveTextContent(
      '3 allocated · 5 free of 8',
    );
    expect(
      screen.getByTestId('gpu-model-lab-main-NVIDIA-H100-80GB-HBM3'),
    ).toHaveTextContent('NVIDIA-H100-80GB-HBM3');
    expect(screen.getByText('MIG 1g.10gb')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByTestId('cluster-card-lab-edge')).toHaveAttribute(
      'data-status',
      'unreachable',
    );
    expect(screen.getByText(/connect ECONNREFUSED/)).toBeInTheDocument();
  });

  it('shows busy against allocated per model, and "no GPU metrics" rather than idle', async () => {
    await renderFleet(
      apiReturning(
        async () => [
          main,
          { ...main, name: 'lab-b', title: 'B' },
          { ...main, name: 'lab-c', title: 'C' },
        ],
        async () => [
          activity('lab-main', 'available', {
            byModel: [
              {
                model: 'NVIDIA-H100-80GB-HBM3',
                allocatable: 8,
                allocated: 3,
                busy: 1,
                reporting: 8,
              },
            ],
            byProfile: [
              {
                profile: '1g.10gb',
                allocatable: 14,
                allocated: 1,
                busy: 1,
                reporting: 10,
              },
            ],
          }),
          activity('lab-b', 'not-configured', {
            byModel: [
              {
                model: 'NVIDIA-H100-80GB-HBM3',
                allocatable: 8,
                allocated: 3,
              },
            ],
          }),
          activity('lab-c', 'unavailable', {
            error:
              'GPU metrics of cluster "lab-c" are unavailable: Prometheus at http://p:9090 cannot be reached (ECONNREFUSED)',
          }),
        ],
      ),
    );
    const h100 = await screen.findByTestId(
      'gpu-busy-lab-main-NVIDIA-H100-80GB-HBM3',
      {},
      { timeout: 10_000 },
    );
    expect(h100).toHaveTextContent(
      '1 busy · 2 allocated but idle · 3 allocated of 8',
    );
    expect(screen.getByTestId('gpu-busy-lab-main-1g.10gb')).toHaveTextContent(
      '1 busy · 0 allocated but idle · 1 allocated of 14',
    );
    expect(
      screen.getByText('10 of 14 GPUs report metrics'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/at least 5% over the last 60 s/),
    ).toBeInTheDocument();
    const b = screen.getByTestId('gpu-activity-lab-b');
    expect(b).toHaveAttribute('data-status', 'not-configured');
    expect(b).toHaveTextContent('No GPU metrics');
    expect(b).not.toHaveTextContent(/allocated but idle/);
    expect(
      screen.queryByTestId('gpu-busy-lab-b-NVIDIA-H100-80GB-HBM3'),
    ).toBeNull();
    const c = screen.getByTestId('gpu-activity-lab-c');
    expect(c).toHaveAttribute('data-status', 'unavailable');
    expect(c).toHaveTextContent(/GPU metrics are unavailable.*ECONNREFUSED/);
  });

  it('renders the fleet when GPU activity cannot be loaded', async () => {
    await renderFleet(
      apiReturning(
        async () => [main],
        async () => {
          throw new Error('activity down');
        },
      ),
    );
    expect(await screen.findByText('Main cluster')).toBeInTheDocument();
    expect(
      await screen.findByText(
        /GPU activity could not be loaded: activity down/,
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('gpu-total-lab-main')).toHaveTextContent(
      '3 allocated · 5 free of 8',
    );
  });

  it('shows the empty state without clusters', async () => {
    await renderFleet(apiReturning(async () => []));
    expect(
      await screen.findByText('No clusters are configured.'),
    ).toBeInTheDocument();
  });

  it('shows the error state when the backend fails', async () => {
    await renderFleet(
      apiReturning(async () => {
        throw new Error('backend down');
      }),
    );
    expect(
      await screen.findByText(/Could not load cluster status/),
    ).toBeInTheDocument();
  });
});
