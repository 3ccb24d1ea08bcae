import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';
import { act, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { LiveReloadOptions, useLiveReload } from './useLiveReload';

/** A signals API whose test sends the messages. */
function fakeSignals() {
  const subscribers: Array<{
    channel: string;
    onMessage: (message: JsonObject) => void;
  }> = [];
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const subscriber = {
        channel,
        onMessage: onMessage as (message: JsonObject) => void,
      };
      subscribers.push(subscriber);
      return {
        unsubscribe() {
          subscribers.splice(subscribers.indexOf(subscriber), 1);
        },
      };
    },
  };
  return {
    api,
    channels: () => subscribers.map(s => s.channel),
    send: (channel: string, message: JsonObject) =>
      subscribers
        .filter(s => s.channel === channel)
        .forEach(s => s.onMessage(message)),
  };
}

/** Loads the test resolves one by one; each resolves with its number. */
function manualLoads() {
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> =
    [];
  let count = 0;
  const load = () => {
    count += 1;
    const n = count;
    return new Promise<number>((resolve, reject) => {
      pending.push({ resolve: () => resolve(n), reject });
    });
  };
  return {
    load,
    count: () => count,
    /** Ends the oldest load in flight. */
    resolve: () => act(async () => pending.shift()!.resolve()),
    fail: (message: string) =>
      act(async () => pending.shift()!.reject(new Error(message))),
  };
}

const wait = (ms: number) =>
  act(() => new Promise<void>(r => setTimeout(r, ms)));

function Probe(props: {
  load: () => Promise<number>;
  deps?: unknown[];
  options?: Partial<LiveReloadOptions<number, JsonObject>>;
}) {
  const state = useLiveReload(props.load, props.deps ?? [], {
    channel: 'test',
    ...props.options,
  });
  return (
    <p data-testid="state">
      {`value ${state.value ?? 'none'}, ${
        state.loading ? 'loading' : 'idle'
      }, error ${state.error?.message ?? 'none'}, ${
        state.live ? 'live' : 'not live'
      }`}
    </p>
  );
}

const shown = () => screen.getByTestId('state').textContent;

async function renderProbe(
  element: JSX.Element,
  signals: ReturnType<typeof fakeSignals> | undefined,
) {
  await act(async () => {
    renderInTestApp(
      element,
      signals ? { apis: [[signalApiRef, signals.api]] } : undefined,
    );
  });
}

