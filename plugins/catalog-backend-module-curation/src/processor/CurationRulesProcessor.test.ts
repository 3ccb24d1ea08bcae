import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorResult,
  CatalogService,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parseCurationRulesConfig } from '@internal/plugin-catalog-curation-common';
import { CachedCatalogIndex } from './CachedCatalogIndex';
import { CurationRulesProcessor } from './CurationRulesProcessor';

const location = { type: 'file', target: '/catalog/components.yaml' };
const config = parseCurationRulesConfig(undefined);

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments-team' },
  spec: { type: 'team', children: [] },
};

function component(name: string, spec: Record<string, unknown> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'payments-team',
      system: 'payments',
      ...spec,
    },
  };
}

function setup(catalog: CatalogService, now?: () => number) {
  const index = CachedCatalogIndex.create({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    requestTimeoutMs: 200,
    now,
  });
  const processor = CurationRulesProcessor.create({
    index,
    config,
    logger: mockServices.logger.mock(),
  });
  async function run(entity: Entity) {
    const emitted: CatalogProcessorResult[] = [];
    const out = await processor.postProcessEntity(entity, location, r =>
      emitted.push(r),
    );
    expect(out).toBe(entity);
    return emitted.map(r => (r.type === 'error' ? `${r.error.name} ${r.error.message}` : r.type));
  }
  return { processor, index, run };
}

describe('CurationRulesProcessor', () => {
  it('lets a good entity through and reports each broken rule as a processing error', async () => {
    const { run } = setup(catalogServiceMock({ entities: [group, component('payments-api')] }));
    await expect(run(component('payments-api'))).resolves.toEqual([]);
    const errors = await run(
      component('ghost-service', { owner: 'ghost-team', system: undefined, lifecycle: 'beta' }),
    );
    expect(errors).toEqual([
      expect.stringMatching(/^NotFoundError \[curation:owner-is-group\]/),
      expect.stringMatching(/^InputError \[curation:system-required\]/),
      expect.stringMatching(/^InputError \[curation:lifecycle-known\]/),
    ]);
  });

  it('flags a name clash with an entity already in the catalog', async () => {
    const resource: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'payments-api' },
      spec: { type: 'database', owner: 'payments-team' },
    };
    const { run } = setup(catalogServiceMock({ entities: [group, resource] }));
    await expect(run(component('payments-api'))).resolves.toEqual([
      expect.stringMatching(/\[curation:name-unique\].*resource:default\/payments-api/),
    ]);
  });

  it('reads the catalog once for many entities processed together', async () => {
    const catalog = catalogServiceMock({ entities: [group] });
    const spy = jest.spyOn(catalog, 'getEntities');
    const { run } = setup(catalog);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => run(component(`svc-${i}`))),
    );
    expect(results.every(r => r.length === 0)).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('looks again for a missing group, at most once per refresh interval', async () => {
    let now = 1_000_000;
    const entities: Entity[] = [group];
    const catalog = catalogServiceMock.mock({
      getEntities: async () => ({ items: [...entities] }),
    });
    const { run } = setup(catalog, () => now);
    const late = component('late-service', { owner: 'late-team' });
    await expect(run(late)).resolves.toHaveLength(1);
    // The group arrives; within the refresh interval nothing is re-read.
    entities.push({ ...group, metadata: { name: 'late-team' } });
    await expect(run(late)).resolves.toHaveLength(1);
    now += 6_000;
    await expect(run(late)).resolves.toEqual([]);
    expect(catalog.getEntities).toHaveBeenCalledTimes(2);
  });

  it('trusts groups it has just processed itself', async () => {
    const { processor, run } = setup(catalogServiceMock({ entities: [group] }));
    const newTeam = { ...group, metadata: { name: 'new-team' } };
    await processor.postProcessEntity(newTeam, location, () => {});
    await expect(run(component('svc', { owner: 'new-team' }))).resolves.toEqual([]);
  });

  it('does not reject owners on a first ingestion, before any group is stitched', async () => {
    const { run } = setup(catalogServiceMock({ entities: [] }));
    await expect(run(component('svc'))).resolves.toEqual([]);
    // A user as owner is wrong whatever the catalog holds.
    await expect(run(component('svc', { owner: 'user:jisoo.han' }))).resolves.toHaveLength(1);
  });

  it('keeps processing when the catalog does not answer', async () => {
    const catalog = catalogServiceMock.mock({
      getEntities: () => new Promise(() => {}),
    });
    const { run } = setup(catalog);
    const started = Date.now();
    await expect(run(component('svc', { owner: 'ghost-team', system: undefined }))).resolves.toEqual([
      expect.stringMatching(/system-required/),
    ]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
