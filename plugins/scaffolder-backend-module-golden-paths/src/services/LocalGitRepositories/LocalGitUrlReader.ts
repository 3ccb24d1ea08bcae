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
 * inside `<goldenPaths.git.rootDir>/published` are readable, after resolving
 * real paths: a symlink (or `..`) that leads outside the root is refused like
 * any other file URL, and only regular files and directories are read.
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

  /** The lexical path of a URL when it lies inside the root. */
  private toPath(url: URL): string | undefined {
    let file: string;
    try {
      file = path.resolve(fileURLToPath(url));
    } catch {
      return undefined;
    }
    return isInside(this.root, file) ? file : undefined;
  }

  /**
   * The real path of a URL (symlinks followed) when it exists and still lies
   * inside the real root; anything else is not found, so the caller learns
   * nothing about what lies outside.
   */
  private async resolve(url: string): Promise<string> {
    const file = this.toPath(new URL(url));
    if (file) {
      try {
        const [real, realRoot] = await Promise.all([
          fs.promises.realpath(file),
          fs.promises.realpath(this.root),
        ]);
        if (isInside(realRoot, real)) {
          return real;
        }
      } catch {
        // missing: not found below
      }
    }
    throw new NotFoundError(`${url} not found`);
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const file = await this.resolve(url);
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) {
      throw new NotFoundError(`${url} is not a file`);
    }
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
    const dir = await this.resolve(url);
    if (!(await fs.promises.stat(dir)).isDirectory()) {
      throw new NotFoundError(`${url} is not a directory`);
    }
    const files: Array<{ path: string; stat: fs.Stats }> = [];
    // Dirents describe the entry itself: symlinks are neither files nor
    // directories here, so the tree never follows one.
    const walk = async (current: string) => {
      for (const entry of await fs.promises.readdir(current, {
        withFileTypes: true,
      })) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) {
          await walk(full);
        } else if (entry.isFile()) {
          files.push({ path: full, stat: await fs.promises.lstat(full) });
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
    let response: UrlReaderServiceReadUrlResponse;
    try {
      response = await this.readUrl(url);
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') {
        return { files: [], etag: '' };
      }
      throw error;
    }
    return {
      files: [{ url, content: () => response.buffer() }],
      etag: response.etag ?? '',
    };
  }

  toString() {
    return `local-git{root=${this.root}}`;
  }
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return (
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}
