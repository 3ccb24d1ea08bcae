import { createApp } from '@backstage/frontend-defaults';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';
import { signInModule } from './modules/signIn';
import {
  catalogPageTitlesModule,
  scaffolderPageTitlesModule,
} from './modules/pageTitles';
import { relationLabelsModule } from './modules/relationLabels';
import { themeModule } from './modules/theme';
import { translationsModule } from './translations';
import { createPageComponentsModule, createPageModule } from './modules/create';

/**
 * The portal. Plugins listed in package.json are discovered by
 * `app.packages: all`; the modules here are the app's own extensions.
 */
export default createApp({
  features: [
    navModule,
    homeModule,
    signInModule,
    translationsModule,
    themeModule,
    relationLabelsModule,
    catalogPageTitlesModule,
    scaffolderPageTitlesModule,
    createPageModule,
    createPageComponentsModule,
  ],
});
