import {
  AppRootElementBlueprint,
  ApiBlueprint,
  createFrontendModule,
  identityApiRef,
  storageApiRef,
} from '@backstage/frontend-plugin-api';
import {
  VisitListener,
  VisitsStorageApi,
  visitsApiRef,
} from '@backstage/plugin-home';
import {
  HomePageLayoutBlueprint,
  HomePageWidgetBlueprint,
} from '@backstage/plugin-home-react/alpha';

const welcomeWidget = HomePageWidgetBlueprint.make({
  name: 'portal-welcome',
  params: {
    name: 'PortalWelcome',
    title: 'Cloud Smart',
    description: 'What the portal offers and where to start',
    components: async () => {
      const { WelcomeWidget } = await import('./WelcomeWidget');
      return { Content: WelcomeWidget };
    },
  },
});

const layout = HomePageLayoutBlueprint.make({
  params: {
    loader: async () => (await import('./PortalHomeLayout')).PortalHomeLayout,
  },
});

/**
 * Visits, kept in the user's settings storage (the user-settings backend), so
 * "recently visited" follows the user across browsers. Replaces the home
 * plugin's disabled-by-default extension of the same id.
 */
const visitsApi = ApiBlueprint.make({
  name: 'visits',
  params: defineParams =>
    defineParams({
      api: visitsApiRef,
      deps: { storageApi: storageApiRef, identityApi: identityApiRef },
      factory: ({ storageApi, identityApi }) =>
        VisitsStorageApi.create({ storageApi, identityApi }),
    }),
});

/** Records each page the user opens through the visits API. */
const visitListener = AppRootElementBlueprint.make({
  name: 'visit-listener',
  params: { element: <VisitListener /> },
});

/** The portal's home page: the role-based layout, its widgets and visits. */
export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [welcomeWidget, layout, visitsApi, visitListener],
});
