import { decideIdle, IdleEvidence, IdlePolicy } from './decideIdle';

const MIN = 60_000;
const policy: IdlePolicy = {
  thresholdPercent: 5,
  idleMinutes: 30,
  graceMinutes: 60,
  keepMinutes: 240,
};
const now = Date.parse('2026-11-30T12:00:00Z');
const old = now - 2 * 60 * MIN;

function activity(...max: Array<number | [number, number]>): IdleEvidence {
  return {
    kind: 'activity',
    gpus: max.map((m, i) => {
      const [maxEngineActive, samples] = Array.isArray(m) ? m : [m, 30];
      return { uuid: `GPU-${i}`, maxEngineActive, samples };
    }),
  };
}

describe('decideIdle', () => {
  it('nudges a lease whose GPUs all stayed below the threshold for the window', () => {
    expect(
      decideIdle(activity(0.02, 0.049), policy, now, { grantedAt: old }),
    ).toEqual({
      action: 'nudge',
      reason: 'idle',
      maxEngineActive: 0.049,
      reclaimAt: now + 60 * MIN,
    });
  });

  it('never touches a lease when one GPU is at or above the threshold', () => {
    expect(
      decideIdle(activity(0.01, 0.05), policy, now, { grantedAt: old }),
    ).toEqual({
      action: 'none',
      reason: 'busy',
      maxEngineActive: 0.05,
    });
    const nudged = { grantedAt: old, nudgedAt: now - 59 * MIN };
    expect(decideIdle(activity(0.9), policy, now, nudged).action).toBe('clear');
  });

  it('waits for the grace after the nudge, then reclaims', () => {
    const nudgedAt = now - 60 * MIN;
    expect(
      decideIdle(activity(0), policy, now - 1, { grantedAt: old, nudgedAt }),
    ).toMatchObject({ action: 'none', reason: 'grace' });
    expect(
      decideIdle(activity(0), policy, now, { grantedAt: old, nudgedAt }),
    ).toEqual({ action: 'reclaim', reason: 'idle', maxEngineActive: 0 });
  });

  it('never reclaims on missing metrics, even after the grace', () => {
    const nudged = { grantedAt: old, nudgedAt: now - 10 * 60 * MIN };
    for (const reason of ['no-metrics', 'metrics-unavailable'] as const) {
      expect(
        decideIdle({ kind: 'missing', reason }, policy, now, nudged),
      ).toEqual({ action: 'none', reason });
    }
    expect(decideIdle(activity(), policy, now, nudged)).toEqual({
      action: 'none',
      reason: 'no-samples',
    });
    expect(decideIdle(activity(0, [0, 0]), policy, now, nudged)).toEqual({
      action: 'none',
      reason: 'no-samples',
    });
    expect(decideIdle(activity(Number.NaN), policy, now, nudged).action).toBe(
      'none',
    );
  });

  it('does not judge a lease younger than the window', () => {
    expect(
      decideIdle(activity(0), policy, now, { grantedAt: now - 29 * MIN }),
    ).toMatchObject({ action: 'none', reason: 'too-young' });
    expect(
      decideIdle(activity(0), policy, now, { grantedAt: now - 30 * MIN })
        .action,
    ).toBe('nudge');
  });

  it('leaves kept leases alone until the keep ends, and exempt ones always', () => {
    expect(
      decideIdle(activity(0), policy, now, {
        grantedAt: old,
        keptUntil: now + 1,
      }),
    ).toMatchObject({ action: 'none', reason: 'kept' });
    expect(
      decideIdle(activity(0), policy, now, { grantedAt: old, keptUntil: now })
        .action,
    ).toBe('nudge');
    expect(
      decideIdle(activity(0), policy, now, {
        grantedAt: old,
        nudgedAt: old,
        exempt: true,
      }),
    ).toEqual({ action: 'none', reason: 'exempt' });
  });
});
