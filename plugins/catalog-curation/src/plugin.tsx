import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import PlaylistAddCheckIcon from '@material-ui/icons/PlaylistAddCheck';
import {
  CatalogCurationClient,
  catalogCurationApiRef,
} from './api/CatalogCurationClient';

const catalogCurationApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: catalogCurationApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CatalogCurationClient({ discoveryApi, fetchApi }),
    }),
});

/** The curation page; a route ref gives it its sidebar item. */
const curationRouteRef = createRouteRef();

const curationPage = PageBlueprint.make({
  params: {
    path: '/catalog-curation',
    title: 'Catalog curation',
    icon: <PlaylistAddCheckIcon />,
    routeRef: curationRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/CurationPage').then(m => <m.CurationPage />),
  },
});

const qualityCard = EntityCardBlueprint.make({
  name: 'quality',
  params: {
    filter: { kind: { $in: ['component', 'api'] } },
    loader: () =>
      import('./components/EntityQualityCard').then(m => (
        <m.EntityQualityCard />
      )),
  },
});

/**
 * Catalog curation in the new frontend system: the curation page (platform
 * team) and the quality card on component and API pages.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'catalog-curation',
  extensions: [catalogCurationApi, curationPage, qualityCard],
  routes: { root: curationRouteRef },
});
