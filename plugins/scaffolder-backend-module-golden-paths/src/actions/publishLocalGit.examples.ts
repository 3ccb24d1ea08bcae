import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Publish the workspace to a repository on the portal's storage and register it",
    example: stringify({
      steps: [
        {
          id: 'publish',
          action: 'portal:publish:local-git',
          name: 'Publish',
          input: {
            repoName: 'payments-api',
            description: 'Payments REST API',
          },
        },
        {
          id: 'register',
          action: 'catalog:register',
          name: 'Register',
          input: {
            catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
          },
        },
      ],
    }),
  },
  {
    description: 'Publish only a sub-directory of the workspace',
    example: stringify({
      steps: [
        {
          id: 'publish',
          action: 'portal:publish:local-git',
          name: 'Publish',
          input: {
            repoName: 'ml-sandbox',
            sourcePath: 'repo',
            commitMessage: 'Sandbox created by the portal',
          },
        },
      ],
    }),
  },
];
