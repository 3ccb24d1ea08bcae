import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';

/** A file of a template's directory, as the scaffolder's dry run takes it. */
export interface TemplateFile {
  path: string;
  base64Content: string;
}

/**
 * Reads the files next to a template (its skeleton), which the scaffolder's
 * dry run needs but the catalog does not hold.
 */
export interface TemplateFiles {
  read(template: Entity): Promise<TemplateFile[]>;
}

const MAX_FILES = 500;
const MAX_BYTES = 4 * 1024 * 1024;
const LOCATION = 'backstage.io/managed-by-location';

/**
 * Templates registered from a `file:` location (the portal's own golden
 * paths) are read from their directory, symlinks skipped; `url:` locations
 * through the URL reader. Bounded in file count and size.
 */
export class DefaultTemplateFiles implements TemplateFiles {
  private constructor(private readonly urlReader: UrlReaderService) {}

  static create(options: {
    urlReader: UrlReaderService;
  }): DefaultTemplateFiles {
    return new DefaultTemplateFiles(options.urlReader);
  }

  async read(template: Entity): Promise<TemplateFile[]> {
    const location = template.metadata.annotations?.[LOCATION];
    if (location?.startsWith('file:')) {
      return this.readDirectory(path.dirname(location.slice('file:'.length)));
    }
    if (location?.startsWith('url:')) {
      return this.readUrl(new URL('.', location.slice('url:'.length)).href);
    }
    throw new InputError(
      `templateRef: the template has no readable location (${LOCATION} is ${
        location ?? 'missing'
      })`,
    );
  }

  private async readDirectory(root: string): Promise<TemplateFile[]> {
    const files: TemplateFile[] = [];
    let bytes = 0;
    const walk = async (dir: string) => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== '.git' && entry.name !== 'node_modules') {
            await walk(full);
          }
        } else if (entry.isFile()) {
          const content = await fs.readFile(full);
          bytes += content.length;
          files.push({
            path: path.relative(root, full).split(path.sep).join('/'),
            base64Content: content.toString('base64'),
          });
          this.checkBounds(files.length, bytes);
        }
      }
    };
    try {
      await walk(root);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new ServiceUnavailableError(
        `the template files at ${root} could not be read: ${error}`,
      );
    }
    return files;
  }

  private async readUrl(url: string): Promise<TemplateFile[]> {
    const tree = await this.urlReader.readTree(url);
    const files: TemplateFile[] = [];
    let bytes = 0;
    for (const file of await tree.files()) {
      const content = await file.content();
      bytes += content.length;
      files.push({
        path: file.path,
        base64Content: content.toString('base64'),
      });
      this.checkBounds(files.length, bytes);
    }
    return files;
  }

  private checkBounds(files: number, bytes: number) {
    if (files > MAX_FILES || bytes > MAX_BYTES) {
      throw new InputError(
        `templateRef: the template directory is larger than ${MAX_FILES} files or ${MAX_BYTES} bytes`,
      );
    }
  }
}
