import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/**
 * Whether the guest sign-in provider may be installed: only when config
 * says `auth.environment: development` explicitly and configures the guest.
 * Anything else (production, a missing setting) installs no guest.
 */
export function guestSignInAllowed(config: Config): boolean {
  return (
    config.getOptionalString('auth.environment') === 'development' &&
    config.has('auth.providers.guest')
  );
}

/**
 * The sign-in providers: OIDC (e.g. Keycloak) always, the guest only on the
 * embedded development defaults, so a production backend has no route that
 * signs anybody in without the identity provider.
 */
export const signInProviders = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    yield import('@backstage/plugin-auth-backend-module-oidc-provider');
    if (guestSignInAllowed(config)) {
      yield import('@backstage/plugin-auth-backend-module-guest-provider');
    }
  },
});
