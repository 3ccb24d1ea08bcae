import { SignInPage as CoreSignInPage } from '@backstage/core-components';
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
 * Offers the sign-in methods that `portal.signIn.providers` lists: `guest`
 * for the embedded defaults, `oidc` (Keycloak or another on-prem provider)
 * in production.
 */
export function PortalSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  const { t } = useTranslationRef(portalTranslationRef);
  const enabled = configApi.getOptionalStringArray(
    'portal.signIn.providers',
  ) ?? ['guest'];
  const providers = enabled.map(id =>
    id === 'oidc'
      ? {
          id: 'oidc-auth-provider',
          title: t('signIn.oidcTitle'),
          message: t('signIn.oidcMessage'),
          apiRef: oidcAuthApiRef,
        }
      : ('guest' as const),
  );
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
