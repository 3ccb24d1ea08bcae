import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import { clusterStatusApiRef } from './api/ClusterStatusApi';
import { ClusterStatusClient } from './api/ClusterStatusClient';
import { isClusterResource } from './components/EntityCluster';
import { rootRouteRef } from './routes';
import { clusterStatusTranslationRef } from './translation';

const clusterStatusApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: clusterStatusApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ClusterStatusClient({ discoveryApi, fetchApi }),
    }),
});

/** The fleet page (and cluster pages below it), with its sidebar item. */
const clusterStatusPage = PageBlueprint.make({
  params: {
    path: '/cluster-status',
    title: clusterStatusTranslationRef('nav.title'),
    icon: <StorageIcon />,
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/ClusterPage').then(m => <m.ClusterStatusRouter />),
  },
});

const clusterStatusEntityCard = EntityCardBlueprint.make({
  name: 'cluster-status',
  params: {
    filter: isClusterResource,
    loader: () =>
      import('./components/EntityCluster').then(m => (
        <m.EntityClusterStatusCard />
      )),
  },
});

const clusterStatusEntityContent = EntityContentBlueprint.make({
  name: 'cluster-status',
  params: {
    path: 'cluster-status',
    title: 'Cluster status',
    filter: isClusterResource,
    loader: () =>
      import('./components/EntityCluster').then(m => (
        <m.EntityClusterStatusContent />
      )),
  },
});

/**
 * Cluster status: the fleet page, cluster pages and the catalog entity card
 * and tab of `kubernetes-cluster` resources.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'cluster-status',
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    clusterStatusApi,
    clusterStatusPage,
    clusterStatusEntityCard,
    clusterStatusEntityContent,
  ],
});
