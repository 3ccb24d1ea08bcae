import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GUEST, startHarness } from '../__testUtils__/harness';

describe('golden-path template actions', () => {
  let harness: Awaited<ReturnType<typeof startHarness>>;
  let dir: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-actions-template-'));
    fs.mkdirSync(path.join(dir, 'skeleton', 'k8s'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'template.yaml'), 'kind: Template\n');
    fs.writeFileSync(
      path.join(dir, 'skeleton', 'catalog-info.yaml'),
      'name: ${{ values.name }}\n',
    );
    fs.writeFileSync(
      path.join(dir, 'skeleton', 'k8s', 'namespace.yaml'),
      'kind: Namespace\n',
    );

    const template = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: {
        name: 'team-sandbox',
        namespace: 'default',
        title: 'Team sandbox namespace',
        annotations: {
          'backstage.io/managed-by-location': `file:${path.join(
            dir,
            'template.yaml',
          )}`,
        },
      },
      spec: {
        owner: 'group:default/platform-team',
        type: 'namespace',
        parameters: [
          {
            title: 'Sandbox',
            required: ['name', 'cluster'],
            properties: {
              name: {
                title: 'Namespace',
                type: 'string',
                pattern: '^[a-z0-9-]+$',
              },
              cluster: {
                type: 'string',
                enum: ['lab-main', 'lab-edge'],
                default: 'lab-main',
              },
            },
          },
          {
            title: 'Extra',
            properties: { note: { type: 'string', 'ui:help': 'Free text' } },
          },
        ],
        steps: [{ id: 'fetch', name: 'Generate', action: 'fetch:template' }],
      },
    };

    harness = await startHarness([
      {
        pluginId: 'catalog',
        routes: router => {
          router.get('/entities/by-query', (_req, res) => {
            res.json({ items: [template], totalItems: 1, pageInfo: {} });
          });
          router.get(
            '/entities/by-name/template/default/team-sandbox',
            (_req, res) => {
              res.json(template);
            },
          );
        },
      },
      {
        pluginId: 'scaffolder',
        routes: router => {
          router.post('/v2/dry-run', (req, res) => {
            const files: { path: string }[] = req.body.directoryContents;
            res.json({
              steps: [
                { id: 'fetch', name: 'Generate', action: 'fetch:template' },
              ],
              log: [
                {
                  body: {
                    stepId: 'fetch',
                    status: 'completed',
                    message: `read ${files.length} files`,
                  },
                },
              ],
              directoryContents: files.filter(f =>
                f.path.startsWith('skeleton/'),
              ),
              output: {},
            });
          });
          router.post('/v2/tasks', (_req, res) => {
            res.status(201).json({ id: 'task-1' });
          });
          router.get('/v2/tasks/task-1', (_req, res) => {
            res.json({
              id: 'task-1',
              status: 'completed',
              createdAt: '2026-11-30T00:00:00Z',
              spec: {},
            });
          });
          router.get('/v2/tasks/task-1/events', (_req, res) => {
            res.json([
              { type: 'log', body: { message: 'Beginning step Generate' } },
              { type: 'log', body: { message: 'Finished step Generate' } },
              {
                type: 'completion',
                body: {
                  message: 'done',
                  output: { links: [{ title: 'Repo', url: 'http://git/x' }] },
                },
              },
            ]);
          });
        },
      },
    ]);
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists templates with their parameters', async () => {
    const res = await harness.invoke('list-templates', {});
    expect(res.status).toBe(200);
    expect(res.body.output.templates).toEqual([
      {
        templateRef: 'template:default/team-sandbox',
        title: 'Team sandbox namespace',
        type: 'namespace',
        owner: 'group:default/platform-team',
        parameters: [
          {
            name: 'name',
            title: 'Namespace',
            type: 'string',
            required: true,
            pattern: '^[a-z0-9-]+$',
          },
          {
            name: 'cluster',
            type: 'string',
            required: true,
            enum: ['lab-main', 'lab-edge'],
            default: 'lab-main',
          },
          {
            name: 'note',
            type: 'string',
            required: false,
            description: 'Free text',
          },
        ],
      },
    ]);
    expect(harness.seen[0].query).toMatchObject({ filter: 'kind=template' });
  });

  it('dry-runs a template with its own files, as the user', async () => {
    const res = await harness.invoke('dry-run-template', {
      templateRef: 'team-sandbox',
      values: { name: 'ml-sandbox', cluster: 'lab-main' },
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({
      templateRef: 'template:default/team-sandbox',
      steps: [{ id: 'fetch', name: 'Generate', action: 'fetch:template' }],
      log: [{ stepId: 'fetch', status: 'completed', message: 'read 3 files' }],
      files: expect.arrayContaining([
        'skeleton/catalog-info.yaml',
        'skeleton/k8s/namespace.yaml',
      ]),
      output: {},
    });
    const dryRun = harness.seen.find(s => s.path === '/scaffolder/v2/dry-run')!;
    expect(dryRun.principal).toBe(`user:${GUEST}`);
    const body = dryRun.body as any;
    expect(body.values).toEqual({ name: 'ml-sandbox', cluster: 'lab-main' });
    expect(body.template.metadata.name).toBe('team-sandbox');
    const skeleton = body.directoryContents.find(
      (f: any) => f.path === 'skeleton/catalog-info.yaml',
    );
    expect(Buffer.from(skeleton.base64Content, 'base64').toString()).toBe(
      'name: ${{ values.name }}\n',
    );
  });

  it('creates only with confirm: true, and follows the task', async () => {
    const unconfirmed = await harness.invoke('create-from-template', {
      templateRef: 'template:default/team-sandbox',
      values: { name: 'ml-sandbox' },
    });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.message).toMatch(/^confirm: /);
    const no = await harness.invoke('create-from-template', {
      templateRef: 'template:default/team-sandbox',
      confirm: false,
    });
    expect(no.body.error.message).toBe(
      'confirm: must be true to create: this makes real repositories and resources',
    );
    expect(harness.seen).toEqual([]);

    const created = await harness.invoke('create-from-template', {
      templateRef: 'template:default/team-sandbox',
      values: { name: 'ml-sandbox' },
      confirm: true,
    });
    expect(created.body.output).toEqual({
      templateRef: 'template:default/team-sandbox',
      taskId: 'task-1',
    });
    expect(harness.seen[0]).toMatchObject({
      method: 'POST',
      path: '/scaffolder/v2/tasks',
      body: {
        templateRef: 'template:default/team-sandbox',
        values: { name: 'ml-sandbox' },
      },
      principal: `user:${GUEST}`,
    });

    const task = await harness.invoke('get-template-task', {
      taskId: 'task-1',
    });
    expect(task.body.output).toEqual({
      taskId: 'task-1',
      status: 'completed',
      createdAt: '2026-11-30T00:00:00Z',
      log: ['Beginning step Generate', 'Finished step Generate'],
      output: { links: [{ title: 'Repo', url: 'http://git/x' }] },
    });
    const audits = await harness.audits();
    expect(
      audits.map(a => [a.meta.action, a.severityLevel, a.outcome]),
    ).toEqual([
      ['create-from-template', 'high', 'failed'],
      ['create-from-template', 'high', 'failed'],
      ['create-from-template', 'high', 'succeeded'],
      ['get-template-task', 'medium', 'succeeded'],
    ]);
  });
});
