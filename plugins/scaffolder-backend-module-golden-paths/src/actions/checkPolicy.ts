import fs from 'node:fs';
import {
  AuditorService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import {
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  KindValidator,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { checkPaths, formatReport } from '@internal/manifest-policy';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseAllDocuments } from 'yaml';
import { examples } from './checkPolicy.examples';
import { auditAction } from './auditAction';

const entityPolicy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const kindValidators: KindValidator[] = [
  componentEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
];

// The catalog resolves $text/$json/$yaml substitutions when it reads the
// file: validate the entity as it will look then.
function withoutSubstitutions(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutSubstitutions);
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && ['$text', '$json', '$yaml'].includes(keys[0])) {
      return `substituted from ${String((value as any)[keys[0]])}`;
    }
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withoutSubstitutions(v)]),
    );
  }
  return value;
}

async function validateEntities(file: string, label: string): Promise<number> {
  let count = 0;
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    if (doc.errors.length > 0) {
      throw new InputError(`${label}: ${doc.errors[0].message}`);
    }
    const entity = withoutSubstitutions(doc.toJS()) as Entity;
    if (!entity) {
      continue;
    }
    try {
      const checked = await entityPolicy.enforce(entity);
      const results = await Promise.all(
        kindValidators.map(v => v.check(checked!)),
      );
      if (!results.some(Boolean)) {
        throw new Error(
          `kind ${entity.kind} is not a kind golden paths register`,
        );
      }
    } catch (error) {
      throw new InputError(
        `${label}: ${entity.kind ?? '?'} ${
          entity.metadata?.name ?? '?'
        } is not a valid catalog entity: ${(error as Error).message}`,
      );
    }
    count++;
  }
  return count;
}

/**
 * `portal:policy:check`: runs the platform's manifest policy (the same code
 * the generated pipeline runs) on the generated manifests, and validates the
 * catalog descriptor, before anything is published. Every result, pass or
 * violation, is an auditor event (`policy-check`) with the task's user.
 *
 * @public
 */
export function createCheckPolicyAction(options: { auditor: AuditorService }) {
  const { auditor } = options;
  return createTemplateAction({
    id: 'portal:policy:check',
    description:
      "Checks the workspace's Kubernetes manifests against the platform policy and validates its catalog-info.yaml; fails the task on a violation.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        manifestPaths: z =>
          z
            .array(z.string())
            .min(1)
            .optional()
            .describe(
              'Files or directories of the workspace holding manifests; default: [k8s]',
            ),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Catalog descriptor to validate; default: catalog-info.yaml',
            ),
      },
      output: {
        checked: z => z.number().describe('Kubernetes objects checked'),
        entities: z => z.number().describe('Catalog entities validated'),
      },
    },
    async handler(ctx) {
      const manifestPaths = ctx.input.manifestPaths ?? ['k8s'];
      for (const p of manifestPaths) {
        resolveSafeChildPath(ctx.workspacePath, p);
      }
      const { checked, entities } = await auditAction(
        {
          auditor,
          eventId: 'policy-check',
          actor: ctx.user?.ref,
          target: {
            manifestPaths,
            template: ctx.templateInfo?.entityRef ?? 'unknown',
            dryRun: Boolean(ctx.isDryRun),
          },
          outcome: result => result,
        },
        async () => {
          const report = checkPaths(manifestPaths, { cwd: ctx.workspacePath });
          for (const line of formatReport(report).split('\n')) {
            ctx.logger.info(line);
          }
          if (report.errors.length > 0 || report.violations.length > 0) {
            throw new InputError(
              `Manifests break the platform policy: ${[
                ...report.errors.map(e => `${e.file}: ${e.message}`),
                ...report.violations.map(
                  v =>
                    `[${v.rule}] ${v.file} ${v.kind}/${v.name}: ${v.message}`,
                ),
              ].join('; ')}`,
            );
          }
          if (report.checked === 0) {
            throw new InputError(
              `manifestPaths ${manifestPaths.join(
                ', ',
              )} hold no Kubernetes objects`,
            );
          }

          const catalogInfoPath =
            ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
          const catalogFile = resolveSafeChildPath(
            ctx.workspacePath,
            catalogInfoPath,
          );
          if (!fs.existsSync(catalogFile)) {
            throw new InputError(
              `catalogInfoPath ${catalogInfoPath} does not exist`,
            );
          }
          const valid = await validateEntities(catalogFile, catalogInfoPath);
          ctx.logger.info(
            `${catalogInfoPath}: ${valid} valid catalog entities`,
          );

          return { checked: report.checked, entities: valid };
        },
      );

      ctx.output('checked', checked);
      ctx.output('entities', entities);
    },
  });
}
