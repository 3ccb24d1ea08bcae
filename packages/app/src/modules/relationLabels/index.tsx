import { createFrontendModule } from '@backstage/frontend-plugin-api';
import catalogGraphPlugin from '@backstage/plugin-catalog-graph/alpha';

/**
 * The entity page's relations graph with relation types in the portal's
 * language. Upstream draws the raw type names ("ownedBy", "partOf": the
 * graph's `DefaultRenderLabel` in
 * `@backstage/plugin-catalog-graph/dist/components/EntityRelationsGraph/DefaultRenderLabel.esm.js`);
 * its card takes a `renderLabel`, which this override gives it. The card's
 * config (`app.extensions`) still applies.
 */
export const relationLabelsModule = createFrontendModule({
  pluginId: 'catalog-graph',
  extensions: [
    catalogGraphPlugin
      .getExtension('entity-card:catalog-graph/relations')
      .override({
        factory(originalFactory, { config }) {
          const { filter: _filter, type: _type, ...cardProps } = config;
          return originalFactory({
            params: {
              loader: () =>
                import('./TranslatedGraphCard').then(m => (
                  <m.TranslatedGraphCard {...cardProps} />
                )),
            },
          });
        },
      }),
  ],
});
