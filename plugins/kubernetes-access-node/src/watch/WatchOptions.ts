import { BackoffOptions } from './Backoff';

/**
 * One change delivered by a watch.
 *
 * @public
 */
export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

/**
 * Options of a long-running watch.
 *
 * @public
 */
export interface WatchOptions<T> {
  /** Restricts the watch to one namespace; all namespaces when omitted. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Stops the watch; the returned promise resolves once everything is closed. */
  signal: AbortSignal;
  /**
   * Called for every change after the latest (re)list, in order. The next
   * event is not delivered before a returned promise settles. Errors thrown
   * here are logged and do not stop the watch.
   */
  onEvent(event: WatchEvent<T>): void | Promise<void>;
  /**
   * Called with the complete current state after the initial list and after
   * every relist (when the server no longer has the history needed to resume,
   * HTTP 410 Gone). Consumers should replace, not merge, their state.
   */
  onResync?(items: T[]): void | Promise<void>;
  /**
   * Called with the translated error whenever an attempt fails; the watch
   * keeps retrying with backoff until aborted.
   */
  onError?(error: Error): void;
  /** Backoff between failed attempts. */
  backoff?: BackoffOptions;
  /**
   * Server-side lifetime of one watch connection in seconds; the watch then
   * transparently resumes. Defaults to a random value between 5 and 10
   * minutes so that many watchers do not reconnect at the same time.
   */
  timeoutSeconds?: number;
  /** Page size of the (re)list. Defaults to 500. */
  listPageSize?: number;
}
