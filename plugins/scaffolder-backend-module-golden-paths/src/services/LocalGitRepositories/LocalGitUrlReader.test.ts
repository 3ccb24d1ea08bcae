import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultLocalGitRepositories } from './LocalGitRepositories';
import { LocalGitUrlReader } from './LocalGitUrlReader';

const environ = '/proc/self/environ';

function setup() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'local-git-sec-'));
  const rootDir = path.join(base, 'git');
  const workspace = path.join(base, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(
    path.join(workspace, 'catalog-info.yaml'),
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: demo\n',
  );
  const repositories = DefaultLocalGitRepositories.create({
    rootDir,
    logger: mockServices.logger.mock(),
  });
  const [{ reader }] = LocalGitUrlReader.factory({
    config: mockServices.rootConfig({
      data: { goldenPaths: { git: { rootDir } } },
    }),
    logger: mockServices.logger.mock(),
    treeResponseFactory: {
      fromReadableArray: async (files: any[]) =>
        ({ files: async () => files.map(f => ({ path: f.path })) } as any),
    } as any,
  });
  const url = (p: string) =>
    pathToFileURL(path.join(rootDir, 'published', p)).toString();
  return { base, rootDir, workspace, repositories, reader, url };
}

describe('golden-path storage refuses paths outside its root', () => {
  it('does not follow symlinks or .. out of the published root', async () => {
    const { rootDir, reader, url } = setup();
    const published = path.join(rootDir, 'published', 'evil');
    fs.mkdirSync(published, { recursive: true });
    fs.writeFileSync(path.join(published, 'ok.yaml'), 'kind: Component\n');
    // A checkout made before symlinks were refused, or by hand.
    fs.symlinkSync(environ, path.join(published, 'catalog-info.yaml'));
    fs.symlinkSync('/', path.join(published, 'host'));
    fs.symlinkSync('../../repos', path.join(published, 'repos'));

    for (const target of [
      url('evil/catalog-info.yaml'),
      url('evil/host/etc/passwd'),
      url('evil/repos'),
      `${url('evil')}/../../../../../../etc/passwd`,
      url('evil/../../../../../../proc/self/environ'),
    ]) {
      await expect(reader.readUrl(target)).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      expect((await reader.search(target)).files).toEqual([]);
    }
    await expect(reader.readTree(url('evil/host'))).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    // The tree lists the regular file only, no symlink.
    const tree = await reader.readTree(`${url('evil')}/`);
    expect((await tree.files()).map(f => f.path)).toEqual(['ok.yaml']);
    expect(
      (await (await reader.readUrl(url('evil/ok.yaml'))).buffer()).toString(),
    ).toBe('kind: Component\n');
  });

  it('refuses to publish a workspace holding a symlink and leaves nothing behind', async () => {
    const { rootDir, workspace, repositories } = setup();
    fs.mkdirSync(path.join(workspace, 'config'));
    fs.symlinkSync(environ, path.join(workspace, 'config', 'env'));
    await expect(
      repositories.create({
        name: 'demo',
        sourceDir: workspace,
        commitMessage: 'init',
        author: { name: 't', email: 't@x' },
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('config/env'),
    });
    expect(fs.existsSync(path.join(rootDir, 'repos', 'demo.git'))).toBe(false);
    expect(fs.existsSync(path.join(rootDir, 'published', 'demo'))).toBe(false);
  });

  it('checks a pushed symlink out as a regular file holding the link text', async () => {
    const { base, rootDir, workspace, repositories, reader, url } = setup();
    await repositories.create({
      name: 'demo',
      sourceDir: workspace,
      commitMessage: 'init',
      author: { name: 't', email: 't@x' },
    });
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@x',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@x',
    };
    const clone = path.join(base, 'clone');
    execFileSync(
      'git',
      ['clone', '-q', path.join(rootDir, 'repos', 'demo.git'), clone],
      { env },
    );
    fs.rmSync(path.join(clone, 'catalog-info.yaml'));
    fs.symlinkSync(environ, path.join(clone, 'catalog-info.yaml'));
    fs.symlinkSync('../../../../../../../..', path.join(clone, 'up'));
    execFileSync('git', ['add', '-A'], { cwd: clone, env });
    execFileSync('git', ['commit', '-qm', 'links'], { cwd: clone, env });
    execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: clone, env });

    const published = path.join(rootDir, 'published', 'demo');
    for (const name of ['catalog-info.yaml', 'up']) {
      expect(fs.lstatSync(path.join(published, name)).isSymbolicLink()).toBe(
        false,
      );
    }
    const read = await reader.readUrl(url('demo/catalog-info.yaml'));
    expect((await read.buffer()).toString()).toBe(environ);
  });
});
