import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  CurationRulesConfig,
  RuleViolation,
  evaluateCurationRules,
  formatRuleViolation,
  resolveOwnerRef,
} from '@internal/plugin-catalog-curation-common';
import { CachedCatalogIndex, refOf } from './CachedCatalogIndex';

/**
 * Applies the curation rules to every entity the catalog processes. A broken
 * rule is emitted as a processing error: the entity keeps its last good
 * version (or stays out of the catalog when it never had one) and the error
 * shows on the entity and on the curation page.
 */
export class CurationRulesProcessor implements CatalogProcessor {
  readonly #index: CachedCatalogIndex;
  readonly #config: CurationRulesConfig;
  readonly #logger: LoggerService;

  static create(options: {
    index: CachedCatalogIndex;
    config: CurationRulesConfig;
    logger: LoggerService;
  }): CurationRulesProcessor {
    return new CurationRulesProcessor(options);
  }

  private constructor(options: {
    index: CachedCatalogIndex;
    config: CurationRulesConfig;
    logger: LoggerService;
  }) {
    this.#index = options.index;
    this.#config = options.config;
    this.#logger = options.logger;
  }

  getProcessorName(): string {
    return 'CurationRulesProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (entity.kind.toLocaleLowerCase('en-US') === 'group') {
      this.#index.noteGroup(refOf(entity));
    }
    if (!this.#config.enforce) {
      return entity;
    }
    const violations = await this.#evaluate(entity);
    for (const violation of violations) {
      const message = formatRuleViolation(violation);
      emit(
        violation.rule === 'owner-is-group' && violation.values?.owner
          ? processingResult.notFoundError(location, message)
          : processingResult.inputError(location, message),
      );
    }
    if (violations.length > 0) {
      this.#logger.debug('Entity breaks catalog curation rules', {
        entity: refOf(entity),
        rules: violations.map(v => v.rule).join(','),
      });
    }
    return entity;
  }

  async #evaluate(entity: Entity): Promise<RuleViolation[]> {
    let snapshot = await this.#index.get();
    if (!snapshot) {
      // The catalog cannot be read: judge only what the entity says itself.
      return evaluateCurationRules(
        entity,
        { hasGroup: () => true, refsNamed: () => [] },
        this.#config,
      );
    }
    let violations = evaluateCurationRules(entity, snapshot.index, this.#config);
    const ownerMissing = violations.some(
      v => v.rule === 'owner-is-group' && v.values?.owner?.startsWith('group:'),
    );
    if (ownerMissing) {
      // The group may have arrived since the snapshot: look again, at most
      // once per refresh interval for all entities together.
      snapshot = (await this.#index.get({ maxAgeMs: 0 })) ?? snapshot;
      violations = evaluateCurationRules(entity, snapshot.index, this.#config);
      if (snapshot.groupCount === 0) {
        // First ingestion: no group is in the catalog yet, so no owner can
        // resolve. Let the entity in; the next processing pass judges it.
        const ownerRef = resolveOwnerRef(entity);
        violations = violations.filter(
          v => !(v.rule === 'owner-is-group' && v.values?.owner === ownerRef),
        );
      }
    }
    return violations;
  }
}
