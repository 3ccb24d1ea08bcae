import {
  BackstageCredentials,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_KUBERNETES_NAMESPACE,
  KUBERNETES_NAMESPACE_RESOURCE_TYPE,
  QualityFacts,
  QualityReport,
  evaluateQualityChecks,
  resolveOwnerRef,
} from '@internal/plugin-catalog-curation-common';
import { PipelineInspector } from './PipelineInspector';

/** The scorecard of an entity. */
export interface QualityService {
  getQuality(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<QualityReport>;
}

function refOrUndefined(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * Gathers the facts of the checks from the catalog (as the caller, so that
 * nobody learns of entities they may not read) and the source repository.
 */
export class DefaultQualityService implements QualityService {
  readonly #catalog: CatalogService;
  readonly #pipelines: PipelineInspector;
  readonly #lifecycles: string[];

  static create(options: {
    catalog: CatalogService;
    reader: UrlReaderService;
    logger: LoggerService;
    lifecycles: string[];
  }): DefaultQualityService {
    return new DefaultQualityService(options);
  }

  private constructor(options: {
    catalog: CatalogService;
    reader: UrlReaderService;
    logger: LoggerService;
    lifecycles: string[];
  }) {
    this.#catalog = options.catalog;
    this.#pipelines = PipelineInspector.create({
      reader: options.reader,
      logger: options.logger,
    });
    this.#lifecycles = options.lifecycles;
  }

  async getQuality(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<QualityReport> {
    const entity = await this.#catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const facts = await this.#facts(entity, credentials);
    const checks = evaluateQualityChecks(entity, facts);
    const applicable = checks.filter(c => c.status !== 'not-applicable');
    return {
      entityRef: stringifyEntityRef(entity),
      passed: applicable.filter(c => c.status === 'pass').length,
      applicable: applicable.length,
      checks,
    };
  }

  async #facts(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<QualityFacts> {
    const namespace = entity.metadata.namespace ?? 'default';
    const ownerRef = resolveOwnerRef(entity);
    const ownerIsGroupRef = ownerRef?.startsWith('group:') ?? false;
    const systemRef = refOrUndefined(entity.spec?.system, 'system', namespace);
    const apiRefs = (
      Array.isArray(entity.spec?.providesApis) ? entity.spec!.providesApis : []
    )
      .map(ref => refOrUndefined(ref, 'api', namespace))
      .filter((ref): ref is string => ref !== undefined);

    const [related, namespaces, pipeline] = await Promise.all([
      this.#catalog.getEntitiesByRefs(
        {
          entityRefs: [
            ...(ownerIsGroupRef && ownerRef ? [ownerRef] : []),
            ...(systemRef ? [systemRef] : []),
            ...apiRefs,
          ],
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'spec.definition',
          ],
        },
        { credentials },
      ),
      ownerIsGroupRef && ownerRef
        ? this.#catalog.getEntities(
            {
              filter: {
                kind: 'Resource',
                'spec.type': KUBERNETES_NAMESPACE_RESOURCE_TYPE,
                'relations.ownedBy': ownerRef,
              },
              fields: ['metadata.name', 'metadata.annotations'],
            },
            { credentials },
          )
        : Promise.resolve({ items: [] as Entity[] }),
      this.#pipelines.inspect(entity),
    ]);

    const found = new Map<string, Entity>();
    for (const item of related.items) {
      if (item) {
        found.set(stringifyEntityRef(item).toLocaleLowerCase('en-US'), item);
      }
    }
    return {
      ownerIsGroup: ownerIsGroupRef && !!ownerRef && found.has(ownerRef),
      systemExists: !!systemRef && found.has(systemRef),
      lifecycles: this.#lifecycles,
      providedApis: apiRefs.map(ref => {
        const api = found.get(ref);
        const definition = api?.spec?.definition;
        return {
          ref,
          found: !!api,
          hasDefinition:
            typeof definition === 'string' && definition.trim() !== '',
        };
      }),
      pipeline,
      teamNamespaces: namespaces.items.map(
        ns =>
          ns.metadata.annotations?.[ANNOTATION_KUBERNETES_NAMESPACE] ??
          ns.metadata.name,
      ),
    };
  }
}
