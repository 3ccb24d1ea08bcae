import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import MemoryIcon from '@material-ui/icons/Memory';
import { GpuPoolClient, gpuPoolApiRef } from './api/GpuPoolApi';

const rootRouteRef = createRouteRef();

/**
 * The GPU pool frontend plugin (new frontend system).
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'gpu-pool',
  routes: { root: rootRouteRef },
  extensions: [
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: gpuPoolApiRef,
          deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
          factory: deps => new GpuPoolClient(deps),
        }),
    }),
    PageBlueprint.make({
      params: {
        path: '/gpu-pool',
        title: 'GPU pool',
        icon: <MemoryIcon />,
        routeRef: rootRouteRef,
        loader: () =>
          import('./components/GpuPoolPage').then(m => <m.GpuPoolPage />),
      },
    }),
  ],
});

export { gpuPoolTranslationRef } from './translation';
