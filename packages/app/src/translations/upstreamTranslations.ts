import {
  TranslationMessages,
  TranslationRef,
} from '@backstage/frontend-plugin-api';
import { coreComponentsTranslationRef } from '@backstage/core-components';
import { catalogTranslationRef } from '@backstage/plugin-catalog';
import { catalogReactTranslationRef } from '@backstage/plugin-catalog-react';
import { scaffolderTranslationRef } from '@backstage/plugin-scaffolder';
import { scaffolderReactTranslationRef } from '@backstage/plugin-scaffolder-react';
import { homeTranslationRef } from '@backstage/plugin-home';
import { homeReactTranslationRef } from '@backstage/plugin-home-react';
import { searchTranslationRef } from '@backstage/plugin-search';
import { searchReactTranslationRef } from '@backstage/plugin-search-react';
import { notificationsTranslationRef } from '@backstage/plugin-notifications';
import { userSettingsTranslationRef } from '@backstage/plugin-user-settings';
import { orgTranslationRef } from '@backstage/plugin-org';
import { apiDocsTranslationRef } from '@backstage/plugin-api-docs';
import { techdocsTranslationRef } from '@backstage/plugin-techdocs/alpha';
import { kubernetesTranslationRef } from '@backstage/plugin-kubernetes';
import { kubernetesReactTranslationRef } from '@backstage/plugin-kubernetes-react';
import { catalogGraphTranslationRef } from '@backstage/plugin-catalog-graph';
import { catalogImportTranslationRef } from '@backstage/plugin-catalog-import';

/**
 * Korean for every upstream plugin the portal shows, one file per plugin,
 * loaded only when Korean is chosen. Each file types its messages against the
 * plugin's ref with `full: true`, so a missing or misspelt key fails the type
 * check; `translations.test.ts` checks the same at run time.
 */
export const upstreamKorean: Array<{
  name: string;
  ref: TranslationRef;
  ko: () => Promise<{ default: TranslationMessages }>;
}> = [
  {
    name: 'core-components',
    ref: coreComponentsTranslationRef,
    ko: () => import('./coreComponentsMessagesKo'),
  },
  {
    name: 'catalog',
    ref: catalogTranslationRef,
    ko: () => import('./catalogMessagesKo'),
  },
  {
    name: 'catalog-react',
    ref: catalogReactTranslationRef,
    ko: () => import('./catalogReactMessagesKo'),
  },
  {
    name: 'scaffolder',
    ref: scaffolderTranslationRef,
    ko: () => import('./scaffolderMessagesKo'),
  },
  {
    name: 'scaffolder-react',
    ref: scaffolderReactTranslationRef,
    ko: () => import('./scaffolderReactMessagesKo'),
  },
  {
    name: 'home',
    ref: homeTranslationRef,
    ko: () => import('./homeMessagesKo'),
  },
  {
    name: 'home-react',
    ref: homeReactTranslationRef,
    ko: () => import('./homeReactMessagesKo'),
  },
  {
    name: 'search',
    ref: searchTranslationRef,
    ko: () => import('./searchMessagesKo'),
  },
  {
    name: 'search-react',
    ref: searchReactTranslationRef,
    ko: () => import('./searchReactMessagesKo'),
  },
  {
    name: 'notifications',
    ref: notificationsTranslationRef,
    ko: () => import('./notificationsMessagesKo'),
  },
  {
    name: 'user-settings',
    ref: userSettingsTranslationRef,
    ko: () => import('./userSettingsMessagesKo'),
  },
  {
    name: 'org',
    ref: orgTranslationRef,
    ko: () => import('./orgMessagesKo'),
  },
  {
    name: 'api-docs',
    ref: apiDocsTranslationRef,
    ko: () => import('./apiDocsMessagesKo'),
  },
  {
    name: 'techdocs',
    ref: techdocsTranslationRef,
    ko: () => import('./techdocsMessagesKo'),
  },
  {
    name: 'kubernetes',
    ref: kubernetesTranslationRef,
    ko: () => import('./kubernetesMessagesKo'),
  },
  {
    name: 'kubernetes-react',
    ref: kubernetesReactTranslationRef,
    ko: () => import('./kubernetesReactMessagesKo'),
  },
  {
    name: 'catalog-graph',
    ref: catalogGraphTranslationRef,
    ko: () => import('./catalogGraphMessagesKo'),
  },
  {
    name: 'catalog-import',
    ref: catalogImportTranslationRef,
    ko: () => import('./catalogImportMessagesKo'),
  },
];
