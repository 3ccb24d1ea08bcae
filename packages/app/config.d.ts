export interface Config {
  portal?: {
    signIn?: {
      /**
       * Sign-in methods the sign-in page offers, in order: `oidc` (the
       * backend's OIDC provider, e.g. Keycloak) and, on the embedded
       * development defaults only, `guest`. Unknown ids are ignored; when
       * the list is missing the page offers `oidc`.
       * @visibility frontend
       */
      providers?: Array<'oidc' | 'guest'>;
    };
  };
}
