import type { SignalApi } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';

/**
 * A signal API for tests: it records who subscribes to which channel, and
 * the test sends the messages, as the backend's signals would.
 *
 * @public
 */
export class TestSignalApi implements SignalApi {
  readonly #subscribers: Array<{
    channel: string;
    onMessage: (message: JsonObject) => void;
  }> = [];

  subscribe<T extends JsonObject = JsonObject>(
    channel: string,
    onMessage: (message: T) => void,
  ): { unsubscribe: () => void } {
    const subscriber = {
      channel,
      onMessage: onMessage as (message: JsonObject) => void,
    };
    this.#subscribers.push(subscriber);
    return {
      unsubscribe: () => {
        const at = this.#subscribers.indexOf(subscriber);
        if (at >= 0) this.#subscribers.splice(at, 1);
      },
    };
  }

  /** The channels subscribed to now, once per subscription. */
  channels(): string[] {
    return this.#subscribers.map(s => s.channel);
  }

  /** Delivers `message` to the current subscribers of `channel`. */
  send(channel: string, message: JsonObject): void {
    for (const s of this.#subscribers.filter(x => x.channel === channel)) {
      s.onMessage(message);
    }
  }
}
