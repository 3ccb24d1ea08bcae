import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples of `gpu-pool:request:create`. */
export const examples: TemplateExample[] = [
  {
    description: 'Two H100 for two days in a new namespace of the ML team',
    example: yaml.stringify({
      steps: [
        {
          id: 'gpus',
          action: 'gpu-pool:request:create',
          name: 'Request GPUs',
          input: {
            team: 'group:default/ml-team',
            cluster: 'lab-main',
            namespace: 'ml-llm-finetune',
            gpus: [{ pool: 'lab-main-h100', count: 2 }],
            cpu: '16',
            memory: '128Gi',
            duration: 'P2D',
            justification: 'Fine-tuning the complaint classifier',
          },
        },
      ],
    }),
  },
];
