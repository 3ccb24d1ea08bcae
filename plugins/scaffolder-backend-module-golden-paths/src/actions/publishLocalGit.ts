import path from 'node:path';
import {
  AuditorService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LocalGitRepositories } from '../services/LocalGitRepositories/LocalGitRepositories';
import { examples } from './publishLocalGit.examples';
import { auditAction } from './auditAction';

/**
 * `portal:publish:local-git`: publishes the workspace as a new git repository
 * on the portal's own storage, for air-gapped installations without a git
 * server. The outputs feed `catalog:register` directly. Creating the
 * repository is an auditor event (`local-git-publish`) with the task's user,
 * the repository and the outcome.
 *
 * @public
 */
export function createPublishLocalGitAction(options: {
  repositories: LocalGitRepositories;
  auditor: AuditorService;
}) {
  const { repositories, auditor } = options;
  return createTemplateAction({
    id: 'portal:publish:local-git',
    description:
      "Creates a git repository on the portal's own storage from the workspace and publishes a checkout the catalog can read.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
            .max(63)
            .describe(
              'Repository name, a DNS-1123 label (usually the component name)',
            ),
        description: z =>
          z.string().optional().describe('Repository description'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Sub-directory of the workspace to publish; default: the whole workspace',
            ),
        commitMessage: z =>
          z.string().optional().describe('Message of the initial commit'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Path of the catalog descriptor in the repository; default: catalog-info.yaml',
            ),
      },
      output: {
        remoteUrl: z =>
          z
            .string()
            .describe(
              'file:// URL of the bare repository (git clone <remoteUrl>)',
            ),
        repoContentsUrl: z =>
          z
            .string()
            .describe('URL of the published checkout, readable by the catalog'),
        catalogInfoUrl: z =>
          z
            .string()
            .describe('URL of the catalog descriptor, for catalog:register'),
        commitHash: z => z.string().describe('The initial commit'),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const location = repositories.locate(repoName);
      const catalogInfoPath = (
        ctx.input.catalogInfoPath ?? 'catalog-info.yaml'
      ).replace(/^\/+/, '');
      const catalogInfoUrl = new URL(
        catalogInfoPath,
        location.repoContentsUrl,
      ).toString();
      const sourceDir = ctx.input.sourcePath
        ? resolveSafeChildPath(ctx.workspacePath, ctx.input.sourcePath)
        : ctx.workspacePath;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create ${location.bareDir} from ${path.basename(
            sourceDir,
          )}`,
        );
        ctx.output('remoteUrl', location.remoteUrl);
        ctx.output('repoContentsUrl', location.repoContentsUrl);
        ctx.output('catalogInfoUrl', catalogInfoUrl);
        ctx.output('commitHash', 'dry-run');
        return;
      }

      const user = ctx.user?.entity;
      const author = {
        name:
          user?.spec?.profile?.displayName ??
          user?.metadata.name ??
          'Developer portal',
        email: user?.spec?.profile?.email ?? 'scaffolder@portal.local',
      };
      // Keyed by repository: a retried task reuses the repository it made.
      const created = await ctx.checkpoint({
        key: `portal.publish.local-git.${repoName}`,
        fn: () =>
          auditAction(
            {
              auditor,
              eventId: 'local-git-publish',
              actor: ctx.user?.ref,
              target: {
                repository: repoName,
                bareDir: location.bareDir,
                template: ctx.templateInfo?.entityRef ?? 'unknown',
              },
              outcome: repo => ({ commitHash: repo.commitHash }),
            },
            async () => {
              const repo = await repositories.create({
                name: repoName,
                sourceDir,
                description: ctx.input.description,
                commitMessage:
                  ctx.input.commitMessage ??
                  `Initial commit from template ${
                    ctx.templateInfo?.entityRef ?? ''
                  }`.trim(),
                author,
              });
              return {
                commitHash: repo.commitHash,
                bareDir: repo.bareDir,
                publishedDir: repo.publishedDir,
              };
            },
          ),
      });

      ctx.logger.info(
        `Created repository ${created.bareDir} (commit ${created.commitHash}); published checkout ${created.publishedDir}. ` +
          `If a later step fails, these two directories are what this step left behind.`,
      );
      ctx.output('remoteUrl', location.remoteUrl);
      ctx.output('repoContentsUrl', location.repoContentsUrl);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      ctx.output('commitHash', created.commitHash);
    },
  });
}
