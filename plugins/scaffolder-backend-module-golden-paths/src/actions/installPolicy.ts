import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  AuditorService,
  resolvePackagePath,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './installPolicy.examples';
import { auditAction } from './auditAction';

/**
 * The one generated policy bundle of `@internal/manifest-policy`, as shipped
 * with the backend (the package lists `bundle` in its `files`).
 *
 * @public
 */
export function defaultPolicyBundlePath(): string {
  return resolvePackagePath(
    '@internal/manifest-policy',
    'bundle',
    'manifest-policy.cjs',
  );
}

/**
 * `portal:policy:install`: writes the platform's manifest policy, bundled
 * into one dependency-free file, into the workspace, so the generated
 * pipeline runs offline exactly the rules `portal:policy:check` applies.
 *
 * The templates do not carry a copy of the bundle: `fetch:plain:file` cannot
 * read outside a template's own directory (it refuses `../` for `file:`
 * locations), so the copy comes from the package the backend ships.
 *
 * @public
 */
export function createInstallPolicyAction(options: {
  /** Where the bundle is read from; default {@link defaultPolicyBundlePath}. */
  bundlePath?: string;
  /** Receives one `policy-install` event per write. */
  auditor: AuditorService;
}) {
  const bundlePath = options.bundlePath ?? defaultPolicyBundlePath();
  const { auditor } = options;
  return createTemplateAction({
    id: 'portal:policy:install',
    description:
      'Writes the platform manifest policy (one dependency-free Node.js file) into the workspace, for the generated pipeline.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        targetPath: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe(
              'Path in the workspace to write to; default: tools/manifest-policy.cjs',
            ),
      },
      output: {
        path: z =>
          z.string().describe('Path written, relative to the workspace'),
        sha256: z =>
          z.string().describe('SHA-256 of the policy bundle written'),
      },
    },
    async handler(ctx) {
      const targetPath = ctx.input.targetPath ?? 'tools/manifest-policy.cjs';
      let target: string;
      try {
        target = resolveSafeChildPath(ctx.workspacePath, targetPath);
      } catch {
        throw new InputError(
          `targetPath ${targetPath} must stay inside the workspace`,
        );
      }
      if (!fs.existsSync(bundlePath)) {
        throw new NotFoundError(
          `Policy bundle ${bundlePath} is missing: run \`yarn workspace @internal/manifest-policy bundle\``,
        );
      }
      const sha256 = await auditAction(
        {
          auditor,
          eventId: 'policy-install',
          severityLevel: 'low',
          actor: ctx.user?.ref,
          target: {
            path: targetPath,
            template: ctx.templateInfo?.entityRef ?? 'unknown',
          },
          outcome: hash => ({ sha256: hash }),
        },
        async () => {
          const content = await fs.promises.readFile(bundlePath);
          await fs.promises.mkdir(path.dirname(target), { recursive: true });
          await fs.promises.writeFile(target, content, { mode: 0o755 });
          // writeFile keeps the mode of an existing file: set it explicitly.
          await fs.promises.chmod(target, 0o755);
          return crypto.createHash('sha256').update(content).digest('hex');
        },
      );
      ctx.logger.info(`Wrote the platform policy to ${targetPath}`, {
        sha256,
      });
      ctx.output('path', targetPath);
      ctx.output('sha256', sha256);
    },
  });
}
