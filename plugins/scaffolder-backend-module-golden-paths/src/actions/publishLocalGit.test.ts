import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import git from 'isomorphic-git';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ConflictError } from '@backstage/errors';
import { createPublishLocalGitAction } from './publishLocalGit';
import { DefaultLocalGitRepositories } from '../services/LocalGitRepositories/LocalGitRepositories';
import { LocalGitUrlReader } from '../services/LocalGitRepositories/LocalGitUrlReader';
import { examples } from './publishLocalGit.examples';
import { parse } from 'yaml';

function setup() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'local-git-'));
  const rootDir = path.join(base, 'git');
  const workspacePath = path.join(base, 'workspace');
  fs.mkdirSync(path.join(workspacePath, 'docs'), { recursive: true });
  fs.writeFileSync(
    path.join(workspacePath, 'catalog-info.yaml'),
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: demo\n',
  );
  fs.writeFileSync(path.join(workspacePath, 'docs', 'index.md'), '# Demo\n');
  fs.writeFileSync(path.join(workspacePath, 'mvnw'), '#!/bin/sh\n', {
    mode: 0o755,
  });
  const auditor = mockServices.auditor.mock();
  const repositories = DefaultLocalGitRepositories.create({
    rootDir,
    logger: mockServices.logger.mock(),
  });
  const action = createPublishLocalGitAction({
    repositories,
    auditor,
  });
  return { base, rootDir, workspacePath, repositories, action, auditor };
}

