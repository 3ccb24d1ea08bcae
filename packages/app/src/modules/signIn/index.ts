import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { signInPage } from './SignInPage';
import { oidcAuthApi } from './oidcAuthApi';

/** Sign-in: guest on the embedded defaults, OIDC in production. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage, oidcAuthApi],
});
