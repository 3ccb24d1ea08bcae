import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import {
  CLUSTER_STATUS_SIGNAL_CHANNEL,
  ClusterStatusSignal,
  ClusterSummary,
} from '@internal/plugin-cluster-status-common';
import { act, screen } from '@testing-library/react';
import { ClusterStatusApi, clusterStatusApiRef } from '../api/ClusterStatusApi';
import { useClusterData } from './useClusterData';

/** A signals API whose test sends the messages. */
function fakeSignals() {
  const subscribers: Array<(message: ClusterStatusSignal) => void> = [];
  const channels: string[] = [];
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const subscriber = onMessage as unknown as (
        message: ClusterStatusSignal,
      ) => void;
      channels.push(channel);
      subscribers.push(subscriber);
      return {
        unsubscribe() {
          subscribers.splice(subscribers.indexOf(subscriber), 1);
        },
      };
    },
  };
  const send = (cluster: string) =>
    act(async () =>
      subscribers.forEach(s =>
        s({
          cluster,
          status: 'reachable',
          updatedAt: new Date().toISOString(),
        }),
      ),
    );
  return { api, channels, send };
}

/**
 * A cluster status API whose `listClusters` calls the test answers one by
 * one; answer n names the cluster's title `load n`.
 */
function manualApi() {
  const pending: Array<() => void> = [];
  let calls = 0;
  const api: ClusterStatusApi = {
    listClusters() {
      calls += 1;
      const n = calls;
      return new Promise(resolve => {
        pending.push(() =>
          resolve([{ name: 'lab-main', title: `load ${n}` } as ClusterSummary]),
        );
      });
    },
    getCluster: jest.fn(),
    listGpuActivity: jest.fn(),
  };
  return {
    api,
    calls: () => calls,
    /** Answers the oldest call in flight. */
    answer: () => act(async () => pending.shift()!()),
  };
}

function Probe() {
  const { value, loading, live } = useClusterData(
    api => api.listClusters(),
    [],
    'lab-main',
  );
  return (
    <p data-testid="state">
      {loading ? 'loading' : `${value?.[0]?.title}${live ? ', live' : ''}`}
    </p>
  );
}

const shown = () => screen.getByTestId('state').textContent;

describe('useClusterData', () => {
  it('answers a signal that arrives during a load with one reload after it', async () => {
    const signals = fakeSignals();
    const backend = manualApi();
    await act(async () => {
      renderInTestApp(<Probe />, {
        apis: [
          [clusterStatusApiRef, backend.api],
          [signalApiRef, signals.api],
        ],
      });
    });
    expect(signals.channels).toEqual([CLUSTER_STATUS_SIGNAL_CHANNEL]);
    expect(shown()).toBe('loading');
    await backend.answer();
    expect(shown()).toBe('load 1, live');

    await signals.send('lab-main');
    expect(backend.calls()).toBe(2);
    // The cluster changes again while load 2 is in flight; load 2 may have
    // read it before that change.
    await signals.send('lab-main');
    expect(backend.calls()).toBe(2);
    // The previous answer stays on screen during the reload.
    expect(shown()).toBe('load 1, live');

    await backend.answer();
    expect(backend.calls()).toBe(3);
    await backend.answer();
    expect(shown()).toBe('load 3, live');
    // Exactly one reload: nothing more happens without signals.
    await act(() => new Promise(r => setTimeout(r, 300)));
    expect(backend.calls()).toBe(3);
  });

  it('ignores signals of other clusters', async () => {
    const signals = fakeSignals();
    const backend = manualApi();
    await act(async () => {
      renderInTestApp(<Probe />, {
        apis: [
          [clusterStatusApiRef, backend.api],
          [signalApiRef, signals.api],
        ],
      });
    });
    await backend.answer();
    await signals.send('lab-edge');
    expect(backend.calls()).toBe(1);
    await signals.send('lab-main');
    expect(backend.calls()).toBe(2);
  });
});
