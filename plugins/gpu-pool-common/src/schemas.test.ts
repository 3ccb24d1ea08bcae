import { createGpuRequestSchema, describeZodError } from './schemas';
import { formatDuration, parseDuration } from './duration';
import { predictOutcome, GpuPoolSummary } from './types';
import { isProtectedNamespace } from './namespaces';

const valid = {
  team: 'group:default/ml-team',
  cluster: 'lab-main',
  namespace: 'ml-exp',
  gpus: [{ pool: 'lab-main-h100', count: 2 }],
  cpu: '8',
  memory: '64Gi',
  duration: 'P2D',
  justification: 'fine-tuning',
  ephemeral: false,
};

function errorOf(body: object) {
  const result = createGpuRequestSchema.safeParse(body);
  return result.success ? undefined : describeZodError(result.error);
}

describe('createGpuRequestSchema', () => {
  it('accepts the documented body and fills defaults', () => {
    const parsed = createGpuRequestSchema.parse({ ...valid, justification: undefined, ephemeral: undefined });
    expect(parsed.justification).toBe('');
    expect(parsed.ephemeral).toBe(false);
    // Priority is the platform team's to set: no default the backend could mistake for a choice.
    expect(parsed.priority).toBeUndefined();
  });

  it.each([
    [{ gpus: [{ pool: 'p', count: 0 }] }, 'gpus[0].count must be at least 1'],
    [{ gpus: [{ pool: 'p', count: -2 }] }, 'gpus[0].count must be at least 1'],
    [{ gpus: [{ pool: 'p', count: 1.5 }] }, 'gpus[0].count must be a whole number'],
    [{ duration: 'two days' }, 'duration must be an ISO 8601 duration'],
    [{ namespace: 'ML_Exp' }, 'namespace must be a DNS-1123 label'],
    [{ team: 'ml-team' }, 'team must be a group entity ref'],
    [{ cpu: 'lots' }, 'cpu must be a positive CPU quantity'],
    [{ extra: 1 }, 'unknown field extra'],
  ])('rejects %j naming the field', (patch, message) => {
    expect(errorOf({ ...valid, ...patch })).toContain(message);
  });

  it('names a missing field', () => {
    const { cluster, ...rest } = valid;
    expect(errorOf(rest)).toBe('cluster is required');
  });
});

describe('durations and quantities', () => {
  it('parses and formats ISO 8601 durations', () => {
    expect(parseDuration('P2D')).toBe(2 * 86400_000);
    expect(parseDuration('PT1H30M')).toBe(5400_000);
    expect(parseDuration('P1W')).toBe(7 * 86400_000);
    expect(parseDuration('P')).toBeUndefined();
    expect(parseDuration('PT')).toBeUndefined();
    expect(parseDuration('P1Y')).toBeUndefined();
    expect(formatDuration(parseDuration('P1DT2H')!)).toBe('P1DT2H');
  });
});

describe('predictOutcome', () => {
  const pool: GpuPoolSummary = {
    id: 'p', cluster: 'c', title: 'P', resource: 'nvidia.com/gpu', model: 'H100',
    capacity: 16, allocated: 12, available: 4, queued: 0, reserve: 0,
    maxPerRequest: 8, maxDuration: 'P7D', defaultDuration: 'P1D',
    allowances: { 'group:default/ml-team': 4 }, usage: { 'group:default/ml-team': 2 }, live: true,
  };
  it('predicts immediate, queue and approval', () => {
    expect(predictOutcome([pool], 'group:default/ml-team', [{ pool: 'p', count: 2 }])).toBe('immediate');
    expect(predictOutcome([{ ...pool, available: 1 }], 'group:default/ml-team', [{ pool: 'p', count: 2 }])).toBe('queue');
    expect(predictOutcome([pool], 'group:default/ml-team', [{ pool: 'p', count: 3 }])).toBe('approval');
    expect(predictOutcome([pool], 'group:default/payments-team', [{ pool: 'p', count: 1 }])).toBe('approval');
  });
});

describe('isProtectedNamespace', () => {
  it.each([
    ['kube-system', true],
    ['kube-public', true],
    ['default', true],
    ['gpu-operator', true],
    ['nvidia-gpu-operator', true],
    ['backstage', true],
    ['ml-exp', false],
    ['defaults', false],
    ['my-kube-thing', false],
  ])('%s → %s', (name, expected) => {
    expect(isProtectedNamespace(name)).toBe(expected);
  });

  it('takes configured patterns', () => {
    expect(isProtectedNamespace('kueue-system', ['kueue-*'])).toBe(true);
    expect(isProtectedNamespace('kueue-system', ['kueue'])).toBe(false);
  });
});
