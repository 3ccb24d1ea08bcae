import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { act, screen } from '@testing-library/react';
import { useLive } from './common';

/** A signals API whose test sends the messages. */
function fakeSignals() {
  type Message = { change: string };
  const subscribers: Array<(message: Message) => void> = [];
  const api: SignalApi = {
    subscribe(_channel, onMessage) {
      const subscriber = onMessage as unknown as (message: Message) => void;
      subscribers.push(subscriber);
      return {
        unsubscribe() {
          subscribers.splice(subscribers.indexOf(subscriber), 1);
        },
      };
    },
  };
  return { api, send: (m: Message) => subscribers.forEach(s => s(m)) };
}

function Loads(props: { load: () => Promise<number> }) {
  const state = useLive(props.load);
  return <p>{state.value === undefined ? 'none' : `load ${state.value}`}</p>;
}

describe('useLive', () => {
  it('reloads once per signal, not again and again', async () => {
    const signals = fakeSignals();
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise(r => setTimeout(r, 5));
      return loads;
    };
    await act(async () => {
      renderInTestApp(<Loads load={load} />, {
        apis: [[signalApiRef, signals.api]],
      });
    });
    expect(await screen.findByText('load 1')).toBeTruthy();

    await act(async () => signals.send({ change: 'one' }));
    expect(await screen.findByText('load 2')).toBeTruthy();
    // Half a second later it has not loaded again (the old effect reloaded
    // about every round trip after the first signal).
    await act(() => new Promise(r => setTimeout(r, 500)));
    expect(loads).toBe(2);

    await act(async () => signals.send({ change: 'two' }));
    expect(await screen.findByText('load 3')).toBeTruthy();
    await act(() => new Promise(r => setTimeout(r, 300)));
    expect(loads).toBe(3);
  });
});
