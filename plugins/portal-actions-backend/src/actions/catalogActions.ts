import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { PortalApi } from '../services/PortalApi/PortalApi';
import {
  PortalActionDeps,
  registerPortalAction,
  Zod,
} from '../services/PortalActions/registerPortalAction';

// The catalog's REST API (/api/catalog) and catalog curation's
// (plugins/catalog-curation-backend/src/openapi.yaml), read as the caller.

const readOnly = { readOnly: true, destructive: false, idempotent: true };
const MAX_OWNED = 500;

function entityRefInput(zod: Zod, what: string) {
  return zod
    .string()
    .min(1, 'is required')
    .max(512, 'must be at most 512 characters')
    .describe(what);
}

/** Parses an entity ref the way the catalog writes them, naming the field when it is not one. */
function toRef(
  field: string,
  value: string,
  defaultKind?: string,
): { kind: string; namespace: string; name: string } {
  try {
    const ref = parseEntityRef(value, {
      defaultKind,
      defaultNamespace: 'default',
    });
    return {
      kind: ref.kind.toLocaleLowerCase('en-US'),
      namespace: ref.namespace.toLocaleLowerCase('en-US'),
      name: ref.name,
    };
  } catch (error) {
    throw new InputError(
      `${field}: "${value}" is not an entity ref such as "component:default/model-serving" (${
        (error as Error).message
      })`,
    );
  }
}

async function getEntity(
  api: PortalApi,
  credentials: Parameters<PortalApi['request']>[0],
  ref: { kind: string; namespace: string; name: string },
): Promise<Entity> {
  return api.request<Entity>(credentials, {
    pluginId: 'catalog',
    path: `/entities/by-name/${encodeURIComponent(
      ref.kind,
    )}/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`,
  });
}

function targets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef);
}