describe('portal:publish:local-git', () => {
  it('creates a bare repository, publishes a checkout and returns URLs catalog:register can use', async () => {
    const { rootDir, workspacePath, action } = setup();
    const checkpoint = jest.fn(async ({ fn }) => fn());
    // createMockActionContext keeps only some options: override after.
    const ctx = {
      ...createMockActionContext({
        input: { repoName: 'demo', description: 'Demo service' },
        workspacePath,
      }),
      checkpoint,
    } as any;
    await action.handler(ctx);

    const bareDir = path.join(rootDir, 'repos', 'demo.git');
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    expect(outputs.remoteUrl).toBe(`file://${bareDir}`);
    expect(outputs.catalogInfoUrl).toBe(
      `file://${path.join(rootDir, 'published', 'demo', 'catalog-info.yaml')}`,
    );
    expect(checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({ key: 'portal.publish.local-git.demo' }),
    );

    // A real commit in a bare repository, with the executable bit kept.
    const [commit] = await git.log({ fs, gitdir: bareDir, ref: 'main' });
    expect(commit.oid).toBe(outputs.commitHash);
    const files = await git.listFiles({ fs, gitdir: bareDir, ref: 'main' });
    expect(files.sort()).toEqual([
      'catalog-info.yaml',
      'docs/index.md',
      'mvnw',
    ]);
    const { tree } = await git.readTree({
      fs,
      gitdir: bareDir,
      oid: commit.oid,
    });
    expect(tree.find(e => e.path === 'mvnw')?.mode).toBe('100755');
    expect(fs.readFileSync(path.join(bareDir, 'description'), 'utf8')).toBe(
      'Demo service\n',
    );
    expect(
      fs.readFileSync(fileURLToPath(outputs.catalogInfoUrl), 'utf8'),
    ).toContain('name: demo');
  });

  it('refuses an existing repository without touching it', async () => {
    const { workspacePath, action, rootDir } = setup();
    await action.handler(
      createMockActionContext({ input: { repoName: 'demo' }, workspacePath }),
    );
    const before = fs.readdirSync(path.join(rootDir, 'repos', 'demo.git'));
    await expect(
      action.handler(
        createMockActionContext({ input: { repoName: 'demo' }, workspacePath }),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(fs.readdirSync(path.join(rootDir, 'repos', 'demo.git'))).toEqual(
      before,
    );
  });

  it('rolls back when creating fails half-way', async () => {
    const { rootDir, base, action } = setup();
    await expect(
      action.handler(
        createMockActionContext({
          input: { repoName: 'broken', sourcePath: 'missing' },
          workspacePath: base,
        }),
      ),
    ).rejects.toThrow();
    expect(fs.existsSync(path.join(rootDir, 'repos', 'broken.git'))).toBe(
      false,
    );
    expect(fs.existsSync(path.join(rootDir, 'published', 'broken'))).toBe(
      false,
    );
  });

  it('writes nothing in a dry run', async () => {
    const { rootDir, workspacePath, action } = setup();
    const ctx = {
      ...createMockActionContext({
        input: { repoName: 'demo' },
        workspacePath,
      }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(fs.existsSync(rootDir)).toBe(false);
    expect(ctx.output).toHaveBeenCalledWith('commitHash', 'dry-run');
  });

  it('rejects names that are not DNS-1123 labels', async () => {
    const { workspacePath, repositories } = setup();
    expect(() => repositories.locate('../etc')).toThrow(/DNS-1123/);
    expect(workspacePath).toBeDefined();
  });

  const hasGit = (() => {
    try {
      execFileSync('git', ['--version']);
      return true;
    } catch {
      return false;
    }
  })();
  // Without a git CLI the hook cannot be exercised: reported as skipped.
  (hasGit ? describe : describe.skip)('with the git CLI', () => {
    it('developers clone and push with git; the hook refreshes the published checkout', async () => {
      const { base, rootDir, workspacePath, action } = setup();
      await action.handler(
        createMockActionContext({ input: { repoName: 'demo' }, workspacePath }),
      );
      const clone = path.join(base, 'clone');
      const env = {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@x',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@x',
      };
      execFileSync(
        'git',
        ['clone', '-q', path.join(rootDir, 'repos', 'demo.git'), clone],
        { env },
      );
      fs.writeFileSync(path.join(clone, 'docs', 'index.md'), '# Changed\n');
      fs.rmSync(path.join(clone, 'mvnw'));
      execFileSync('git', ['commit', '-qam', 'change'], { cwd: clone, env });
      execFileSync('git', ['push', '-q', 'origin', 'main'], {
        cwd: clone,
        env,
      });
      const published = path.join(rootDir, 'published', 'demo');
      expect(
        fs.readFileSync(path.join(published, 'docs', 'index.md'), 'utf8'),
      ).toBe('# Changed\n');
      expect(fs.existsSync(path.join(published, 'mvnw'))).toBe(false);
    });
  });

  it('has examples that parse', () => {
    for (const example of examples) {
      expect(parse(example.example).steps[0].action).toBe(
        'portal:publish:local-git',
      );
    }
  });
});

describe('LocalGitUrlReader', () => {
  it('reads published files and trees, and nothing outside the published root', async () => {
    const { rootDir, workspacePath, action } = setup();
    const ctx = createMockActionContext({
      input: { repoName: 'demo' },
      workspacePath,
    });
    await action.handler(ctx);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);

    const [{ reader, predicate }] = LocalGitUrlReader.factory({
      config: mockServices.rootConfig({
        data: { goldenPaths: { git: { rootDir } } },
      }),
      logger: mockServices.logger.mock(),
      treeResponseFactory: {
        fromReadableArray: async (files: any[]) =>
          ({ files: async () => files.map(f => ({ path: f.path })) } as any),
      } as any,
    });
    expect(predicate(new URL(outputs.catalogInfoUrl))).toBe(true);
    expect(predicate(new URL('file:///etc/passwd'))).toBe(false);
    expect(
      predicate(new URL(`file://${rootDir}/published/../repos/demo.git/HEAD`)),
    ).toBe(false);
    expect(predicate(new URL('https://gitlab.internal/x'))).toBe(false);

    const response = await reader.readUrl(outputs.catalogInfoUrl);
    expect((await response.buffer()).toString()).toContain('name: demo');
    await expect(
      reader.readUrl(outputs.catalogInfoUrl, { etag: response.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });

    const tree = await reader.readTree(outputs.repoContentsUrl);
    expect((await tree.files()).map(f => f.path).sort()).toEqual([
      'catalog-info.yaml',
      'docs/index.md',
      'mvnw',
    ]);
    const search = await reader.search(outputs.catalogInfoUrl);
    expect(search.files).toHaveLength(1);
    await expect(
      reader.readUrl(outputs.repoContentsUrl.replace('demo/', 'other/x.yaml')),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('portal:publish:local-git auditing', () => {
  it('records who published which repository, and failures', async () => {
    const { workspacePath, rootDir, action, auditor } = setup();
    const ctx = (name: string) =>
      createMockActionContext({
        input: { repoName: name },
        workspacePath,
        user: { ref: 'user:default/jiwoo.kim' },
      });
    await action.handler(ctx('audited'));
    // The same name again: the repository exists, a conflict.
    await expect(action.handler(ctx('audited'))).rejects.toThrow(ConflictError);

    const target = {
      repository: 'audited',
      bareDir: path.join(rootDir, 'repos', 'audited.git'),
      template: 'unknown',
    };
    expect(auditor.createEvent.mock.calls).toEqual([
      [
        {
          eventId: 'local-git-publish',
          severityLevel: 'medium',
          meta: { actor: 'user:default/jiwoo.kim', target },
        },
      ],
      [
        {
          eventId: 'local-git-publish',
          severityLevel: 'medium',
          meta: { actor: 'user:default/jiwoo.kim', target },
        },
      ],
    ]);
    const [created, refused] = await Promise.all(
      auditor.createEvent.mock.results.map(r => r.value),
    );
    expect(created.success).toHaveBeenCalledWith({
      meta: {
        outcome: 'success',
        commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
      },
    });
    expect(refused.fail).toHaveBeenCalledWith({
      error: expect.any(ConflictError),
      meta: { outcome: 'failure' },
    });
  });

  it('records nothing on a dry run, which changes nothing', async () => {
    const { workspacePath, action, auditor } = setup();
    // createMockActionContext drops isDryRun: set it after.
    await action.handler({
      ...createMockActionContext({ input: { repoName: 'dry' }, workspacePath }),
      isDryRun: true,
    } as any);
    expect(auditor.createEvent).not.toHaveBeenCalled();
  });
});
