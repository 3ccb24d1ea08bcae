import { ReactNode, useMemo } from 'react';
import {
  UnifiedThemeProvider,
  createUnifiedTheme,
  palettes,
} from '@backstage/theme';
import {
  createFrontendModule,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { ThemeBlueprint } from '@backstage/plugin-app-react';
import DarkIcon from '@material-ui/icons/Brightness2';
import LightIcon from '@material-ui/icons/WbSunny';
import { portalTranslationRef } from '../../translations/portalTranslationRef';

type Palette = (typeof palettes)[keyof typeof palettes];

/**
 * The theme in the portal's language: the English defaults of Material UI
 * components that upstream plugins do not set themselves (the Autocomplete
 * of the catalog's and the create page's filters, `@material-ui/lab`'s
 * `openText`, `clearText`, ...) come from the portal's translation ref, and
 * the theme is made again when the language changes.
 */
function PortalThemeProvider(props: { palette: Palette; children: ReactNode }) {
  const { palette, children } = props;
  const { t } = useTranslationRef(portalTranslationRef);
  const theme = useMemo(
    () =>
      createUnifiedTheme({
        palette,
        components: {
          MuiAutocomplete: {
            defaultProps: {
              openText: t('mui.autocomplete.open'),
              closeText: t('mui.autocomplete.close'),
              clearText: t('mui.autocomplete.clear'),
              noOptionsText: t('mui.autocomplete.noOptions'),
              loadingText: t('mui.autocomplete.loading'),
            },
          },
        },
      }),
    [palette, t],
  );
  return <UnifiedThemeProvider theme={theme}>{children}</UnifiedThemeProvider>;
}

/**
 * Replaces the app's `theme:app/light` and `theme:app/dark` with the same
 * Backstage palettes (their text colours pass axe's contrast check on the
 * portal's pages) and the translated defaults above.
 */
export const themeModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    ThemeBlueprint.make({
      name: 'light',
      params: {
        theme: {
          id: 'light',
          title: 'Light Theme',
          variant: 'light',
          icon: <LightIcon />,
          Provider: ({ children }) => (
            <PortalThemeProvider palette={palettes.light}>
              {children}
            </PortalThemeProvider>
          ),
        },
      },
    }),
    ThemeBlueprint.make({
      name: 'dark',
      params: {
        theme: {
          id: 'dark',
          title: 'Dark Theme',
          variant: 'dark',
          icon: <DarkIcon />,
          Provider: ({ children }) => (
            <PortalThemeProvider palette={palettes.dark}>
              {children}
            </PortalThemeProvider>
          ),
        },
      },
    }),
  ],
});
