import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { DefaultEntityPresentationApi } from '@backstage/plugin-catalog';
import {
  MockStarredEntitiesApi,
  entityPresentationApiRef,
  entityRouteRef,
  starredEntitiesApiRef,
} from '@backstage/plugin-catalog-react';
import { MockEntityListContextProvider } from '@backstage/plugin-catalog-react/testUtils';
import { act, screen, within } from '@testing-library/react';
import { PortalCatalogTable } from './PortalCatalogTable';

const WAIT = { timeout: 15_000 };
jest.setTimeout(60_000);

const component = (name: string, title?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', ...(title ? { title } : {}) },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

async function renderTable(entities: Entity[], paginationMode: string) {
  await act(async () => {
    renderInTestApp(
      <MockEntityListContextProvider
        value={{ entities, paginationMode: paginationMode as any }}
      >
        <PortalCatalogTable title="components" />
      </MockEntityListContextProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        apis: [
          [
            entityPresentationApiRef,
            DefaultEntityPresentationApi.createLocal(),
          ],
          [starredEntitiesApiRef, new MockStarredEntitiesApi()],
        ],
      },
    );
  });
  const [table] = await screen.findAllByRole('table', {}, WAIT);
  const body = within(table).getAllByRole('rowgroup')[1];
  return within(body)
    .getAllByRole('row')
    .map(row => within(row).getAllByRole('cell')[0].textContent);
}

describe('PortalCatalogTable', () => {
  const entities = [
    component('zeta'),
    component('alpha-service', 'Mid'),
    component('beta'),
  ];

  it('sorts by the names the catalog presents when the list is not paged', async () => {
    const names = await renderTable(entities, 'none');
    expect(names).toEqual(['beta', 'Mid', 'zeta']);
  });

  it("keeps the catalog's order when the backend pages the list", async () => {
    const names = await renderTable(entities, 'offset');
    expect(names).toEqual(['zeta', 'Mid', 'beta']);
  });
});
