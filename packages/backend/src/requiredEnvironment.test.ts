import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  configFilesOf,
  missingEnvironment,
  substitutionsOf,
} from './requiredEnvironment';

describe('requiredEnvironment', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'required-env-'));
  const file = path.join(dir, 'app-config.production.yaml');
  fs.writeFileSync(
    file,
    [
      '# ${IN_A_COMMENT} is documentation',
      'backend:',
      '  baseUrl: ${PORTAL_BASE_URL} # trailing comment ${ALSO_COMMENT}',
      '  auth: { keys: [{ secret: "${ BACKEND_SECRET }" }] }',
      'literal: $${NOT_A_VARIABLE}',
      'allowedDomains: [${OIDC_EMAIL_DOMAIN}]',
    ].join('\n'),
  );
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the substitutions, not comments or escaped literals', () => {
    expect(substitutionsOf(fs.readFileSync(file, 'utf8'))).toEqual([
      'PORTAL_BASE_URL',
      'BACKEND_SECRET',
      'OIDC_EMAIL_DOMAIN',
    ]);
  });

  it('reads both forms of --config', () => {
    expect(
      configFilesOf(['node', 'x', '--config', 'a.yaml', '--config=b.yaml']),
    ).toEqual(['a.yaml', 'b.yaml']);
  });

  it('names what is unset or empty, and nothing when all is set', () => {
    expect(
      missingEnvironment([file], {
        PORTAL_BASE_URL: 'https://p',
        BACKEND_SECRET: '',
      }),
    ).toEqual([{ name: 'BACKEND_SECRET', file }]);
    expect(missingEnvironment([file], {})).toEqual([
      { name: 'PORTAL_BASE_URL', file },
      { name: 'BACKEND_SECRET', file },
    ]);
    expect(
      missingEnvironment([file], {
        PORTAL_BASE_URL: 'https://p',
        BACKEND_SECRET: 's',
      }),
    ).toEqual([]);
  });

  it('requires every variable of the real production config', () => {
    const real = path.resolve(__dirname, '../../../app-config.production.yaml');
    const names = substitutionsOf(fs.readFileSync(real, 'utf8'));
    expect(names).toEqual(
      expect.arrayContaining(['POSTGRES_HOST', 'K8S_MAIN_WRITER_TOKEN']),
    );
    const env = Object.fromEntries(names.map(n => [n, 'x']));
    expect(missingEnvironment([real], env)).toEqual([]);
    delete env.POSTGRES_PASSWORD;
    expect(missingEnvironment([real], env)).toEqual([
      { name: 'POSTGRES_PASSWORD', file: real },
    ]);
  });
});
