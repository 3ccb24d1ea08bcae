import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_PIPELINE_STAGES,
  ANNOTATION_SOURCE_LOCATION,
  QualityFacts,
  detectPipelineStages,
  parsePipelineStagesAnnotation,
} from '@internal/plugin-catalog-curation-common';

type Pipeline = QualityFacts['pipeline'];

/**
 * Learns the stages of an entity's pipeline: from the annotation the golden
 * paths set, otherwise from the `.gitlab-ci.yml` at the source location when
 * the integration can reach it. CI files are cached for a while so that a
 * page view does not read the repository every time.
 */
export class PipelineInspector {
  readonly #reader: UrlReaderService;
  readonly #logger: LoggerService;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #cache = new Map<string, { at: number; pipeline: Pipeline }>();

  static create(options: {
    reader: UrlReaderService;
    logger: LoggerService;
    ttlMs?: number;
    timeoutMs?: number;
  }): PipelineInspector {
    return new PipelineInspector(options);
  }

  private constructor(options: {
    reader: UrlReaderService;
    logger: LoggerService;
    ttlMs?: number;
    timeoutMs?: number;
  }) {
    this.#reader = options.reader;
    this.#logger = options.logger;
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
  }

  async inspect(entity: Entity): Promise<Pipeline> {
    const annotations = entity.metadata.annotations ?? {};
    const declared = annotations[ANNOTATION_PIPELINE_STAGES];
    if (declared !== undefined) {
      return {
        stages: parsePipelineStagesAnnotation(declared),
        source: 'annotation',
      };
    }
    const source = annotations[ANNOTATION_SOURCE_LOCATION];
    if (!source?.startsWith('url:')) {
      return undefined;
    }
    let ciUrl: string;
    try {
      const base = source.slice('url:'.length);
      ciUrl = new URL(
        '.gitlab-ci.yml',
        base.endsWith('/') ? base : `${base}/`,
      ).toString();
    } catch {
      return undefined;
    }
    const cached = this.#cache.get(ciUrl);
    if (cached && Date.now() - cached.at < this.#ttlMs) {
      return cached.pipeline;
    }
    let pipeline: Pipeline;
    try {
      const response = await this.#reader.readUrl(ciUrl, {
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const text = (await response.buffer()).toString('utf8');
      pipeline = { stages: detectPipelineStages(text), source: 'gitlab-ci' };
    } catch (error) {
      // Unreachable, not allowed by the integrations, or no CI file: unknown.
      this.#logger.debug('Could not read the CI file', {
        url: ciUrl,
        error: String(error),
      });
      pipeline = undefined;
    }
    this.#cache.set(ciUrl, { at: Date.now(), pipeline });
    return pipeline;
  }
}
