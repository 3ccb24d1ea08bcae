import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Wait for the component catalog:register registered',
    example: stringify({
      steps: [
        {
          id: 'visible',
          action: 'portal:catalog:wait',
          name: 'Wait for the catalog',
          input: {
            entityRef: '${{ steps.register.output.entityRef }}',
            timeoutSeconds: 30,
          },
        },
      ],
    }),
  },
];
