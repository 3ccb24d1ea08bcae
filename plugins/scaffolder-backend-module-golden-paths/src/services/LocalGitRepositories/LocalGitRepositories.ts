import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import git from 'isomorphic-git';
import { Config } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';

/** Where a repository lives on the portal's storage, and how it is addressed. */
export interface LocalRepositoryLocation {
  name: string;
  /** The bare repository developers clone from and push to. */
  bareDir: string;
  /** Checkout of the default branch, kept current by a post-receive hook; read by the catalog. */
  publishedDir: string;
  remoteUrl: string;
  /** Directory URL (trailing slash) of the published checkout. */
  repoContentsUrl: string;
}

/** A repository that was created and published. */
export interface PublishedRepository extends LocalRepositoryLocation {
  commitHash: string;
  defaultBranch: string;
}

/** Git repositories on the portal's own storage: no git server needed. */
export interface LocalGitRepositories {
  /** Paths and URLs a repository of this name has, without touching the disk. */
  locate(name: string): LocalRepositoryLocation;
  /** Creates the bare repository, commits `sourceDir` and publishes the checkout. */
  create(options: {
    name: string;
    sourceDir: string;
    description?: string;
    commitMessage: string;
    author: { name: string; email: string };
  }): Promise<PublishedRepository>;
  /** Removes a repository and its checkout; returns what was removed. */
  remove(name: string): Promise<string[]>;
  /** Whether a URL points inside the published checkouts (for the URL reader). */
  publishedRoot(): string;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Reads `goldenPaths.git` once at startup. */
export function readLocalGitConfig(config: Config): {
  rootDir: string;
  defaultBranch: string;
} {
  return {
    rootDir: path.resolve(
      config.getOptionalString('goldenPaths.git.rootDir') ?? '../../data/git',
    ),
    defaultBranch:
      config.getOptionalString('goldenPaths.git.defaultBranch') ?? 'main',
  };
}

/**
 * Bare repositories under `<rootDir>/repos`, written with isomorphic-git (the
 * library the scaffolder itself uses), so the portal needs no git binary.
 */
export class DefaultLocalGitRepositories implements LocalGitRepositories {
  private constructor(
    private readonly rootDir: string,
    private readonly defaultBranch: string,
    private readonly logger: LoggerService,
  ) {}

  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): DefaultLocalGitRepositories {
    const { rootDir, defaultBranch } = readLocalGitConfig(config);
    return new DefaultLocalGitRepositories(
      rootDir,
      defaultBranch,
      options.logger,
    );
  }

  static create(options: {
    rootDir: string;
    defaultBranch?: string;
    logger: LoggerService;
  }): DefaultLocalGitRepositories {
    return new DefaultLocalGitRepositories(
      path.resolve(options.rootDir),
      options.defaultBranch ?? 'main',
      options.logger,
    );
  }

  publishedRoot(): string {
    return path.join(this.rootDir, 'published');
  }

  locate(name: string): LocalRepositoryLocation {
    if (!NAME.test(name) || name.length > 63) {
      throw new InputError(
        `repoName "${name}" must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)`,
      );
    }
    const bareDir = path.join(this.rootDir, 'repos', `${name}.git`);
    const publishedDir = path.join(this.publishedRoot(), name);
    return {
      name,
      bareDir,
      publishedDir,
      remoteUrl: pathToFileURL(bareDir).toString(),
      repoContentsUrl: `${pathToFileURL(publishedDir).toString()}/`,
    };
  }

  async create(options: {
    name: string;
    sourceDir: string;
    description?: string;
    commitMessage: string;
    author: { name: string; email: string };
  }): Promise<PublishedRepository> {
    const location = this.locate(options.name);
    const { bareDir, publishedDir } = location;
    if (fs.existsSync(bareDir) || fs.existsSync(publishedDir)) {
      throw new ConflictError(
        `repository ${options.name} already exists at ${bareDir}`,
      );
    }
    const meta = { repository: options.name, bareDir };
    // Checked before anything is made: nothing to roll back.
    await refuseSymlinks(options.sourceDir);
    try {
      await git.init({
        fs,
        gitdir: bareDir,
        bare: true,
        defaultBranch: this.defaultBranch,
      });
      // Objects go straight into the bare repository: nothing to push.
      await git.add({
        fs,
        dir: options.sourceDir,
        gitdir: bareDir,
        filepath: '.',
      });
      const commitHash = await git.commit({
        fs,
        dir: options.sourceDir,
        gitdir: bareDir,
        message: options.commitMessage,
        author: options.author,
        committer: options.author,
      });
      await fs.promises.rm(path.join(bareDir, 'index'), { force: true });
      if (options.description) {
        await fs.promises.writeFile(
          path.join(bareDir, 'description'),
          `${options.description}\n`,
        );
      }
      await this.writePostReceiveHook(bareDir, publishedDir);

      await fs.promises.mkdir(publishedDir, { recursive: true });
      await git.checkout({
        fs,
        dir: publishedDir,
        gitdir: bareDir,
        ref: this.defaultBranch,
        force: true,
      });
      this.logger.info('Created local git repository', {
        ...meta,
        commitHash,
      });
      return { ...location, commitHash, defaultBranch: this.defaultBranch };
    } catch (error) {
      // Leave nothing half-made behind.
      const removed = await this.remove(options.name);
      this.logger.warn('Creating local git repository failed; rolled back', {
        ...meta,
        removed: removed.join(', '),
      });
      throw error;
    }
  }

  async remove(name: string): Promise<string[]> {
    const { bareDir, publishedDir } = this.locate(name);
    const removed: string[] = [];
    for (const dir of [bareDir, publishedDir]) {
      if (fs.existsSync(dir)) {
        await fs.promises.rm(dir, { recursive: true, force: true });
        removed.push(dir);
      }
    }
    return removed;
  }

  // Pushes by developers (git CLI, over ssh or the file system) refresh the
  // checkout the catalog reads; the catalog then picks changes up on refresh.
  // core.symlinks=false: a pushed symlink is checked out as a regular file
  // holding the link's text, so the checkout never points anywhere else.
  private async writePostReceiveHook(bareDir: string, publishedDir: string) {
    const hook = path.join(bareDir, 'hooks', 'post-receive');
    await fs.promises.mkdir(path.dirname(hook), { recursive: true });
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    await fs.promises.writeFile(
      hook,
      [
        '#!/bin/sh',
        '# Installed by the developer portal: keep the published checkout current.',
        'while read -r old new ref; do',
        `  if [ "$ref" = "refs/heads/${this.defaultBranch}" ]; then`,
        `    git -c core.symlinks=false --git-dir=${quote(
          bareDir,
        )} --work-tree=${quote(publishedDir)} checkout -f ${
          this.defaultBranch
        } && echo "portal: published ${this.defaultBranch}"`,
        '  fi',
        'done',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  }
}

/**
 * Refuses a workspace holding symlinks: a published checkout must never
 * materialise one (it could point at host files the catalog then reads).
 */
async function refuseSymlinks(dir: string, root = dir): Promise<void> {
  for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      throw new InputError(
        `the workspace holds a symlink, ${path.relative(
          root,
          full,
        )}: published repositories may not contain symlinks`,
      );
    }
    if (entry.isDirectory() && entry.name !== '.git') {
      await refuseSymlinks(full, root);
    }
  }
}
