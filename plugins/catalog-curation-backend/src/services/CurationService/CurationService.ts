import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, NotFoundError, ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_ORPHAN,
  CurationReport,
  CurationRulesConfig,
  TeamCountsHistory,
} from '@internal/plugin-catalog-curation-common';
import { TeamCountsService } from '../TeamCountsService/TeamCountsService';
import { FailedRefreshState, analyseCatalog } from './analyseCatalog';

/** The curation report and the actions on it. */
export interface CurationService {
  getReport(credentials: BackstageCredentials): Promise<CurationReport>;
  /** Unregisters an orphaned entity, as the caller (the catalog decides). */
  unregisterOrphan(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void>;
  /** Counts per team over the last `days` days. */
  getHistory(
    days: number,
    credentials: BackstageCredentials,
  ): Promise<TeamCountsHistory>;
}

const ENTITY_FIELDS = [
  'kind',
  'metadata',
  'spec.owner',
  'spec.system',
  'spec.lifecycle',
  'spec.type',
  'relations',
  'status',
];

/** Reads the catalog with the plugin's own credentials. */
export class DefaultCurationService implements CurationService {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;
  readonly #logger: LoggerService;
  readonly #rules: CurationRulesConfig;
  readonly #teamCounts: TeamCountsService;
  readonly #fetch: typeof fetch;

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    discovery: DiscoveryService;
    logger: LoggerService;
    rules: CurationRulesConfig;
    teamCounts: TeamCountsService;
    fetch?: typeof fetch;
  }): DefaultCurationService {
    return new DefaultCurationService(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    discovery: DiscoveryService;
    logger: LoggerService;
    rules: CurationRulesConfig;
    teamCounts: TeamCountsService;
    fetch?: typeof fetch;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#logger = options.logger;
    this.#rules = options.rules;
    this.#teamCounts = options.teamCounts;
    this.#fetch = options.fetch ?? fetch;
  }

  async getHistory(days: number): Promise<TeamCountsHistory> {
    return this.#teamCounts.history(days);
  }

  async getReport(): Promise<CurationReport> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const [{ items }, failed] = await Promise.all([
      this.#catalog.getEntities({ fields: ENTITY_FIELDS }, { credentials }),
      this.#failedEntities(credentials),
    ]);
    return analyseCatalog({ entities: items, failed, rules: this.#rules });
  }

  async unregisterOrphan(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity?.metadata.uid) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    if (entity.metadata.annotations?.[ANNOTATION_ORPHAN] !== 'true') {
      throw new ConflictError(
        `${stringifyEntityRef(
          entity,
        )} is not orphaned; unregister its location instead`,
      );
    }
    // The caller's credentials: the catalog's delete permission decides.
    await this.#catalog.removeEntityByUid(entity.metadata.uid, { credentials });
    this.#logger.info('Unregistered orphaned entity', {
      entity: stringifyEntityRef(entity),
    });
  }

  /**
   * Entities the catalog could not process, from the unprocessed module:
   * its "failed" list, plus "pending" entities that carry errors (an entity
   * rejected on its first processing never gets a final row, so the module
   * lists it as pending).
   */
  async #failedEntities(
    credentials: BackstageCredentials,
  ): Promise<FailedRefreshState[]> {
    const [failed, pending] = await Promise.all([
      this.#unprocessed('failed', credentials),
      this.#unprocessed('pending', credentials),
    ]);
    const byId = new Map<string, FailedRefreshState>();
    for (const entry of [...failed, ...pending]) {
      if (entry.errors.length > 0 && !byId.has(entry.entityId)) {
        byId.set(entry.entityId, entry);
      }
    }
    return [...byId.values()];
  }

  async #unprocessed(
    reason: 'failed' | 'pending',
    credentials: BackstageCredentials,
  ): Promise<FailedRefreshState[]> {
    const baseUrl = await this.#discovery.getBaseUrl('catalog');
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'catalog',
    });
    let res: Response;
    try {
      res = await this.#fetch(`${baseUrl}/entities/unprocessed/${reason}`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      // The rest of the report is still worth showing.
      this.#logger.warn(
        'Could not list the entities the catalog failed to process',
        { reason, error: String(error) },
      );
      return [];
    }
    if (res.status === 404) {
      this.#logger.warn(
        'The catalog has no unprocessed-entities module; failed entities are not listed',
      );
      return [];
    }
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    const body = (await res.json()) as {
      entities?: Array<{
        entity_id: string | null;
        entity_ref: string | null;
        unprocessed_entity: Entity;
        // The unprocessed module answers errors as a JSON string.
        errors?: string | Array<{ name?: string; message?: string }> | null;
      }>;
    };
    // The pending list joins final_entities, whose empty columns hide the
    // ids of refresh_state: derive the ref from the entity itself.
    return (body.entities ?? []).map(e => {
      const entityRef =
        e.entity_ref ??
        stringifyEntityRef(e.unprocessed_entity).toLocaleLowerCase('en-US');
      return {
        entityId: e.entity_id ?? entityRef,
        entityRef,
        entity: e.unprocessed_entity,
        errors: errorList(e.errors).map(err => ({
          name: String(err.name ?? 'Error'),
          message: String(err.message ?? ''),
        })),
      };
    });
  }
}

function errorList(
  errors:
    | string
    | Array<{ name?: string; message?: string }>
    | null
    | undefined,
): Array<{ name?: string; message?: string }> {
  if (typeof errors === 'string') {
    try {
      const parsed = JSON.parse(errors);
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [{ name: 'Error', message: errors }];
    }
  }
  return Array.isArray(errors) ? errors : [];
}
