// In-memory object store of one cluster: objects indexed by resource, then
// namespace, then name; one global resourceVersion counter; a bounded event
// history for watch resume. Stored objects are treated as immutable so their
// JSON can be cached and reused by every list that includes them.
import { Predicate } from './selectors';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Entry {
  obj: any;
  rv: number;
  json?: string;
}

export interface StoreEvent {
  rv: number;
  type: EventType;
  key: string;
  namespace: string;
  entry: Entry;
  /** The object before this change (MODIFIED/DELETED), so selector watches can emit ADDED/DELETED transitions. */
  old?: Entry;
}

export interface Watcher {
  key: string;
  namespace?: string;
  predicate?: Predicate;
  onEvent(type: EventType | 'BOOKMARK', entry: Entry): void;
}

export class ObjectStore {
  private rvCounter = 1;
  private readonly tables = new Map<string, Map<string, Map<string, Entry>>>();
  private history: StoreEvent[] = [];
  private historyStart = 0;
  /** Highest resourceVersion whose event is no longer kept: watches from before it get 410. */
  private compactedRv = 0;
  private readonly watchers = new Set<Watcher>();
  private readonly listeners: Array<(ev: StoreEvent) => void> = [];

  constructor(private readonly historyLimit = 1000) {}

  get resourceVersion(): number {
    return this.rvCounter;
  }

  get oldestWatchableRv(): number {
    return this.compactedRv;
  }

  /** Registers a synchronous listener for every change (used for quota status and CRD registry upkeep). */
  onChange(listener: (ev: StoreEvent) => void): void {
    this.listeners.push(listener);
  }

  static json(entry: Entry): string {
    if (entry.json === undefined) entry.json = JSON.stringify(entry.obj);
    return entry.json;
  }

  get(key: string, namespace: string, name: string): Entry | undefined {
    return this.tables.get(key)?.get(namespace)?.get(name);
  }

  /** Entries of a resource, optionally in one namespace, sorted by namespace/name like etcd keys. */
  list(key: string, namespace?: string): Entry[] {
    const table = this.tables.get(key);
    if (!table) return [];
    const out: Entry[] = [];
    const namespaces =
      namespace !== undefined ? [namespace] : [...table.keys()].sort();
    for (const ns of namespaces) {
      const byName = table.get(ns);
      if (!byName) continue;
      const names = [...byName.keys()].sort();
      for (const n of names) out.push(byName.get(n)!);
    }
    return out;
  }

  count(key: string, namespace?: string): number {
    const table = this.tables.get(key);
    if (!table) return 0;
    if (namespace !== undefined) return table.get(namespace)?.size ?? 0;
    let n = 0;
    for (const m of table.values()) n += m.size;
    return n;
  }

  /** Namespaces that hold at least one object of some resource (for namespace cascade). */
  keysWithNamespace(namespace: string): string[] {
    const out: string[] = [];
    for (const [key, table] of this.tables) {
      if ((table.get(namespace)?.size ?? 0) > 0) out.push(key);
    }
    return out;
  }

  private nextRv(): number {
    this.rvCounter += 1;
    return this.rvCounter;
  }

  private setEntry(
    key: string,
    namespace: string,
    name: string,
    entry: Entry | undefined,
  ): void {
    let table = this.tables.get(key);
    if (!table) {
      table = new Map();
      this.tables.set(key, table);
    }
    let byName = table.get(namespace);
    if (!byName) {
      byName = new Map();
      table.set(namespace, byName);
    }
    if (entry) byName.set(name, entry);
    else {
      byName.delete(name);
      if (byName.size === 0) table.delete(namespace);
    }
  }

  /**
   * Stores an object (create or replace) and assigns it the next resourceVersion.
   * `silent` is for fixture loading: no watch event is recorded.
   */
  put(key: string, obj: any, silent = false): Entry {
    const namespace: string = obj.metadata.namespace ?? '';
    const name: string = obj.metadata.name;
    const old = this.get(key, namespace, name);
    const rv = this.nextRv();
    obj.metadata.resourceVersion = String(rv);
    const entry: Entry = { obj, rv };
    this.setEntry(key, namespace, name, entry);
    if (silent) {
      this.compactedRv = rv;
      return entry;
    }
    this.emit({
      rv,
      type: old ? 'MODIFIED' : 'ADDED',
      key,
      namespace,
      entry,
      old,
    });
    return entry;
  }

  remove(key: string, namespace: string, name: string): Entry | undefined {
    const old = this.get(key, namespace, name);
    if (!old) return undefined;
    const rv = this.nextRv();
    // The DELETED event carries the final state with a new resourceVersion, like the real server.
    const obj = {
      ...old.obj,
      metadata: { ...old.obj.metadata, resourceVersion: String(rv) },
    };
    const entry: Entry = { obj, rv };
    this.setEntry(key, namespace, name, undefined);
    this.emit({ rv, type: 'DELETED', key, namespace, entry, old });
    return entry;
  }

  private emit(ev: StoreEvent): void {
    this.history.push(ev);
    if (this.history.length - this.historyStart > this.historyLimit) {
      this.compactedRv = this.history[this.historyStart].rv;
      this.historyStart += 1;
      if (this.historyStart > this.historyLimit) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const l of this.listeners) l(ev);
    for (const w of this.watchers) this.deliver(w, ev);
  }

  private deliver(w: Watcher, ev: StoreEvent): void {
    if (w.key !== ev.key) return;
    if (w.namespace !== undefined && w.namespace !== ev.namespace) return;
    if (!w.predicate) {
      w.onEvent(ev.type, ev.entry);
      return;
    }
    const nowMatches = ev.type !== 'DELETED' && w.predicate(ev.entry.obj);
    const wasMatching = ev.old ? w.predicate(ev.old.obj) : false;
    if (ev.type === 'DELETED') {
      if (wasMatching) w.onEvent('DELETED', ev.entry);
    } else if (nowMatches && wasMatching) {
      w.onEvent('MODIFIED', ev.entry);
    } else if (nowMatches) {
      w.onEvent('ADDED', ev.entry);
    } else if (wasMatching) {
      w.onEvent('DELETED', ev.entry);
    }
  }

  /**
   * Starts a watch. Replays kept events after `fromRv` (or throws 'expired'
   * when they are no longer kept), then follows live changes.
   */
  watch(w: Watcher, fromRv: number | undefined): () => void {
    if (fromRv !== undefined) {
      if (fromRv < this.compactedRv) {
        throw new RangeError('expired');
      }
      for (let i = this.historyStart; i < this.history.length; i++) {
        const ev = this.history[i];
        if (ev.rv > fromRv) this.deliver(w, ev);
      }
    }
    this.watchers.add(w);
    return () => {
      this.watchers.delete(w);
    };
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}
