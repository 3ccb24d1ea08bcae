import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { act, screen } from '@testing-library/react';
import { useLive } from './common';

// The reload rules (one reload per signal, also for a signal during a load)
// are tested with portal-react's useLiveReload; these cases cover what
// useLive adds: the channel and the state shape the views expect.

/** A signals API whose test sends the messages. */
function fakeSignals() {
  type Message = { change: string };
  const subscribers: Array<{
    channel: string;
    onMessage: (message: Message) => void;
  }> = [];
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const subscriber = {
        channel,
        onMessage: onMessage as unknown as (message: Message) => void,
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
    send: (m: Message) => subscribers.forEach(s => s.onMessage(m)),
  };
}

function Loads(props: { load: () => Promise<number> }) {
  const state = useLive(props.load);
  return (
    <p>
      {state.error && `error ${state.error.message}, `}
      {state.value === undefined ? 'none' : `load ${state.value}`}
    </p>
  );
}

describe('useLive', () => {
  it('reloads once per signal on the gpu-pool channel', async () => {
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
    expect(signals.channels()).toEqual(['gpu-pool']);

    await act(async () => signals.send({ change: 'one' }));
    expect(await screen.findByText('load 2')).toBeTruthy();
    await act(() => new Promise(r => setTimeout(r, 300)));
    expect(loads).toBe(2);
  });

  it('reports a failed reload as an error without the old value, as the views expect', async () => {
    const signals = fakeSignals();
    let loads = 0;
    const load = async () => {
      loads += 1;
      if (loads === 2) throw new Error('backend down');
      return loads;
    };
    await act(async () => {
      renderInTestApp(<Loads load={load} />, {
        apis: [[signalApiRef, signals.api]],
      });
    });
    expect(await screen.findByText('load 1')).toBeTruthy();
    await act(async () => signals.send({ change: 'one' }));
    // The views show the error panel only when there is no value.
    expect(await screen.findByText('error backend down, none')).toBeTruthy();
    await act(async () => signals.send({ change: 'two' }));
    expect(await screen.findByText('load 3')).toBeTruthy();
  });
});
