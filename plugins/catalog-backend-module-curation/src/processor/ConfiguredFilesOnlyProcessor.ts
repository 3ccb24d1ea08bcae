import fs from 'node:fs';
import path from 'node:path';
import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  parseEntityYaml,
  processingResult,
} from '@backstage/plugin-catalog-node';

/** Config files larger than this are not followed for nested locations. */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** How deep nested file Locations of configured files are followed. */
const MAX_DEPTH = 8;

/**
 * The `file` targets of `catalog.locations`, resolved like the catalog's
 * config provider does (from the backend's working directory).
 */
export function configuredFileTargets(config: Config): string[] {
  return (config.getOptionalConfigArray('catalog.locations') ?? [])
    .filter(location => location.getString('type') === 'file')
    .map(location => path.resolve(location.getString('target')));
}

/**
 * Lets the catalog read `file` locations only when config put them there.
 *
 * Users can register only `url` locations (catalog-backend refuses other
 * types), but `POST /validate-entity` takes the entity's location annotations
 * from the caller, so a `Location` entity with `type: file` could otherwise
 * make the built-in FileReaderProcessor read any host path (`/dev/zero`,
 * `/proc/self/environ`). This processor runs before it and claims every file
 * read whose target is not a configured file location or a file Location
 * target nested in one; those are refused with an input error.
 */
export class ConfiguredFilesOnlyProcessor implements CatalogProcessor {
  readonly #roots: string[];
  readonly #logger: LoggerService;
  #allowed: Set<string> = new Set();

  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): ConfiguredFilesOnlyProcessor {
    return new ConfiguredFilesOnlyProcessor(
      configuredFileTargets(config),
      options.logger,
    );
  }

  private constructor(roots: string[], logger: LoggerService) {
    this.#roots = roots;
    this.#logger = logger;
  }

  getProcessorName(): string {
    return 'ConfiguredFilesOnlyProcessor';
  }

  // Before FileReaderProcessor (default priority 20).
  getPriority(): number {
    return 5;
  }

  async readLocation(
    location: LocationSpec,
    _optional: boolean,
    emit: CatalogProcessorEmit,
  ): Promise<boolean> {
    if (location.type !== 'file') {
      return false;
    }
    if (await this.isAllowed(location.target)) {
      // Not ours to read: FileReaderProcessor reads it.
      return false;
    }
    this.#logger.warn('Refused to read a file location not in config', {
      target: location.target,
    });
    emit(
      processingResult.inputError(
        location,
        `file location ${location.target} is not configured in catalog.locations; only url locations may be registered`,
      ),
    );
    return true;
  }

  /**
   * Whether `target` is a configured file location or a file target of a
   * Location entity inside one. Config files change while the portal runs,
   * so a miss re-reads them before refusing.
   */
  async isAllowed(target: string): Promise<boolean> {
    const keys = await candidateKeys(target);
    if (keys.some(k => this.#allowed.has(k))) {
      return true;
    }
    this.#allowed = await this.#collect();
    return keys.some(k => this.#allowed.has(k));
  }

  async #collect(): Promise<Set<string>> {
    const allowed = new Set<string>();
    const visit = async (file: string, depth: number) => {
      const keys = await candidateKeys(file);
      if (keys.every(k => allowed.has(k))) {
        return;
      }
      keys.forEach(k => allowed.add(k));
      if (depth >= MAX_DEPTH) {
        return;
      }
      for (const nested of await nestedFileTargets(file)) {
        await visit(nested, depth + 1);
      }
    };
    for (const root of this.#roots) {
      await visit(root, 0);
    }
    return allowed;
  }
}

/** The resolved path and, when it exists, its real path (symlinks followed). */
async function candidateKeys(target: string): Promise<string[]> {
  const resolved = path.resolve(target);
  try {
    const real = await fs.promises.realpath(resolved);
    // A path and its real path are the same file: a configured symlink
    // allows what it points to, and a link to a configured file reads it.
    return real === resolved ? [resolved] : [resolved, real];
  } catch {
    return [resolved];
  }
}

/** Targets of `Location` entities of type file (the default) in a config file. */
async function nestedFileTargets(file: string): Promise<string[]> {
  let data: Buffer;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile() || stat.size > MAX_CONFIG_FILE_BYTES) {
      return [];
    }
    data = await fs.promises.readFile(file);
  } catch {
    return [];
  }
  const targets: string[] = [];
  for (const result of parseEntityYaml(data, { type: 'file', target: file })) {
    if (result.type !== 'entity' || result.entity.kind !== 'Location') {
      continue;
    }
    const spec = (result.entity.spec ?? {}) as {
      type?: unknown;
      target?: unknown;
      targets?: unknown;
    };
    if (spec.type !== undefined && spec.type !== 'file') {
      continue;
    }
    const listed = [
      ...(typeof spec.target === 'string' ? [spec.target] : []),
      ...(Array.isArray(spec.targets)
        ? spec.targets.filter((t): t is string => typeof t === 'string')
        : []),
    ];
    for (const t of listed) {
      targets.push(path.resolve(path.dirname(file), t));
    }
  }
  return targets;
}
