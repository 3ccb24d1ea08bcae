import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_TECHDOCS_REF,
} from '../annotations';
import type { components } from '../generated/openapi';
import type { Exactly } from '../exactly';

/**
 * The quality checks of the scorecard, in the order they are shown.
 *
 * @public
 */
export const qualityCheckIds = [
  'owner',
  'system',
  'lifecycle',
  'techdocs',
  'api-definition',
  'pipeline',
  'kubernetes-namespace',
] as const;

/**
 * A quality check's id; the compiler holds {@link qualityCheckIds} to the
 * spec's `QualityCheckResult.id` enum.
 *
 * @public
 */
export type QualityCheckId = Exactly<
  (typeof qualityCheckIds)[number],
  components['schemas']['QualityCheckResult']['id']
>;

/**
 * The stages a secure pipeline has.
 *
 * @public
 */
export const pipelineStages = ['sast', 'image-scan', 'sbom'] as const;

/** @public */
export type PipelineStage = (typeof pipelineStages)[number];

/**
 * What is known about an entity beyond its own YAML, gathered by the
 * backend from the catalog and the source repository.
 *
 * @public
 */
export interface QualityFacts {
  /** Whether `spec.owner` resolves to a Group in the catalog. */
  ownerIsGroup: boolean;
  /** Lifecycles the catalog accepts. */
  lifecycles: string[];
  /** Whether `spec.system` names a System in the catalog. */
  systemExists: boolean;
  /** APIs the component provides, with whether each has a definition. */
  providedApis: Array<{ ref: string; found: boolean; hasDefinition: boolean }>;
  /**
   * The pipeline's stages and where they were learnt; undefined when
   * neither the annotation nor the CI file could tell.
   */
  pipeline?: { stages: PipelineStage[]; source: 'annotation' | 'gitlab-ci' };
  /** Namespaces (Kubernetes names) owned by the entity's owner group. */
  teamNamespaces: string[];
}

/**
 * The outcome of one check. `missing` names what to add (annotations,
 * fields, stages); `values` carries details for the message.
 *
 * @public
 */
export type QualityCheckResult = components['schemas']['QualityCheckResult'];

const deployableTypes = ['service', 'website'];

function isKind(entity: Entity, kind: string): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === kind;
}

function isDeployable(entity: Entity): boolean {
  return (
    isKind(entity, 'component') &&
    deployableTypes.includes(String(entity.spec?.type ?? ''))
  );
}

function result(
  id: QualityCheckId,
  passed: boolean,
  extra: Omit<QualityCheckResult, 'id' | 'status'> = {},
): QualityCheckResult {
  return passed ? { id, status: 'pass' } : { id, status: 'fail', ...extra };
}

const notApplicable = (id: QualityCheckId): QualityCheckResult => ({
  id,
  status: 'not-applicable',
});

/**
 * The pipeline stages required of an entity: everything for deployable
 * components, no image scan for libraries and other components that ship no
 * image.
 *
 * @public
 */
export function requiredPipelineStages(entity: Entity): PipelineStage[] {
  return isDeployable(entity)
    ? [...pipelineStages]
    : pipelineStages.filter(s => s !== 'image-scan');
}

/**
 * Runs the scorecard on one Component or API.
 *
 * @public
 */
export function evaluateQualityChecks(
  entity: Entity,
  facts: QualityFacts,
): QualityCheckResult[] {
  const annotations = entity.metadata.annotations ?? {};
  const isComponent = isKind(entity, 'component');
  const isApi = isKind(entity, 'api');
  const results: QualityCheckResult[] = [];

  results.push(
    result('owner', facts.ownerIsGroup, {
      missing: ['spec.owner'],
      values: { owner: String(entity.spec?.owner ?? '') },
    }),
  );

  if (isComponent || isApi) {
    const system = entity.spec?.system;
    results.push(
      result('system', typeof system === 'string' && facts.systemExists, {
        missing: ['spec.system'],
        values: { system: typeof system === 'string' ? system : '' },
      }),
    );
    const lifecycle = String(entity.spec?.lifecycle ?? '');
    results.push(
      result('lifecycle', facts.lifecycles.includes(lifecycle), {
        missing: ['spec.lifecycle'],
        values: { lifecycle, allowed: facts.lifecycles.join(', ') },
      }),
    );
  } else {
    results.push(notApplicable('system'), notApplicable('lifecycle'));
  }

  results.push(
    isComponent
      ? result('techdocs', Boolean(annotations[ANNOTATION_TECHDOCS_REF]), {
          missing: [ANNOTATION_TECHDOCS_REF],
        })
      : notApplicable('techdocs'),
  );

  if (isApi) {
    const definition = entity.spec?.definition;
    results.push(
      result(
        'api-definition',
        typeof definition === 'string' && definition.trim() !== '',
        { missing: ['spec.definition'] },
      ),
    );
  } else if (isComponent && facts.providedApis.length > 0) {
    const lacking = facts.providedApis
      .filter(api => !api.found || !api.hasDefinition)
      .map(api => api.ref);
    results.push(
      result('api-definition', lacking.length === 0, { missing: lacking }),
    );
  } else {
    results.push(notApplicable('api-definition'));
  }

  if (isComponent) {
    const required = requiredPipelineStages(entity);
    const present = facts.pipeline?.stages ?? [];
    const lacking = required.filter(s => !present.includes(s));
    results.push(
      result('pipeline', lacking.length === 0, {
        missing: lacking,
        // A key the frontend says in the portal's language, not text.
        values: { source: facts.pipeline?.source ?? 'unknown' },
      }),
    );
  } else {
    results.push(notApplicable('pipeline'));
  }

  if (isDeployable(entity)) {
    const namespace = annotations[ANNOTATION_KUBERNETES_NAMESPACE];
    const missing = [
      ANNOTATION_KUBERNETES_ID,
      ANNOTATION_KUBERNETES_NAMESPACE,
    ].filter(a => !annotations[a]);
    const owned =
      namespace !== undefined && facts.teamNamespaces.includes(namespace);
    results.push(
      result('kubernetes-namespace', missing.length === 0 && owned, {
        missing,
        values: {
          namespace: namespace ?? '',
          teamNamespaces: facts.teamNamespaces.join(', '),
        },
      }),
    );
  } else {
    results.push(notApplicable('kubernetes-namespace'));
  }

  return results;
}

/**
 * Finds the pipeline stages in the text of a `.gitlab-ci.yml`: job names,
 * stage names, templates included and tools invoked.
 *
 * @public
 */
export function detectPipelineStages(ciText: string): PipelineStage[] {
  const text = ciText.toLocaleLowerCase('en-US');
  const patterns: Record<PipelineStage, RegExp> = {
    sast: /\bsast\b|sast\.gitlab-ci\.yml|\bsemgrep\b|\bsonar(qube|-scanner)?\b|\bspotbugs\b/,
    'image-scan':
      /container[_-]scanning|\bimage[_-]scan\b|\btrivy\s+(image|i)\b|\bgrype\b/,
    sbom: /\bsbom\b|\bsyft\b|\bcyclonedx\b|dependency[_-]scanning/,
  };
  return pipelineStages.filter(stage => patterns[stage].test(text));
}

/**
 * Reads the pipeline-stages annotation of the golden paths.
 *
 * @public
 */
export function parsePipelineStagesAnnotation(value: string): PipelineStage[] {
  const named = value.split(',').map(s => s.trim().toLocaleLowerCase('en-US'));
  return pipelineStages.filter(stage => named.includes(stage));
}
