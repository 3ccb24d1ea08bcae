import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { PortalSignInPage } from './SignInPage';
import { oidcAuthApiRef } from './oidcAuthApi';

// The page loads lazily; a busy CI machine needs more than the default 1 s.
const WAIT = { timeout: 15_000 };
jest.setTimeout(60_000);

// Nobody signed in yet: the page shows its buttons.
const oidcAuthApi = {
  getBackstageIdentity: async () => undefined,
  getProfile: async () => undefined,
  getIdToken: async () => '',
  signIn: async () => {},
  signOut: async () => {},
};

const render = (providers?: string[]) =>
  renderInTestApp(<PortalSignInPage onSignInSuccess={() => {}} />, {
    apis: [[oidcAuthApiRef, oidcAuthApi]],
    config: {
      app: { title: 'Cloud Smart Portal', baseUrl: 'http://localhost:3000' },
      backend: { baseUrl: 'http://localhost:7007' },
      ...(providers ? { portal: { signIn: { providers } } } : {}),
    },
  });

describe('PortalSignInPage', () => {
  it('offers OIDC and no guest when config says oidc (production)', async () => {
    await render(['oidc']);
    expect(
      await screen.findByText('Company sign-in', {}, WAIT),
    ).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });

  it('offers the guest when config says guest (embedded defaults)', async () => {
    await render(['guest']);
    expect(await screen.findByText('Guest', {}, WAIT)).toBeInTheDocument();
    expect(screen.queryByText('Company sign-in')).not.toBeInTheDocument();
  });

  it('never falls back to the guest: no setting or unknown ids offer OIDC only', async () => {
    await render();
    expect(
      await screen.findByText('Company sign-in', {}, WAIT),
    ).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });

  it('ignores unknown providers instead of turning them into the guest', async () => {
    await render(['github', 'oidc']);
    expect(
      await screen.findByText('Company sign-in', {}, WAIT),
    ).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });
});
