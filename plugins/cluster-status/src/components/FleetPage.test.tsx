import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ClusterSummary } from '@internal/plugin-cluster-status-common';
import { screen } from '@testing-library/react';
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
    { name: 'gpu-1', health: 'ready', gpuModel: 'NVIDIA-H100-80GB-HBM3', gpuTotal: 8, gpuAllocated: 3 },
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

function apiReturning(
  listClusters: ClusterStatusApi['listClusters'],
): ClusterStatusApi {
  return { listClusters, getCluster: jest.fn() };
}

describe('FleetContent', () => {
  it('shows a card per cluster with GPU figures, and an unreachable cluster as such', async () => {
    await renderInTestApp(<FleetContent />, {
      apis: [[clusterStatusApiRef, apiReturning(async () => [main, edge])]],
    });
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

  it('shows the empty state without clusters', async () => {
    await renderInTestApp(<FleetContent />, {
      apis: [[clusterStatusApiRef, apiReturning(async () => [])]],
    });
    expect(
      await screen.findByText('No clusters are configured.'),
    ).toBeInTheDocument();
  });

  it('shows the error state when the backend fails', async () => {
    await renderInTestApp(<FleetContent />, {
      apis: [
        [
          clusterStatusApiRef,
          apiReturning(async () => {
            throw new Error('backend down');
          }),
        ],
      ],
    });
    expect(
      await screen.findByText(/Could not load cluster status/),
    ).toBeInTheDocument();
  });
});
