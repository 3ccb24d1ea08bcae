import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { ConfiguredFilesOnlyProcessor } from './ConfiguredFilesOnlyProcessor';

describe('ConfiguredFilesOnlyProcessor', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'files-only-'));
    fs.mkdirSync(path.join(dir, 'org'));
    fs.writeFileSync(
      path.join(dir, 'all.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Location',
        'metadata: { name: all }',
        'spec:',
        '  targets: [./org/users.yaml, ./org/more.yaml]',
        '---',
        'apiVersion: backstage.io/v1alpha1',
        'kind: Location',
        'metadata: { name: remote }',
        'spec: { type: url, target: ./not-a-file.yaml }',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'org', 'users.yaml'), 'kind: User\n');
    fs.writeFileSync(
      path.join(dir, 'org', 'more.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: { name: more }\nspec: { target: ./deeper.yaml }\n',
    );
    fs.writeFileSync(path.join(dir, 'org', 'deeper.yaml'), 'kind: Group\n');
    fs.writeFileSync(path.join(dir, 'secret.yaml'), 'password: x\n');
    fs.symlinkSync('/proc/self/environ', path.join(dir, 'org', 'env.yaml'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function processor(extra: string[] = []) {
    const logger = mockServices.logger.mock();
    const config = new ConfigReader({
      catalog: {
        locations: [
          { type: 'file', target: path.join(dir, 'all.yaml') },
          { type: 'url', target: 'https://git.example/catalog-info.yaml' },
          ...extra.map(target => ({ type: 'file', target })),
        ],
      },
    });
    return {
      logger,
      processor: ConfiguredFilesOnlyProcessor.fromConfig(config, { logger }),
    };
  }

  async function read(
    p: ConfiguredFilesOnlyProcessor,
    target: string,
    type = 'file',
  ) {
    const emitted: CatalogProcessorResult[] = [];
    const claimed = await p.readLocation({ type, target }, false, r =>
      emitted.push(r),
    );
    return {
      claimed,
      errors: emitted.map(r => (r.type === 'error' ? r.error.message : r.type)),
    };
  }

  it('leaves configured files and file targets nested in them to the file reader', async () => {
    const { processor: p } = processor();
    for (const file of [
      'all.yaml',
      'org/users.yaml',
      'org/more.yaml',
      'org/deeper.yaml',
    ]) {
      expect(await read(p, path.join(dir, file))).toEqual({
        claimed: false,
        errors: [],
      });
    }
  });

  it('refuses host files, unlisted files next to configured ones, and symlinks out', async () => {
    const { processor: p, logger } = processor();
    for (const target of [
      '/dev/zero',
      '/proc/self/environ',
      path.join(dir, 'secret.yaml'),
      path.join(dir, 'org', 'env.yaml'),
      path.join(dir, 'org', '..', '..', 'etc', 'passwd'),
      path.join(dir, 'org', '*.yaml'),
    ]) {
      const result = await read(p, target);
      expect(result.claimed).toBe(true);
      expect(result.errors).toEqual([
        expect.stringContaining('is not configured in catalog.locations'),
      ]);
    }
    expect(logger.warn).toHaveBeenCalledWith(
      'Refused to read a file location not in config',
      { target: '/dev/zero' },
    );
  });

  it('ignores non-file locations', async () => {
    const { processor: p } = processor();
    expect(await read(p, 'file:///dev/zero', 'url')).toEqual({
      claimed: false,
      errors: [],
    });
  });

  it('picks up a target added to a configured file while running', async () => {
    const { processor: p } = processor();
    const added = path.join(dir, 'org', 'added.yaml');
    fs.writeFileSync(added, 'kind: User\n');
    expect((await read(p, added)).claimed).toBe(true);
    fs.appendFileSync(
      path.join(dir, 'all.yaml'),
      '---\napiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: { name: added }\nspec: { target: ./org/added.yaml }\n',
    );
    expect((await read(p, added)).claimed).toBe(false);
  });
});
