import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
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

/**
 * {@link UserPresence} from the catalog: the user entity must exist. Users
 * found are remembered briefly (so a page's batch of checks asks once);
 * absence is never remembered, and a catalog that cannot answer counts as
 * absent (fail closed).
 *
 * @public
 */
export class CatalogUserPresence implements UserPresence {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger: LoggerService;
  readonly #cacheMs: number;
  readonly #now: () => number;
  /** userEntityRef → until when it counts as present. */
  readonly #present = new Map<string, number>();
  /** Lookups in flight, so concurrent checks of one user ask once. */
  readonly #pending = new Map<string, Promise<boolean>>();

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    cacheMs?: number;
    now?: () => number;
  }): CatalogUserPresence {
    return new CatalogUserPresence(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    logger: LoggerService;
    cacheMs?: number;
    now?: () => number;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#cacheMs = options.cacheMs ?? DEFAULT_PRESENCE_CACHE_MS;
    this.#now = options.now ?? Date.now;
  }

  async isPresent(userEntityRef: string): Promise<boolean> {
    const ref = userEntityRef.toLocaleLowerCase('en-US');
    if ((this.#present.get(ref) ?? 0) > this.#now()) {
      return true;
    }
    let pending = this.#pending.get(ref);
    if (!pending) {
      pending = this.#lookUp(ref).finally(() => this.#pending.delete(ref));
      this.#pending.set(ref, pending);
    }
    return pending;
  }

  async #lookUp(ref: string): Promise<boolean> {
    try {
      const entity = await this.#catalog.getEntityByRef(ref, {
        credentials: await this.#auth.getOwnServiceCredentials(),
      });
      if (entity?.kind.toLocaleLowerCase('en-US') === 'user') {
        this.#present.set(ref, this.#now() + this.#cacheMs);
        return true;
      }
      this.#present.delete(ref);
      return false;
    } catch (error) {
      this.#present.delete(ref);
      this.#logger.warn(
        `Denied ${ref}: the catalog could not tell whether the user exists`,
        { userEntityRef: ref, error: String(error) },
      );
      return false;
    }
  }
}
