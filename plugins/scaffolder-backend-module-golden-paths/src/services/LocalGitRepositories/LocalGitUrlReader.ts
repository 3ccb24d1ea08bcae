import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  UrlReaderService,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReadTreeResponseFactory,
  ReadUrlResponseFactory,
  ReaderFactory,
} from '@backstage/backend-defaults/urlReader';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { readLocalGitConfig } from './LocalGitRepositories';

/**
 * Lets the catalog and TechDocs read the published checkouts of repositories
 * created by `portal:publish:local-git`, through `file://` URLs. Only paths
 * inside `<goldenPaths.git.rootDir>/published` are readable: any other file
 * URL stays refused by the URL reader.
 */
export class LocalGitUrlReader implements UrlReaderService {
  static factory: ReaderFactory = ({ config, treeResponseFactory }) => {
    const reader = new LocalGitUrlReader(
      path.join(readLocalGitConfig(config).rootDir, 'published'),
      treeResponseFactory,
    );
    return [{ reader, predicate: url => reader.handles(url) }];
  };

  constructor(
    private readonly root: string,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {}

  handles(url: URL): boolean {
    return url.protocol === 'file:' && this.toPath(url) !== undefined;
  }

  private toPath(url: URL): string | undefined {
    let file: string;
    try {
      file = path.resolve(fileURLToPath(url));
    } catch {
      return undefined;
    }
    const relative = path.relative(this.root, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      return undefined;
    }
    return file;
  }

  private resolve(url: string): string {
    const file = this.toPath(new URL(url));
    if (!file || !fs.existsSync(file)) {
      throw new NotFoundError(`${url} not found`);
    }
    return file;
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const file = this.resolve(url);
    const stat = await fs.promises.stat(file);
    const etag = `${stat.size}-${stat.mtimeMs}`;
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    if (options?.lastModifiedAfter && stat.mtime <= options.lastModifiedAfter) {
      throw new NotModifiedError();
    }
    return ReadUrlResponseFactory.fromReadable(fs.createReadStream(file), {
      etag,
      lastModifiedAt: stat.mtime,
    });
  }

  async readTree(url: string): Promise<UrlReaderServiceReadTreeResponse> {
    const dir = this.resolve(url);
    const files: Array<{ path: string; stat: fs.Stats }> = [];
    const walk = async (current: string) => {
      for (const entry of await fs.promises.readdir(current, {
        withFileTypes: true,
      })) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
        } else if (entry.isFile()) {
          files.push({ path: full, stat: await fs.promises.stat(full) });
        }
      }
    };
    await walk(dir);
    return this.treeResponseFactory.fromReadableArray(
      files.map(f => ({
        data: fs.createReadStream(f.path),
        path: path.relative(dir, f.path).split(path.sep).join('/'),
        lastModifiedAt: f.stat.mtime,
      })),
    );
  }

  async search(url: string): Promise<UrlReaderServiceSearchResponse> {
    const file = this.toPath(new URL(url));
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      return { files: [], etag: '' };
    }
    const response = await this.readUrl(url);
    return {
      files: [{ url, content: () => response.buffer() }],
      etag: response.etag ?? '',
    };
  }

  toString() {
    return `local-git{root=${this.root}}`;
  }
}
