import type { Exactly } from './exactly';
import type { components } from './generated/openapi';
import { gpuRequestStatuses } from './types';

type SpecStatus = components['schemas']['Status'];

// Exactly works at compile time: `yarn tsc` fails if it lets a list that
// misses or adds a value through (each @ts-expect-error below must see an
// error) or refuses a list that matches.
describe('Exactly', () => {
  it('accepts the status list that matches the spec enum', () => {
    const status: Exactly<(typeof gpuRequestStatuses)[number], SpecStatus> =
      'queued';
    expect(gpuRequestStatuses).toContain(status);
  });

  it('refuses a list that misses or adds a value', () => {
    // @ts-expect-error 'failed' is in the spec, not in the list
    const missing: Exactly<Exclude<SpecStatus, 'failed'>, SpecStatus> =
      'queued';
    // @ts-expect-error 'paused' is in the list, not in the spec
    const extra: Exactly<SpecStatus | 'paused', SpecStatus> = 'paused';
    expect([missing, extra]).toEqual(['queued', 'paused']);
  });
});