/** Catalog: owners, what a team owns, and curation problems of an entity. */
export function registerCatalogActions(deps: PortalActionDeps) {
  registerPortalAction(deps, {
    name: 'get-entity-owner',
    title: '소유 팀 조회 (Who owns an entity)',
    description:
      '카탈로그 엔티티(서비스, API, 시스템 등)를 소유한 팀과 그 팀의 연락처, 구성원을 보여 줍니다. / ' +
      'Shows which team owns a catalog entity (component, API, system, …), with the team’s contact e-mail and members.',
    attributes: readOnly,
    input: zod =>
      zod
        .object({
          entityRef: entityRefInput(
            zod,
            '엔티티 참조 / Entity ref, e.g. "component:default/model-serving" (kind defaults to component)',
          ),
        })
        .strict(),
    output: zod =>
      zod.object({
        entityRef: zod.string(),
        owner: zod.string().optional(),
        ownerTitle: zod.string().optional(),
        ownerEmail: zod.string().optional(),
        members: zod.array(zod.string()),
      }),
    examples: [
      {
        title: '모델 서빙의 소유 팀 / Owner of model-serving',
        input: { entityRef: 'component:default/model-serving' },
        output: {
          entityRef: 'component:default/model-serving',
          owner: 'group:default/ml-team',
          ownerTitle: 'ML팀 (ML team)',
          ownerEmail: 'ml-team@example.go.kr',
          members: ['user:default/jiwoo.kim'],
        },
      },
    ],
    target: input => input.entityRef,
    handler: async ({ input, credentials, api }) => {
      const entity = await getEntity(
        api,
        credentials,
        toRef('entityRef', input.entityRef, 'component'),
      );
      const entityRef = stringifyEntityRef(entity);
      const owner = targets(entity, 'ownedBy')[0];
      if (!owner) return { entityRef, members: [] };
      const ownerEntity = await getEntity(
        api,
        credentials,
        toRef('owner', owner),
      );
      return {
        entityRef,
        owner,
        ownerTitle: ownerEntity.metadata.title,
        ownerEmail: (ownerEntity.spec as any)?.profile?.email,
        members: targets(ownerEntity, 'hasMember'),
      };
    },
  });

  registerPortalAction(deps, {
    name: 'list-team-entities',
    title: '팀 소유 목록 (What a team owns)',
    description:
      '팀이 소유한 카탈로그 엔티티(서비스, API, 라이브러리, 시스템, 리소스 등)를 보여 줍니다. / ' +
      'Lists the catalog entities a team owns (components, APIs, libraries, systems, resources, …).',
    attributes: readOnly,
    input: zod =>
      zod
        .object({
          team: entityRefInput(
            zod,
            '팀 참조 / Team ref, e.g. "group:default/ml-team" or "ml-team"',
          ),
          kind: zod
            .string()
            .optional()
            .describe('이 종류만 / Only this kind, e.g. "Component"'),
        })
        .strict(),
    output: zod =>
      zod.object({
        team: zod.string(),
        entities: zod.array(
          zod.object({
            entityRef: zod.string(),
            kind: zod.string(),
            title: zod.string().optional(),
            type: zod.string().optional(),
            lifecycle: zod.string().optional(),
          }),
        ),
        truncated: zod.boolean(),
      }),
    examples: [
      {
        title: 'ML팀 소유 / Owned by the ML team',
        input: { team: 'group:default/ml-team', kind: 'Component' },
        output: {
          team: 'group:default/ml-team',
          entities: [
            {
              entityRef: 'component:default/model-serving',
              kind: 'Component',
              type: 'service',
              lifecycle: 'production',
            },
          ],
          truncated: false,
        },
      },
    ],
    target: input => input.team,
    handler: async ({ input, credentials, api }) => {
      const ref = toRef('team', input.team, 'group');
      const team = `${ref.kind}:${ref.namespace}/${ref.name}`;
      const filter = [`relations.ownedBy=${team}`];
      if (input.kind) filter.push(`kind=${input.kind}`);
      const page = await api.request<{ items: Entity[] }>(credentials, {
        pluginId: 'catalog',
        path: '/entities/by-query',
        query: {
          filter: filter.join(','),
          limit: String(MAX_OWNED + 1),
          fields:
            'kind,metadata.name,metadata.namespace,metadata.title,spec.type,spec.lifecycle',
        },
      });
      const items = page.items.slice(0, MAX_OWNED);
      return {
        team,
        entities: items.map(e => ({
          entityRef: stringifyEntityRef(e),
          kind: e.kind,
          title: e.metadata.title,
          type: (e.spec as any)?.type,
          lifecycle: (e.spec as any)?.lifecycle,
        })),
        truncated: page.items.length > MAX_OWNED,
      };
    },
  });

  registerPortalAction(deps, {
    name: 'get-entity-curation-problems',
    title: '카탈로그 품질 문제 (Curation problems of an entity)',
    description:
      '엔티티의 품질 점검(소유 팀, 시스템, 수명주기, 문서, API 정의, 파이프라인, 네임스페이스) 중 실패한 항목과 카탈로그 처리 오류를 보여 줍니다. / ' +
      'Shows the failed quality checks of an entity (owner, system, lifecycle, docs, API definition, pipeline, namespace) and its catalog processing errors.',
    attributes: readOnly,
    input: zod =>
      zod
        .object({
          entityRef: entityRefInput(
            zod,
            '엔티티 참조 / Entity ref, e.g. "component:default/model-serving"',
          ),
        })
        .strict(),
    output: zod =>
      zod.object({
        entityRef: zod.string(),
        passed: zod.number(),
        applicable: zod.number(),
        problems: zod.array(
          zod.object({
            check: zod.string(),
            missing: zod.array(zod.string()).optional(),
          }),
        ),
        processingErrors: zod.array(zod.string()),
      }),
    examples: [
      {
        title: '문서가 빠진 서비스 / A service without docs',
        input: { entityRef: 'component:default/model-serving' },
        output: {
          entityRef: 'component:default/model-serving',
          passed: 6,
          applicable: 7,
          problems: [
            { check: 'techdocs', missing: ['backstage.io/techdocs-ref'] },
          ],
          processingErrors: [],
        },
      },
    ],
    target: input => input.entityRef,
    handler: async ({ input, credentials, api }) => {
      const ref = toRef('entityRef', input.entityRef, 'component');
      const entityRef = `${ref.kind}:${ref.namespace}/${ref.name}`;
      const [quality, entity] = await Promise.all([
        api.request<any>(credentials, {
          pluginId: 'catalog-curation',
          path: '/quality',
          query: { entityRef },
        }),
        getEntity(api, credentials, ref),
      ]);
      const statusItems: any[] = (entity as any).status?.items ?? [];
      return {
        entityRef: quality.entityRef,
        passed: quality.passed,
        applicable: quality.applicable,
        problems: (quality.checks as any[])
          .filter(c => c.status === 'fail')
          .map(c => ({ check: c.id, missing: c.missing })),
        processingErrors: statusItems
          .filter(i => i.level === 'error')
          .map(i => String(i.message)),
      };
    },
  });
}
