import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';

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

/** The portal's home page widgets. */
export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [welcomeWidget],
});
