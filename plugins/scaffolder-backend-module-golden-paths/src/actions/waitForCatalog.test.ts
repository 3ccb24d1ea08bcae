import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { parse } from 'yaml';
import { createWaitForCatalogAction } from './waitForCatalog';
import { examples } from './waitForCatalog.examples';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'petition-search', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/ml-team',
    lifecycle: 'experimental',
  },
};

function outputs(ctx: any) {
  return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
}

describe('portal:catalog:wait', () => {
  it('returns once the catalog serves the entity, polling until then', async () => {
    const catalog = catalogServiceMock();
    let calls = 0;
    jest.spyOn(catalog, 'getEntityByRef').mockImplementation(async () => {
      calls++;
      return calls >= 3 ? component : undefined;
    });
    const action = createWaitForCatalogAction({ catalog, pollIntervalMs: 10 });
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/petition-search' },
    });
    await action.handler(ctx as any);
    expect(calls).toBe(3);
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'component:default/petition-search',
      expect.objectContaining({ credentials: expect.anything() }),
    );
    expect(outputs(ctx)).toMatchObject({ visible: true });
  });

  it('gives up after the timeout without failing the task, and says so', async () => {
    const catalog = catalogServiceMock({ entities: [] });
    const action = createWaitForCatalogAction({ catalog, pollIntervalMs: 50 });
    const ctx = createMockActionContext({
      input: { entityRef: 'component:default/nowhere', timeoutSeconds: 1 },
    });
    const warn = jest.spyOn(ctx.logger, 'warn');
    const started = Date.now();
    await action.handler(ctx as any);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(outputs(ctx).visible).toBe(false);
    expect(warn.mock.calls[0][0]).toContain('not yet in the catalog');
  });

  it('finds an entity the in-memory catalog already has', async () => {
    const action = createWaitForCatalogAction({
      catalog: catalogServiceMock({ entities: [component] }),
    });
    const ctx = createMockActionContext({
      input: { entityRef: 'component:petition-search' },
    });
    await action.handler(ctx as any);
    expect(outputs(ctx).visible).toBe(true);
  });

  it('rejects a malformed entity reference, and does not query in a dry run or without a reference', async () => {
    const catalog = catalogServiceMock();
    const spy = jest.spyOn(catalog, 'getEntityByRef');
    const action = createWaitForCatalogAction({ catalog });
    await expect(
      action.handler(
        createMockActionContext({
          input: { entityRef: 'petition-search' },
        }) as any,
      ),
    ).rejects.toThrow(InputError);
    // createMockActionContext keeps only some options: override after.
    const dry = {
      ...createMockActionContext({
        input: { entityRef: 'component:default/x' },
      }),
      isDryRun: true,
    };
    await action.handler(dry as any);
    const none = createMockActionContext({ input: {} });
    await action.handler(none as any);
    expect(outputs(none).visible).toBe(false);
    expect(spy).not.toHaveBeenCalled();
    expect(outputs(dry).visible).toBe(true);
  });

  it('has examples that name the action', () => {
    for (const { example } of examples) {
      expect(parse(example).steps[0].action).toBe('portal:catalog:wait');
    }
  });
});
