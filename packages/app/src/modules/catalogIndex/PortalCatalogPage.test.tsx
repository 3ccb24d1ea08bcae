import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityKindFilter,
  EntityTypeFilter,
  UserListFilter,
} from '@backstage/plugin-catalog-react';
import { MockEntityListContextProvider } from '@backstage/plugin-catalog-react/testUtils';
import { act, screen } from '@testing-library/react';
import { useCatalogTableTitle } from './PortalCatalogPage';

const WAIT = { timeout: 15_000 };
jest.setTimeout(60_000);

function Title() {
  return <h2>{useCatalogTableTitle()}</h2>;
}

async function renderTitle(
  value: Parameters<typeof MockEntityListContextProvider>[0]['value'],
) {
  await act(async () => {
    renderInTestApp(
      <MockEntityListContextProvider value={value}>
        <Title />
      </MockEntityListContextProvider>,
    );
  });
}

const user = (kind: 'owned' | 'starred' | 'all') =>
  new UserListFilter(
    kind,
    () => true,
    () => false,
  );

describe('the catalog table title', () => {
  it('names the list and the kind from the translation ref, with the count', async () => {
    await renderTitle({
      filters: {
        kind: new EntityKindFilter('component', 'Component'),
        user: user('all'),
      },
      totalItems: 12,
    });
    expect(
      await screen.findByRole('heading', { name: 'All components (12)' }, WAIT),
    ).toBeInTheDocument();
  });

  it('adds the types as the catalog writes them, without a count while it loads', async () => {
    await renderTitle({
      filters: {
        kind: new EntityKindFilter('api', 'API'),
        type: new EntityTypeFilter(['openapi', 'grpc']),
        user: user('owned'),
      },
      totalItems: 3,
      totalItemsLoading: true,
    });
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Owned openapi, grpc APIs' },
        WAIT,
      ),
    ).toBeInTheDocument();
  });

  it('keeps the kind picker label for kinds it has no word for', async () => {
    await renderTitle({
      filters: {
        kind: new EntityKindFilter('gpupool', 'GpuPool'),
        user: user('starred'),
      },
      totalItems: 2,
    });
    expect(
      await screen.findByRole('heading', { name: 'Starred GpuPool (2)' }, WAIT),
    ).toBeInTheDocument();
  });
});
