import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parseCurationRulesConfig } from '@internal/plugin-catalog-curation-common';
import { DefaultCurationService } from './CurationService';

const broken = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'legacy-billing' },
  spec: { type: 'service', owner: 'user:default/jisoo.han', lifecycle: 'beta' },
};

describe('DefaultCurationService', () => {
  it('lists entities rejected on first processing (pending with errors) and failed ones', async () => {
    const fetchMock = jest.fn(async (url: string) => {
      const entities = url.endsWith('/pending')
        ? [
            {
              entity_id: null,
              entity_ref: null,
              unprocessed_entity: broken,
              errors: [
                {
                  name: 'InputError',
                  message: '[curation:system-required] spec.system is missing',
                },
              ],
            },
            // Not processed yet: not a failure.
            {
              entity_id: 'e2',
              entity_ref: 'component:default/new',
              unprocessed_entity: { ...broken, metadata: { name: 'new' } },
            },
          ]
        : [];
      return new Response(JSON.stringify({ type: 'x', entities }), {
        status: 200,
      });
    });
    const service = DefaultCurationService.create({
      catalog: catalogServiceMock({ entities: [] }),
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      logger: mockServices.logger.mock(),
      rules: parseCurationRulesConfig(undefined),
      teamCounts: { recordSnapshot: jest.fn(), history: jest.fn() },
      fetch: fetchMock as unknown as typeof fetch,
    });
    const report = await service.getReport();
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(report.failed.map(f => f.entityRef)).toEqual([
      'component:default/legacy-billing',
    ]);
    expect(report.problems).toEqual([
      expect.objectContaining({
        rule: 'system-required',
        team: 'unowned',
        entityRef: 'component:default/legacy-billing',
      }),
    ]);
  });
});
