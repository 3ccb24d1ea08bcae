import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `gpu-pool:namespace:ensure`. */
export const examples: TemplateExample[] = [
  {
    description: 'A namespace for a new payments service on the main cluster',
    example: yaml.stringify({
      steps: [
        {
          id: 'namespace',
          action: 'gpu-pool:namespace:ensure',
          name: 'Namespace',
          input: {
            team: 'group:default/payments-team',
            cluster: 'lab-main',
            namespace: 'payments-ledger',
            cpu: '8',
            memory: '32Gi',
          },
        },
      ],
    }),
  },
];
