import {
  IdentityProviders,
  SignInPage as CoreSignInPage,
} from '@backstage/core-components';
import {
  SignInPageBlueprint,
  SignInPageProps,
} from '@backstage/plugin-app-react';
import {
  configApiRef,
  useApi,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { portalTranslationRef } from '../../translations';
import { oidcAuthApiRef } from './oidcAuthApi';

/**
 * Offers the sign-in methods that `portal.signIn.providers` lists (declared
 * with frontend visibility in the app's config.d.ts): `guest` for the
 * embedded defaults, `oidc` (Keycloak or another on-prem provider) in
 * production. Without the setting only OIDC is offered, never the guest.
 */
export function PortalSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const { t } = useTranslationRef(portalTranslationRef);
  const enabled = configApi.getOptionalStringArray(
    'portal.signIn.providers',
  ) ?? ['oidc'];
  const providers: IdentityProviders = [];
  for (const id of enabled) {
    if (id === 'oidc') {
      providers.push({
        id: 'oidc-auth-provider',
        title: t('signIn.oidcTitle'),
        message: t('signIn.oidcMessage'),
        apiRef: oidcAuthApiRef,
      });
    } else if (id === 'guest') {
      providers.push('guest');
    }
  }
  return (
    <CoreSignInPage
      {...props}
      title={t('signIn.title')}
      align="center"
      auto
      providers={providers}
    />
  );
}

export const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => PortalSignInPage,
  },
});
