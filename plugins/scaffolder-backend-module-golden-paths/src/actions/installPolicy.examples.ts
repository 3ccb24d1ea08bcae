import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Put the platform policy at tools/manifest-policy.cjs, where the pipeline runs it',
    example: stringify({
      steps: [
        {
          id: 'policy-tool',
          action: 'portal:policy:install',
          name: 'Platform policy for the pipeline',
        },
      ],
    }),
  },
  {
    description: 'Put it somewhere else',
    example: stringify({
      steps: [
        {
          id: 'policy-tool',
          action: 'portal:policy:install',
          name: 'Platform policy for the pipeline',
          input: { targetPath: 'ci/policy.cjs' },
        },
      ],
    }),
  },
];
