import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Check the manifests in k8s/ and the catalog-info.yaml',
    example: stringify({
      steps: [
        {
          id: 'policy',
          action: 'portal:policy:check',
          name: 'Platform policy',
        },
      ],
    }),
  },
  {
    description: 'Check manifests kept in two places',
    example: stringify({
      steps: [
        {
          id: 'policy',
          action: 'portal:policy:check',
          name: 'Platform policy',
          input: {
            manifestPaths: ['deploy/base', 'deploy/jobs.yaml'],
            catalogInfoPath: 'catalog-info.yaml',
          },
        },
      ],
    }),
  },
];
