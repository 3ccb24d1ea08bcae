import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import AssessmentIcon from '@material-ui/icons/Assessment';
import MemoryIcon from '@material-ui/icons/Memory';
import { GpuPoolClient, gpuPoolApiRef } from './api/GpuPoolApi';
import { gpuPoolTranslationRef } from './translation';

const rootRouteRef = createRouteRef();

/**
 * The GPU pool frontend plugin (new frontend system).
 *
 * @public
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
        title: gpuPoolTranslationRef('nav.title'),
        icon: <MemoryIcon />,
        routeRef: rootRouteRef,
        loader: () =>
          import('./components/GpuPoolPage').then(m => <m.GpuPoolPage />),
      },
    }),
    PageBlueprint.make({
      name: 'showback',
      params: {
        path: '/gpu-pool/showback',
        title: 'GPU showback',
        icon: <AssessmentIcon />,
        loader: () =>
          import('./components/showback/ShowbackPage').then(m => (
            <m.ShowbackPage />
          )),
      },
    }),
  ],
});
