import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { TemplateFiles } from '../services/TemplateFiles/TemplateFiles';
import {
  PortalActionDeps,
  registerPortalAction,
  Zod,
} from '../services/PortalActions/registerPortalAction';

// Golden paths: templates from the catalog, dry runs and tasks through the
// scaffolder's REST API (/api/scaffolder/v2), as the caller.

const MAX_TEMPLATES = 200;

function templateRefInput(zod: Zod) {
  return zod
    .string()
    .min(1, 'is required')
    .max(512, 'must be at most 512 characters')
    .describe(
      '템플릿 참조 / Template ref, e.g. "template:default/team-sandbox" or "team-sandbox"',
    );
}

function valuesInput(zod: Zod) {
  return zod
    .record(zod.unknown())
    .default({})
    .describe(
      '템플릿 매개변수 값 / Values of the template parameters (see list-templates)',
    );
}

function toTemplateRef(value: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'template',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(
      `templateRef: "${value}" is not a template ref (${
        (error as Error).message
      })`,
    );
  }
}

interface Parameter {
  name: string;
  title?: string;
  type?: string;
  required: boolean;
  description?: string;
  enum?: unknown[];
  default?: unknown;
  pattern?: string;
}

/** The parameters of a template's form steps, flattened. */
function parametersOf(entity: Entity): Parameter[] {
  const raw = (entity.spec as any)?.parameters;
  const steps: any[] = Array.isArray(raw) ? raw : [raw].filter(Boolean);
  const out: Parameter[] = [];
  for (const step of steps) {
    const required = new Set<string>(step?.required ?? []);
    for (const [name, schema] of Object.entries<any>(step?.properties ?? {})) {
      out.push({
        name,
        title: schema?.title,
        type: schema?.type,
        required: required.has(name),
        description: schema?.description ?? schema?.['ui:help'],
        enum: schema?.enum,
        default: schema?.default,
        pattern: schema?.pattern,
      });
    }
  }
  return out;
}

