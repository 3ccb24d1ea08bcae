import { isAppliedIn } from './Enforcer';

const wanted = {
  metadata: {
    name: 'portal-ml-team',
    labels: { 'app.kubernetes.io/managed-by': 'portal-gpu-pool' },
  },
  spec: {
    cohortName: 'portal-gpu-pool',
    resourceGroups: [
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [
          {
            name: 'lab-main-h100',
            resources: [{ name: 'nvidia.com/gpu', nominalQuota: '4' }],
          },
        ],
      },
    ],
  },
};

describe('isAppliedIn', () => {
  it('is true when the cluster holds every applied field, whatever the server defaulted', () => {
    const existing = structuredClone(wanted) as any;
    existing.metadata.labels.extra = 'x';
    existing.metadata.resourceVersion = '7';
    existing.spec.queueingStrategy = 'BestEffortFIFO';
    existing.spec.resourceGroups[0].flavors[0].resources[0].borrowingLimit =
      undefined;
    expect(isAppliedIn(wanted, existing)).toBe(true);
  });

  it('is false when the object is missing, a value differs, a label is gone or an array changed length', () => {
    expect(isAppliedIn(wanted, undefined)).toBe(false);
    const quota = structuredClone(wanted) as any;
    quota.spec.resourceGroups[0].flavors[0].resources[0].nominalQuota = '5';
    expect(isAppliedIn(wanted, quota)).toBe(false);
    const unlabelled = structuredClone(wanted) as any;
    unlabelled.metadata.labels = {};
    expect(isAppliedIn(wanted, unlabelled)).toBe(false);
    const extraFlavor = structuredClone(wanted) as any;
    extraFlavor.spec.resourceGroups[0].flavors.push({
      name: 'lab-main-a100',
      resources: [],
    });
    expect(isAppliedIn(wanted, extraFlavor)).toBe(false);
  });
});
