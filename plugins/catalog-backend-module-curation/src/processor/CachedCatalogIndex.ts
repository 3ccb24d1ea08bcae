import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CatalogIndex,
  createCatalogIndex,
} from '@internal/plugin-catalog-curation-common';

/** A snapshot of the catalog's names, and how old it is. */
export interface IndexSnapshot {
  index: CatalogIndex;
  /** Number of Groups in the catalog when the snapshot was taken. */
  groupCount: number;
  takenAt: number;
}

/**
 * The names of every entity in the catalog, read with one request and kept
 * for a short while, so that processing thousands of entities costs one
 * catalog query per `ttlMs` (single flight), not one per entity.
 *
 * Groups the processor has just seen are remembered too: on a first
 * ingestion a component is often processed before its group has been
 * stitched into the catalog.
 */
export class CachedCatalogIndex {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #ttlMs: number;
  readonly #minRefreshIntervalMs: number;
  readonly #requestTimeoutMs: number;
  readonly #now: () => number;
  readonly #seenGroups = new Map<string, number>();
  #snapshot?: IndexSnapshot;
  #inFlight?: Promise<IndexSnapshot | undefined>;
  #lastAttempt = 0;

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    ttlMs?: number;
    minRefreshIntervalMs?: number;
    requestTimeoutMs?: number;
    now?: () => number;
  }): CachedCatalogIndex {
    return new CachedCatalogIndex(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    ttlMs?: number;
    minRefreshIntervalMs?: number;
    requestTimeoutMs?: number;
    now?: () => number;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#minRefreshIntervalMs = options.minRefreshIntervalMs ?? 5_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Remembers a Group the processor has just processed. */
  noteGroup(groupRef: string): void {
    this.#seenGroups.set(groupRef.toLocaleLowerCase('en-US'), this.#now());
  }

  /**
   * The current snapshot, refreshed when older than the TTL. With
   * `maxAgeMs`, refreshes an older snapshot too, but never more often than
   * the minimum refresh interval. Resolves to undefined when the catalog
   * cannot be read and no snapshot exists yet.
   */
  async get(options: { maxAgeMs?: number } = {}): Promise<IndexSnapshot | undefined> {
    const now = this.#now();
    const maxAge = Math.min(options.maxAgeMs ?? this.#ttlMs, this.#ttlMs);
    const snapshot = this.#snapshot;
    const stale = !snapshot || now - snapshot.takenAt > maxAge;
    const mayRefresh = now - this.#lastAttempt >= this.#minRefreshIntervalMs;
    if (stale && (mayRefresh || !snapshot)) {
      if (!this.#inFlight && mayRefresh) {
        this.#lastAttempt = now;
        this.#inFlight = this.#refresh().finally(() => {
          this.#inFlight = undefined;
        });
      }
      if (this.#inFlight) {
        return this.#withSeenGroups(await this.#inFlight);
      }
    }
    return this.#withSeenGroups(this.#snapshot);
  }

  #withSeenGroups(snapshot?: IndexSnapshot): IndexSnapshot | undefined {
    if (!snapshot) {
      return undefined;
    }
    const horizon = this.#now() - 10 * this.#ttlMs;
    for (const [ref, at] of this.#seenGroups) {
      if (at < horizon) {
        this.#seenGroups.delete(ref);
      }
    }
    const seen = this.#seenGroups;
    return {
      ...snapshot,
      index: {
        hasGroup: ref =>
          snapshot.index.hasGroup(ref) ||
          seen.has(ref.toLocaleLowerCase('en-US')),
        refsNamed: name => snapshot.index.refsNamed(name),
      },
    };
  }

  async #refresh(): Promise<IndexSnapshot | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const credentials = await this.#auth.getOwnServiceCredentials();
      const request = this.#catalog.getEntities(
        { fields: ['kind', 'metadata.name', 'metadata.namespace'] },
        { credentials },
      );
      // The catalog answers over HTTP; before the server listens, or when it
      // hangs, processing must go on rather than wait.
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${this.#requestTimeoutMs} ms`)),
          this.#requestTimeoutMs,
        );
      });
      const { items } = await Promise.race([request, timeout]);
      const index = createCatalogIndex(items);
      const groupCount = items.filter(
        e => e.kind.toLocaleLowerCase('en-US') === 'group',
      ).length;
      this.#snapshot = { index, groupCount, takenAt: this.#now() };
      this.#logger.debug('Catalog curation index refreshed', {
        entities: items.length,
        groups: groupCount,
      });
    } catch (error) {
      this.#logger.warn(
        'Catalog curation could not read the catalog; ownership and name rules are skipped until it can',
        { error: String(error) },
      );
    } finally {
      clearTimeout(timer);
    }
    return this.#snapshot;
  }
}

/** Lower-case ref of an entity. */
export function refOf(entity: Parameters<typeof stringifyEntityRef>[0]): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}
