import { createTranslationRef } from '@backstage/frontend-plugin-api';

/**
 * The app's own text. English is the source; Korean lives in
 * `portalMessagesKo.ts`. Plugins of this repo follow the same pattern with a
 * ref named `plugin.<id>.translation`.
 */
export const portalTranslationRef = createTranslationRef({
  id: 'portal',
  messages: {
    nav: {
      home: 'Home',
      catalog: 'Catalog',
      apis: 'APIs',
      docs: 'Docs',
      create: 'Create...',
      search: 'Search',
      menu: 'Menu',
      settings: 'Settings',
      clusters: 'Clusters',
      gpuPool: 'GPU pool',
      curation: 'Catalog curation',
    },
    home: {
      title: 'Cloud Smart developer portal',
      subtitle:
        'Golden paths, the service catalog, GPUs and namespaces on our on-prem clusters: self-served.',
      cards: {
        catalogTitle: 'Service catalog',
        catalogBody:
          'Every service, API, library and document, with the team that owns it.',
        createTitle: 'Golden paths',
        createBody:
          'A new Spring Boot, Node.js or GPU training service with a secure pipeline and a namespace, in minutes.',
        docsTitle: 'Documentation',
        docsBody: 'TechDocs written next to the code, searchable in one place.',
        open: 'Open',
      },
    },
    signIn: {
      title: 'Cloud Smart developer portal',
      guestTitle: 'Guest',
      guestMessage: 'Sign in as a guest developer (embedded defaults only).',
      oidcTitle: 'Company sign-in',
      oidcMessage: 'Sign in with your organisation account (Keycloak).',
    },
  },
});
