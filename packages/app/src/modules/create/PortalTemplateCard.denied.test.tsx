import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MockStarredEntitiesApi,
  entityRouteRef,
  starredEntitiesApiRef,
} from '@backstage/plugin-catalog-react';
import { act, screen, waitFor } from '@testing-library/react';
import { PortalTemplateCard } from './PortalTemplateCard';

// A file of its own: usePermission caches answers (SWR) for the whole test
// file, so a denial after an allowance in one file would see the allowance.
const WAIT = { timeout: 15_000 };
jest.setTimeout(60_000);

describe('PortalTemplateCard without taskCreatePermission', () => {
  it('offers no Choose button', async () => {
    const authorize = jest.fn(
      (): AuthorizeResult.DENY | AuthorizeResult.ALLOW => AuthorizeResult.DENY,
    );
    await renderInTestApp(
      <PortalTemplateCard
        template={{
          apiVersion: 'scaffolder.backstage.io/v1beta3',
          kind: 'Template',
          metadata: { namespace: 'default', name: 'nodejs-service' },
          spec: { type: 'service', steps: [], parameters: [] },
        }}
        onSelected={jest.fn()}
      />,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        apis: [
          mockApis.permission({ authorize }),
          [starredEntitiesApiRef, new MockStarredEntitiesApi()],
        ],
      },
    );
    expect(
      await screen.findByRole(
        'link',
        { name: 'Details of the template nodejs-service' },
        WAIT,
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(authorize).toHaveBeenCalled(), WAIT);
    // Let the answer reach the card before looking for the button.
    await act(async () => {});
    expect(
      screen.queryByRole('button', { name: 'Choose' }),
    ).not.toBeInTheDocument();
  });
});