/** Golden paths: list templates, dry-run one, create from one (confirmed), follow the task. */
export function registerTemplateActions(
  deps: PortalActionDeps,
  options: { templateFiles: TemplateFiles },
) {
  const { templateFiles } = options;

  registerPortalAction(deps, {
    name: 'list-templates',
    title: '골든 패스 템플릿 목록 (List golden-path templates)',
    description:
      '쓸 수 있는 골든 패스 템플릿과 각 템플릿의 매개변수(이름, 형식, 필수 여부, 허용 값)를 보여 줍니다. / ' +
      'Lists the golden-path templates with their parameters (name, type, required, allowed values).',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    input: zod => zod.object({}).strict(),
    output: zod =>
      zod.object({
        templates: zod.array(
          zod.object({
            templateRef: zod.string(),
            title: zod.string().optional(),
            description: zod.string().optional(),
            type: zod.string().optional(),
            owner: zod.string().optional(),
            parameters: zod.array(
              zod.object({
                name: zod.string(),
                title: zod.string().optional(),
                type: zod.string().optional(),
                required: zod.boolean(),
                description: zod.string().optional(),
                enum: zod.array(zod.unknown()).optional(),
                default: zod.unknown().optional(),
                pattern: zod.string().optional(),
              }),
            ),
          }),
        ),
      }),
    examples: [
      {
        title: '템플릿 목록 / All templates',
        input: {},
        output: {
          templates: [
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
                },
                {
                  name: 'cluster',
                  type: 'string',
                  required: true,
                  enum: ['lab-main', 'lab-edge'],
                },
              ],
            },
          ],
        },
      },
    ],
    target: () => 'templates',
    handler: async ({ credentials, api }) => {
      const { items } = await api.request<{ items: Entity[] }>(credentials, {
        pluginId: 'catalog',
        path: '/entities/by-query',
        query: { filter: 'kind=template', limit: String(MAX_TEMPLATES) },
      });
      return {
        templates: items.map(t => ({
          templateRef: stringifyEntityRef(t),
          title: t.metadata.title,
          description: t.metadata.description,
          type: (t.spec as any)?.type,
          owner: (t.spec as any)?.owner,
          parameters: parametersOf(t),
        })),
      };
    },
  });

  registerPortalAction(deps, {
    name: 'dry-run-template',
    title: '템플릿 시험 실행 (Dry-run a template)',
    description:
      '템플릿을 실제로 만들지 않고 시험 실행하여, 단계별 로그와 만들어질 파일 목록을 보여 줍니다. / ' +
      'Runs a template without creating anything: the step log, and the files it would produce.',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    input: zod =>
      zod
        .object({
          templateRef: templateRefInput(zod),
          values: valuesInput(zod),
        })
        .strict(),
    output: zod =>
      zod.object({
        templateRef: zod.string(),
        steps: zod.array(
          zod.object({
            id: zod.string(),
            name: zod.string(),
            action: zod.string(),
          }),
        ),
        log: zod.array(
          zod.object({
            stepId: zod.string().optional(),
            status: zod.string().optional(),
            message: zod.string(),
          }),
        ),
        files: zod.array(zod.string()),
        output: zod.record(zod.unknown()).optional(),
      }),
    examples: [
      {
        title: '샌드박스 시험 / Try the sandbox template',
        input: {
          templateRef: 'template:default/team-sandbox',
          values: {
            name: 'ml-sandbox',
            description: 'Trying out a new tokenizer',
            owner: 'group:default/ml-team',
            system: 'system:default/ml-platform',
            cluster: 'lab-main',
          },
        },
        output: {
          templateRef: 'template:default/team-sandbox',
          steps: [
            {
              id: 'fetch',
              name: 'Generate the repository',
              action: 'fetch:template',
            },
          ],
          log: [
            {
              stepId: 'fetch',
              status: 'completed',
              message: 'Finished step Generate the repository',
            },
          ],
          files: ['catalog-info.yaml', 'k8s/namespace.yaml'],
        },
      },
    ],
    target: input => input.templateRef,
    handler: async ({ input, credentials, api }) => {
      const templateRef = toTemplateRef(input.templateRef);
      const { kind, namespace, name } = parseEntityRef(templateRef);
      const template = await api.request<Entity>(credentials, {
        pluginId: 'catalog',
        path: `/entities/by-name/${kind}/${encodeURIComponent(
          namespace,
        )}/${encodeURIComponent(name)}`,
      });
      const directoryContents = await templateFiles.read(template);
      const result = await api.request<any>(credentials, {
        pluginId: 'scaffolder',
        method: 'POST',
        path: '/v2/dry-run',
        body: { template, values: input.values, directoryContents },
      });
      return {
        templateRef,
        steps: (result.steps ?? []).map((s: any) => ({
          id: s.id,
          name: s.name,
          action: s.action,
        })),
        log: (result.log ?? []).map((l: any) => ({
          stepId: l.body?.stepId,
          status: l.body?.status,
          message: String(l.body?.message ?? ''),
        })),
        files: (result.directoryContents ?? []).map((f: any) => f.path),
        output: result.output,
      };
    },
  });

  registerPortalAction(deps, {
    name: 'create-from-template',
    title: '템플릿으로 생성 (Create from a template)',
    description:
      '템플릿으로 저장소, 카탈로그 항목, 네임스페이스 등을 실제로 만듭니다. confirm: true 가 있어야 실행됩니다. 먼저 dry-run-template 으로 확인하세요. / ' +
      'Really creates from a template (repository, catalog entries, namespace, …). Runs only with confirm: true; check with dry-run-template first.',
    attributes: { readOnly: false, destructive: true, idempotent: false },
    input: zod =>
      zod
        .object({
          templateRef: templateRefInput(zod),
          values: valuesInput(zod),
          confirm: zod
            .literal(true, {
              errorMap: () => ({
                message:
                  'must be true to create: this makes real repositories and resources',
              }),
            })
            .describe('실행 확인 / Must be true: creation is real'),
        })
        .strict(),
    output: zod =>
      zod.object({ templateRef: zod.string(), taskId: zod.string() }),
    examples: [
      {
        title: '샌드박스 만들기 / Create a sandbox',
        input: {
          templateRef: 'template:default/team-sandbox',
          values: {
            name: 'ml-sandbox',
            description: 'Trying out a new tokenizer',
            owner: 'group:default/ml-team',
            system: 'system:default/ml-platform',
            cluster: 'lab-main',
          },
          confirm: true,
        },
        output: {
          templateRef: 'template:default/team-sandbox',
          taskId: '2f6e9b1c-6c1e-4a59-9d0e-6f2b1c3d4e5f',
        },
      },
    ],
    target: input => input.templateRef,
    handler: async ({ input, credentials, api }) => {
      const templateRef = toTemplateRef(input.templateRef);
      const { id } = await api.request<{ id: string }>(credentials, {
        pluginId: 'scaffolder',
        method: 'POST',
        path: '/v2/tasks',
        body: { templateRef, values: input.values },
      });
      return { templateRef, taskId: id };
    },
  });

  registerPortalAction(deps, {
    name: 'get-template-task',
    title: '템플릿 작업 상태 (Status of a template task)',
    description:
      '템플릿으로 생성한 작업의 상태, 최근 로그와 결과(링크 등)를 보여 줍니다. / ' +
      'Shows the status of a creation task, its latest log lines and, once done, its output (links, entity refs).',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    input: zod =>
      zod
        .object({
          taskId: zod
            .string()
            .min(1, 'is required')
            .describe('작업 ID / Task id'),
        })
        .strict(),
    output: zod =>
      zod.object({
        taskId: zod.string(),
        status: zod
          .string()
          .describe('open, processing, completed, failed, cancelled'),
        createdAt: zod.string().optional(),
        log: zod.array(zod.string()),
        output: zod.record(zod.unknown()).optional(),
      }),
    examples: [
      {
        title: '끝났는지 확인 / Is it done',
        input: { taskId: '2f6e9b1c-6c1e-4a59-9d0e-6f2b1c3d4e5f' },
        output: {
          taskId: '2f6e9b1c-6c1e-4a59-9d0e-6f2b1c3d4e5f',
          status: 'completed',
          log: ['Finished step Register in the catalog'],
          output: {
            links: [
              {
                title: 'Open in catalog',
                entityRef: 'component:default/ml-sandbox',
              },
            ],
          },
        },
      },
    ],
    target: input => input.taskId,
    handler: async ({ input, credentials, api }) => {
      const path = `/v2/tasks/${encodeURIComponent(input.taskId)}`;
      const [task, events] = await Promise.all([
        api.request<any>(credentials, { pluginId: 'scaffolder', path }),
        api.request<any[]>(credentials, {
          pluginId: 'scaffolder',
          path: `${path}/events`,
        }),
      ]);
      const completion = events.find(e => e.type === 'completion');
      return {
        taskId: task.id,
        status: task.status,
        createdAt: task.createdAt,
        log: events
          .filter(e => e.type === 'log')
          .slice(-20)
          .map(e => String(e.body?.message ?? '')),
        output: completion?.body?.output as JsonObject | undefined,
      };
    },
  });
}
