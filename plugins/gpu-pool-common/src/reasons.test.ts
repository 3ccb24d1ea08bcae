import {
  formatReason,
  GpuPoolReasonKey,
  gpuPoolReasonTemplates,
  parseReason,
} from './reasons';

/** Distinct, realistic values per placeholder name. */
const sample: Record<string, string> = {
  team: 'group:default/ml-team',
  pools: 'lab-main-a100 (2), lab-main-h100 (0)',
  resource: 'cpu',
  namespace: 'ml-x',
  request: 'req-42',
  pool: 'lab-main-a100',
  free: '1',
  capacity: '8',
  granted: '7',
  outside: '2',
  needed: '2',
  gpus: '2 × lab-main-a100, 1 × nvidia.com/gpu',
  duration: 'P1D',
  note: 'the run needs: one more day',
  at: '2026-12-01T04:00:00.000Z',
  until: '2026-12-01T05:30:00.000Z',
  cluster: 'lab-main',
  error: 'connect ECONNREFUSED 127.0.0.1:6443: retry later',
  owner: 'other-team',
  queue: 'gpu-pool',
  name: 'job-younger-1',
  clusterQueue: 'gpu-pool-ml-team',
  quotaNamespace: 'ml-x',
  threshold: '5',
  minutes: '10',
  max: '3%',
  grace: '30',
};

function paramsOf(key: GpuPoolReasonKey) {
  const names = [...gpuPoolReasonTemplates[key].matchAll(/\{(\w+)\}/g)].map(
    m => m[1],
  );
  return Object.fromEntries(names.map(n => [n, sample[n]]));
}

describe('reason catalog', () => {
  it.each(Object.keys(gpuPoolReasonTemplates) as GpuPoolReasonKey[])(
    'round-trips %s',
    key => {
      const params = paramsOf(key);
      for (const value of Object.values(params)) expect(value).toBeDefined();
      const text = formatReason(key, params as any);
      expect(text).not.toMatch(/\{\w+\}/);
      expect(parseReason(text)).toEqual({ key, params });
    },
  );

  it('writes the backend English byte for byte', () => {
    expect(formatReason('gpusAllocated', { gpus: '2 × lab-main-a100' })).toBe(
      'GPUs allocated: 2 × lab-main-a100',
    );
    expect(
      formatReason('idleNudged', {
        threshold: 5,
        minutes: 10,
        max: '3%',
        at: '2026-01-01T00:30:00.000Z',
      }),
    ).toMatch(/^idle: every GPU stayed below 5% for 10 min \(max 3%\)/);
    expect(
      formatReason('podDeleted', {
        namespace: 'ml-edge-q',
        name: 'infer',
        gpus: '1 × nvidia.com/gpu',
        quotaNamespace: 'ml-edge-q',
      }),
    ).toBe(
      'deleted pod ml-edge-q/infer (1 × nvidia.com/gpu): beyond the remaining GPU quota of namespace ml-edge-q',
    );
    expect(
      formatReason('waitsForGpusOutside', {
        pool: 'lab-main-l40s',
        free: 0,
        capacity: 4,
        granted: 2,
        outside: 2,
        needed: 1,
      }),
    ).toBe(
      'waits for GPUs: pool lab-main-l40s has 0 free of 4 (2 granted, 2 held by pods outside any grant), 1 needed',
    );
    expect(formatReason('createdWithinAllowance', {})).toBe(
      'within the allowance: approved automatically',
    );
  });

  it('reads the shorter template when the optional note is absent', () => {
    expect(parseReason('extended by P2D')).toEqual({
      key: 'extended',
      params: { duration: 'P2D' },
    });
    expect(parseReason('extended by P2D: training')).toEqual({
      key: 'extendedWithNote',
      params: { duration: 'P2D', note: 'training' },
    });
    expect(
      parseReason('idle reclaim: kept until 2026-12-01T05:30:00.000Z'),
    ).toEqual({
      key: 'idleKept',
      params: { until: '2026-12-01T05:30:00.000Z' },
    });
  });

  it('leaves free text alone', () => {
    expect(parseReason('looks fine, go ahead')).toBeUndefined();
    expect(parseReason('namespaces "ml-x" is forbidden')).toBeUndefined();
    expect(parseReason('')).toBeUndefined();
    expect(parseReason(undefined)).toBeUndefined();
    // A template's text with something appended is not that template.
    expect(parseReason('the lease ended early')).toBeUndefined();
  });

  it('refuses a missing parameter by name', () => {
    expect(() => formatReason('gpusAllocated', {} as any)).toThrow(
      'Reason gpusAllocated misses its parameter gpus',
    );
  });
});
