import { Entity } from '@backstage/catalog-model';
import { parseCurationRulesConfig } from '@internal/plugin-catalog-curation-common';
import {
  analyseCatalog,
  normaliseSourceLocation,
  ruleOfMessage,
} from './analyseCatalog';

const rules = parseCurationRulesConfig(undefined);

function entity(
  kind: string,
  name: string,
  spec: Record<string, any>,
  metadata: Partial<Entity['metadata']> = {},
  extra: Partial<Entity> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', ...metadata },
    spec,
    ...extra,
  };
}

const teams = ['ml-team', 'payments-team'].map(n =>
  entity('Group', n, { type: 'team' }),
);
const svc = (
  name: string,
  spec: Record<string, any> = {},
  metadata = {},
  extra = {},
) =>
  entity(
    'Component',
    name,
    {
      type: 'service',
      lifecycle: 'production',
      owner: 'ml-team',
      system: 'document-ai',
      ...spec,
    },
    metadata,
    extra,
  );

describe('analyseCatalog', () => {
  it('reports nothing for a clean catalog', () => {
    const report = analyseCatalog({
      entities: [...teams, svc('ocr')],
      failed: [],
      rules,
    });
    expect(report).toMatchObject({
      problems: [],
      orphans: [],
      failed: [],
      duplicates: [],
    });
    expect(report.entitiesPerTeam).toEqual({ 'group:default/ml-team': 1 });
  });

  it('groups problems by rule and team, including errors of rejected versions', () => {
    const report = analyseCatalog({
      entities: [
        ...teams,
        svc('no-system', { system: undefined, owner: 'payments-team' }),
        svc('by-user', { owner: 'user:jiwoo.kim' }),
        svc(
          'rejected',
          {},
          {},
          {
            status: {
              items: [
                {
                  type: 'backstage.io/catalog-processing',
                  level: 'error',
                  message: 'x',
                  error: {
                    name: 'InputError',
                    message:
                      '[curation:lifecycle-known] spec.lifecycle "beta" is not one of …',
                  },
                },
                {
                  type: 'backstage.io/catalog-processing',
                  level: 'error',
                  message: 'x',
                  error: { name: 'Error', message: 'YAML broken' },
                },
              ],
            },
          },
        ),
      ],
      failed: [
        {
          entityId: 'id-1',
          entityRef: 'component:default/ghost',
          entity: svc('ghost', { owner: 'ghost-team' }),
          errors: [
            {
              name: 'NotFoundError',
              message:
                '[curation:owner-is-group] spec.owner "ghost-team" does not resolve',
            },
          ],
        },
      ],
      rules,
    });
    const summary = report.problems
      .map(p => `${p.rule} ${p.team} ${p.entityRef}`)
      .sort();
    expect(summary).toEqual([
      'lifecycle-known group:default/ml-team component:default/rejected',
      'owner-is-group group:default/ghost-team component:default/ghost',
      'owner-is-group unowned component:default/by-user',
      'processing-error group:default/ml-team component:default/rejected',
      'system-required group:default/payments-team component:default/no-system',
    ]);
    expect(report.failed).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/ghost',
        entityId: 'id-1',
      }),
    ]);
  });

  it('lists orphans with their uid', () => {
    const report = analyseCatalog({
      entities: [
        ...teams,
        svc(
          'gone',
          {},
          { uid: 'u-1', annotations: { 'backstage.io/orphan': 'true' } },
        ),
      ],
      failed: [],
      rules,
    });
    expect(report.orphans).toEqual([
      expect.objectContaining({
        entityRef: 'component:default/gone',
        uid: 'u-1',
        team: 'group:default/ml-team',
      }),
    ]);
  });

  it('finds duplicate candidates by name and by repository, not an API named after its provider', () => {
    const providesApi = {
      relations: [{ type: 'providesApi', targetRef: 'api:default/ocr' }],
    };
    const report = analyseCatalog({
      entities: [
        ...teams,
        svc('ocr', {}, {}, providesApi),
        entity('API', 'ocr', {
          type: 'openapi',
          lifecycle: 'production',
          owner: 'ml-team',
          system: 'document-ai',
        }),
        svc('tokenizer', {}, { namespace: 'ml' }),
        svc('tokenizer'),
        svc(
          'a',
          {},
          {
            annotations: {
              'backstage.io/source-location':
                'url:https://gitlab.example/ml/ocr/-/tree/main/',
            },
          },
        ),
        svc(
          'b',
          {},
          {
            annotations: {
              'backstage.io/source-location':
                'url:https://gitlab.example/ml/ocr',
            },
          },
        ),
      ],
      failed: [],
      rules,
    });
    expect(report.duplicates).toEqual([
      {
        reason: 'name',
        key: 'tokenizer',
        entityRefs: ['component:default/tokenizer', 'component:ml/tokenizer'],
      },
      {
        reason: 'source-location',
        key: 'https://gitlab.example/ml/ocr',
        entityRefs: ['component:default/a', 'component:default/b'],
      },
    ]);
  });
});

describe('helpers', () => {
  it('reads the rule of a processing error', () => {
    expect(ruleOfMessage('[curation:name-unique] clash')).toEqual({
      rule: 'name-unique',
      message: 'clash',
    });
    expect(ruleOfMessage('[curation:made-up] x').rule).toBe('processing-error');
  });

  it('normalises source locations', () => {
    expect(normaliseSourceLocation('url:https://GitLab.example/a/b.git')).toBe(
      'https://gitlab.example/a/b',
    );
  });
});