describe('useLiveReload', () => {
  it('reloads once per signal, not again and again', async () => {
    const signals = fakeSignals();
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise(r => setTimeout(r, 5));
      return loads;
    };
    await renderProbe(<Probe load={load} />, signals);
    expect(await screen.findByText(/^value 1, idle/)).toBeInTheDocument();
    expect(signals.channels()).toEqual(['test']);

    await act(async () => signals.send('test', { change: 'one' }));
    expect(await screen.findByText(/^value 2, idle/)).toBeInTheDocument();
    // Half a second later it has not loaded again (an effect on
    // [lastSignal, retry] reloaded about every round trip after a signal).
    await wait(500);
    expect(loads).toBe(2);

    await act(async () => signals.send('test', { change: 'two' }));
    expect(await screen.findByText(/^value 3, idle/)).toBeInTheDocument();
    await wait(300);
    expect(loads).toBe(3);
  });

  it('answers signals that arrive during a load with one reload after it, showing the last value meanwhile', async () => {
    const signals = fakeSignals();
    const loads = manualLoads();
    await renderProbe(<Probe load={loads.load} />, signals);
    expect(shown()).toBe('value none, loading, error none, live');
    await loads.resolve();
    expect(shown()).toBe('value 1, idle, error none, live');

    await act(async () => signals.send('test', { change: 'a' }));
    expect(loads.count()).toBe(2);
    expect(shown()).toBe('value 1, loading, error none, live');
    // Two more changes while load 2 is in flight: react-use's retry is a
    // no-op now, so calling it would drop them.
    await act(async () => signals.send('test', { change: 'b' }));
    await act(async () => signals.send('test', { change: 'c' }));
    expect(loads.count()).toBe(2);

    await loads.resolve();
    // Load 2 may have read the data before b and c: exactly one more load.
    expect(loads.count()).toBe(3);
    expect(shown()).toBe('value 2, loading, error none, live');
    await loads.resolve();
    expect(shown()).toBe('value 3, idle, error none, live');
    await wait(300);
    expect(loads.count()).toBe(3);
  });

  it('reloads only for the signals that accept lets through', async () => {
    const signals = fakeSignals();
    const loads = manualLoads();
    const accept = (s: JsonObject) => s.cluster === 'lab-main';
    await renderProbe(
      <Probe load={loads.load} options={{ accept }} />,
      signals,
    );
    await loads.resolve();
    await act(async () => signals.send('test', { cluster: 'lab-edge' }));
    await act(async () => signals.send('other', { cluster: 'lab-main' }));
    expect(loads.count()).toBe(1);
    await act(async () => signals.send('test', { cluster: 'lab-main' }));
    expect(loads.count()).toBe(2);
  });

  it('keeps the last value after a failed reload, with the error', async () => {
    const signals = fakeSignals();
    const loads = manualLoads();
    await renderProbe(<Probe load={loads.load} deps={['a']} />, signals);
    await loads.resolve();
    await act(async () => signals.send('test', {}));
    await loads.fail('backend down');
    expect(shown()).toBe('value 1, idle, error backend down, live');
    await act(async () => signals.send('test', {}));
    await loads.resolve();
    expect(shown()).toBe('value 3, idle, error none, live');
  });

  it('does not show the value of the old deps while loading new ones', async () => {
    const signals = fakeSignals();
    const loads = manualLoads();
    let setDeps: (deps: string) => void = () => {};
    function Host() {
      const [deps, set] = useState('a');
      setDeps = set;
      return <Probe load={loads.load} deps={[deps]} />;
    }
    await renderProbe(<Host />, signals);
    await loads.resolve();
    expect(shown()).toBe('value 1, idle, error none, live');
    await act(async () => setDeps('b'));
    expect(loads.count()).toBe(2);
    expect(shown()).toBe('value none, loading, error none, live');
    await loads.resolve();
    expect(shown()).toBe('value 2, idle, error none, live');
  });

  it('polls every pollWithoutSignalsMs when signals are unavailable, only when asked', async () => {
    const loads = manualLoads();
    await renderProbe(
      <Probe load={loads.load} options={{ pollWithoutSignalsMs: 50 }} />,
      undefined,
    );
    await loads.resolve();
    expect(shown()).toBe('value 1, idle, error none, not live');
    await wait(120);
    expect(loads.count()).toBe(2);
  });

  it('does not poll without signals by default', async () => {
    const loads = manualLoads();
    await renderProbe(<Probe load={loads.load} />, undefined);
    await loads.resolve();
    expect(shown()).toBe('value 1, idle, error none, not live');
    await wait(200);
    expect(loads.count()).toBe(1);
  });

  it('polls every pollMs while pollWhile holds for the value', async () => {
    const signals = fakeSignals();
    const loads = manualLoads();
    await renderProbe(
      <Probe
        load={loads.load}
        options={{ pollWhile: n => n < 2, pollMs: 50 }}
      />,
      signals,
    );
    await loads.resolve();
    await wait(120);
    expect(loads.count()).toBe(2);
    await loads.resolve();
    expect(shown()).toBe('value 2, idle, error none, live');
    // With signals and a value that pollWhile lets go, it waits for signals.
    await wait(200);
    expect(loads.count()).toBe(2);
  });

  it('names the bad option', () => {
    // React logs the error it rethrows.
    const log = jest.spyOn(console, 'error').mockImplementation(() => {});
    const load = async () => 1;
    expect(() =>
      render(<Probe load={load} options={{ channel: '' }} />),
    ).toThrow(/options\.channel must be a non-empty string/);
    expect(() => render(<Probe load={load} options={{ pollMs: 0 }} />)).toThrow(
      /options\.pollMs must be a positive number/,
    );
    log.mockRestore();
  });
});
