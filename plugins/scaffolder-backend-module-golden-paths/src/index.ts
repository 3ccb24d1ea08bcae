/**
 * Scaffolder actions the golden paths need: publishing to the portal's own
 * git storage and the platform policy check.
 *
 * @packageDocumentation
 */
import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import {
  localGitUrlReaderFactory,
  scaffolderModuleGoldenPaths,
} from './module';

export {
  scaffolderModuleGoldenPaths,
  localGitUrlReaderFactory,
} from './module';
export { createPublishLocalGitAction } from './actions/publishLocalGit';
export { createCheckPolicyAction } from './actions/checkPolicy';
export { createWaitForCatalogAction } from './actions/waitForCatalog';
export {
  createInstallPolicyAction,
  defaultPolicyBundlePath,
} from './actions/installPolicy';
export {
  DefaultLocalGitRepositories,
  type LocalGitRepositories,
  type LocalRepositoryLocation,
  type PublishedRepository,
} from './services/LocalGitRepositories/LocalGitRepositories';
export { LocalGitUrlReader } from './services/LocalGitRepositories/LocalGitUrlReader';

/**
 * The scaffolder module plus the URL reader for the published repositories.
 *
 * @public
 */
export default createBackendFeatureLoader({
  loader() {
    return [scaffolderModuleGoldenPaths, localGitUrlReaderFactory];
  },
});
