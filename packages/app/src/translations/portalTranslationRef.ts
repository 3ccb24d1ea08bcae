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
      gpuShowback: 'GPU showback',
      curation: 'Catalog curation',
      catalogGraph: 'Catalog graph',
      register: 'Register existing component',
      notifications: 'Notifications',
    },
    /** Headers and tabs of upstream pages, set by `modules/pageTitles`. */
    pages: {
      catalog: 'Catalog',
      entityOverview: 'Overview',
      create: 'Create',
      templates: 'Templates',
      tasks: 'Tasks',
      actions: 'Actions',
      templateEditor: 'Template Editor',
      templatingExtensions: 'Templating Extensions',
    },
    /** The text filter of the catalog table and the template list. */
    entitySearch: {
      label: 'Search',
      clear: 'Clear search',
    },
    /** The create page (`modules/create`): template cards, sub-page links. */
    templateCard: {
      details: 'Details of the template {{title}}',
    },
    pageLayout: {
      subPages: 'Sub-pages',
      subPagesOf: 'Sub-pages of {{title}}',
    },
    /**
     * The catalog index table's title, set by `modules/catalogIndex`:
     * which list, the type as written in the catalog, the kind, the count.
     */
    catalogTable: {
      title: {
        owned: 'Owned {{kind}}',
        starred: 'Starred {{kind}}',
        all: 'All {{kind}}',
        ownedWithType: 'Owned {{type}} {{kind}}',
        starredWithType: 'Starred {{type}} {{kind}}',
        allWithType: 'All {{type}} {{kind}}',
      },
      counted: '{{title}} ({{total}})',
      kinds: {
        component: 'components',
        api: 'APIs',
        system: 'systems',
        domain: 'domains',
        resource: 'resources',
        group: 'groups',
        user: 'users',
        template: 'templates',
        location: 'locations',
      },
    },
    /**
     * Relation types on the entity page's relations graph, set by
     * `modules/relationLabels`. English keeps Backstage's names.
     */
    relations: {
      ownedBy: 'ownedBy',
      ownerOf: 'ownerOf',
      partOf: 'partOf',
      hasPart: 'hasPart',
      providesApi: 'providesApi',
      apiProvidedBy: 'apiProvidedBy',
      consumesApi: 'consumesApi',
      apiConsumedBy: 'apiConsumedBy',
      dependsOn: 'dependsOn',
      dependencyOf: 'dependencyOf',
      parentOf: 'parentOf',
      childOf: 'childOf',
      memberOf: 'memberOf',
      hasMember: 'hasMember',
    },
    /**
     * Defaults of Material UI components that upstream plugins leave to MUI
     * (the theme's `props`, set by `modules/theme`).
     */
    mui: {
      autocomplete: {
        open: 'Open',
        close: 'Close',
        clear: 'Clear',
        noOptions: 'No options',
        loading: 'Loading…',
      },
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
      widgets: {
        starred: 'Your starred entities',
        recentlyVisited: 'Recently visited',
        mostVisited: 'Most visited',
      },
      visits: {
        empty: 'No visits yet: the pages you open appear here.',
        hits: 'Opened {{hits}} times',
      },
      visitKinds: {
        component: 'Component',
        api: 'API',
        system: 'System',
        domain: 'Domain',
        resource: 'Resource',
        group: 'Team',
        user: 'Person',
        template: 'Template',
        other: 'Page',
      },
      developer: { title: 'For your team' },
      platform: { title: 'For the platform team' },
      states: {
        error: 'Could not load: {{message}}',
        more: 'Show all',
      },
      gpu: {
        title: "Your team's GPUs and jobs",
        grants: 'Grants and requests',
        jobs: 'Jobs',
        noGrants: 'Your team holds and asks for no GPUs.',
        noJobs: 'Your team runs no jobs.',
        gpus: '{{gpus}} GPUs',
        status: {
          'pending-approval': 'Waiting for approval',
          queued: 'Queued',
          provisioning: 'Provisioning',
          active: 'Active',
          expiring: 'Expiring',
        },
        queued: 'Queued, position {{position}}',
        workloadState: {
          pending: 'Pending',
          admitted: 'Admitted',
          running: 'Running',
          finished: 'Finished',
          evicted: 'Evicted',
          inactive: 'Stopped',
        },
      },
      services: {
        title: "Your services' problems",
        empty: 'Every service your team owns passes its checks.',
        none: 'Your team owns no services yet.',
        failing: '{{failed}} of {{applicable}} checks need work',
      },
      goldenPaths: {
        title: 'Golden paths',
        empty: 'No golden path is registered yet.',
        start: 'Start',
      },
      approvals: {
        title: 'Approvals waiting',
        empty: 'No request waits for approval.',
        requested: '{{gpus}} GPUs in {{namespace}}, asked {{time}}',
      },
      clusters: {
        title: 'Clusters with problems',
        empty: 'Every cluster is reachable and healthy.',
        unreachable: 'Unreachable: {{error}}',
        pending: 'Not reached yet',
        notReady: '{{nodes}} nodes not ready',
        failedPods: '{{pods}} pods failed',
      },
      curation: {
        title: 'Catalog curation',
        summary:
          '{{problems}} problems, {{orphans}} orphans, {{failed}} failed, {{duplicates}} duplicate candidates in {{entities}} entities',
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
