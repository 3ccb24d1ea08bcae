import { GUEST, startHarness } from '../__testUtils__/harness';

const modelServing = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'model-serving', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'ml-team' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/ml-team' }],
  status: {
    items: [
      {
        type: 'backstage.io/catalog-processing',
        level: 'error',
        message: '[curation:system-required] spec.system is missing',
      },
    ],
  },
};

const mlTeam = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'ml-team', namespace: 'default', title: 'ML팀 (ML team)' },
  spec: {
    type: 'team',
    profile: { email: 'ml-team@example.go.kr' },
    children: [],
  },
  relations: [
    { type: 'hasMember', targetRef: 'user:default/jiwoo.kim' },
    { type: 'hasMember', targetRef: 'user:default/seoyeon.park' },
    { type: 'ownerOf', targetRef: 'component:default/model-serving' },
  ],
};

describe('catalog actions', () => {
  let harness: Awaited<ReturnType<typeof startHarness>>;

  beforeEach(async () => {
    harness = await startHarness([
      {
        pluginId: 'catalog',
        routes: router => {
          router.get('/entities/by-name/:kind/:namespace/:name', (req, res) => {
            const { kind, name } = req.params;
            if (kind === 'component' && name === 'model-serving') {
              res.json(modelServing);
            } else if (kind === 'group' && name === 'ml-team') {
              res.json(mlTeam);
            } else {
              res.status(404).json({
                error: {
                  name: 'NotFoundError',
                  message: `No entity named '${name}' found`,
                },
              });
            }
          });
          router.get('/entities/by-query', (_req, res) => {
            res.json({
              items: [
                {
                  kind: 'Component',
                  metadata: { name: 'model-serving', namespace: 'default' },
                  spec: { type: 'service', lifecycle: 'production' },
                },
                {
                  kind: 'API',
                  metadata: {
                    name: 'inference-api',
                    namespace: 'default',
                    title: 'Inference API',
                  },
                  spec: { type: 'openapi', lifecycle: 'production' },
                },
              ],
              totalItems: 2,
              pageInfo: {},
            });
          });
        },
      },
      {
        pluginId: 'catalog-curation',
        routes: router => {
          router.get('/quality', (req, res) => {
            res.json({
              entityRef: req.query.entityRef,
              passed: 5,
              applicable: 7,
              checks: [
                { id: 'owner', status: 'pass' },
                { id: 'system', status: 'fail', missing: ['spec.system'] },
                {
                  id: 'techdocs',
                  status: 'fail',
                  missing: ['backstage.io/techdocs-ref'],
                },
                { id: 'api-definition', status: 'not-applicable' },
              ],
            });
          });
        },
      },
    ]);
  });

  it('tells who owns an entity, with the team’s contact and members', async () => {
    const res = await harness.invoke('get-entity-owner', {
      entityRef: 'model-serving',
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      entityRef: 'component:default/model-serving',
      owner: 'group:default/ml-team',
      ownerTitle: 'ML팀 (ML team)',
      ownerEmail: 'ml-team@example.go.kr',
      members: ['user:default/jiwoo.kim', 'user:default/seoyeon.park'],
    });
    expect(harness.seen.map(s => [s.path, s.principal])).toEqual([
      [
        '/catalog/entities/by-name/component/default/model-serving',
        `user:${GUEST}`,
      ],
      ['/catalog/entities/by-name/group/default/ml-team', `user:${GUEST}`],
    ]);

    const missing = await harness.invoke('get-entity-owner', {
      entityRef: 'component:default/nothing',
    });
    expect(missing.status).toBe(404);
  });

  it('lists what a team owns through a catalog query on ownedBy', async () => {
    const res = await harness.invoke('list-team-entities', {
      team: 'ml-team',
      kind: 'Component',
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      team: 'group:default/ml-team',
      entities: [
        {
          entityRef: 'component:default/model-serving',
          kind: 'Component',
          type: 'service',
          lifecycle: 'production',
        },
        {
          entityRef: 'api:default/inference-api',
          kind: 'API',
          title: 'Inference API',
          type: 'openapi',
          lifecycle: 'production',
        },
      ],
      truncated: false,
    });
    expect(harness.seen[0].query).toMatchObject({
      filter: 'relations.ownedBy=group:default/ml-team,kind=Component',
      limit: '501',
    });
  });

  it('shows the failed quality checks and processing errors of an entity', async () => {
    const res = await harness.invoke('get-entity-curation-problems', {
      entityRef: 'component:default/model-serving',
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      entityRef: 'component:default/model-serving',
      passed: 5,
      applicable: 7,
      problems: [
        { check: 'system', missing: ['spec.system'] },
        { check: 'techdocs', missing: ['backstage.io/techdocs-ref'] },
      ],
      processingErrors: ['[curation:system-required] spec.system is missing'],
    });
    expect(harness.seen.map(s => s.path).sort()).toEqual([
      '/catalog-curation/quality',
      '/catalog/entities/by-name/component/default/model-serving',
    ]);
  });

  it('refuses an entity ref that is not one, naming the field', async () => {
    const res = await harness.invoke('get-entity-owner', {
      entityRef: 'component:',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^entityRef: "component:" is not an entity ref/,
    );
    const empty = await harness.invoke('list-team-entities', { team: '' });
    expect(empty.body.error.message).toBe('team: is required');
    expect(harness.seen).toEqual([]);
  });
});
