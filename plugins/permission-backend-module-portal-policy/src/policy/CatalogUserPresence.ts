import {
  AuthService,
  CacheService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Whether a signed-in user still exists, asked on every decision of the
 * portal policy. A Backstage token carries the user's identity until it
 * expires; this is how someone removed from the directory loses their rights
 * at once rather than at the token's expiry.
 *
 * @public
 */
export interface UserPresence {
  /** True only when the user entity is known to exist. */
  isPresent(userEntityRef: string): Promise<boolean>;
}

/** How long a user seen in the catalog counts as present without asking again. */
export const DEFAULT_PRESENCE_CACHE_MS = 5_000;

const cacheKey = (ref: string) => `user-presence:${ref}`;

/**
 * {@link UserPresence} from the catalog: the user entity must exist. Users
 * found are remembered briefly in the permission plugin's cache
 * (`coreServices.cache`, so a page's batch of checks asks once, and replicas
 * on a shared cache store ask once between them); absence is never
 * remembered. A catalog that cannot answer counts as absent (fail closed); a
 * cache that cannot answer only means asking the catalog.
 *
 * @public
 */
export class CatalogUserPresence implements UserPresence {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #cache: CacheService;
  readonly #cacheMs: number;
  /** Lookups in flight in this process, so concurrent checks of one user ask once. */
  readonly #pending = new Map<string, Promise<boolean>>();

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    cache: CacheService;
    /** How long a present user is remembered (default {@link DEFAULT_PRESENCE_CACHE_MS}). */
    cacheMs?: number;
  }): CatalogUserPresence {
    return new CatalogUserPresence(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    cache: CacheService;
    cacheMs?: number;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#cache = options.cache;
    this.#cacheMs = options.cacheMs ?? DEFAULT_PRESENCE_CACHE_MS;
  }

  async isPresent(userEntityRef: string): Promise<boolean> {
    const ref = userEntityRef.toLocaleLowerCase('en-US');
    if (await this.#remembered(ref)) {
      return true;
    }
    let pending = this.#pending.get(ref);
    if (!pending) {
      pending = this.#lookUp(ref).finally(() => this.#pending.delete(ref));
      this.#pending.set(ref, pending);
    }
    return pending;
  }

  async #remembered(ref: string): Promise<boolean> {
    try {
      return (await this.#cache.get(cacheKey(ref))) === true;
    } catch (error) {
      this.#logger.warn(
        `The presence cache could not be read; asking the catalog about ${ref}`,
        {
          userEntityRef: ref,
          error: String(error),
        },
      );
      return false;
    }
  }

  async #lookUp(ref: string): Promise<boolean> {
    let present: boolean;
    try {
      const entity = await this.#catalog.getEntityByRef(ref, {
        credentials: await this.#auth.getOwnServiceCredentials(),
      });
      present = entity?.kind.toLocaleLowerCase('en-US') === 'user';
    } catch (error) {
      this.#logger.warn(
        `Denied ${ref}: the catalog could not tell whether the user exists`,
        { userEntityRef: ref, error: String(error) },
      );
      present = false;
    }
    try {
      if (present) {
        await this.#cache.set(cacheKey(ref), true, { ttl: this.#cacheMs });
      } else {
        await this.#cache.delete(cacheKey(ref));
      }
    } catch (error) {
      // The catalog's answer stands; only the next check asks again.
      this.#logger.warn(`The presence cache could not be updated for ${ref}`, {
        userEntityRef: ref,
        error: String(error),
      });
    }
    return present;
  }
}
