/**
 * The platform's rules for Kubernetes manifests, as code.
 *
 * @packageDocumentation
 */
export type { Manifest, PolicyReport, PolicyRule, Violation } from './types';
export {
  platformRules,
  parseImageReference,
  OWNER_LABEL,
  PSA_ENFORCE_LABEL,
} from './rules';
export { parseManifests, listManifestFiles } from './loadManifests';
export { checkManifests, checkPaths, formatReport } from './checkManifests';
export { runCli } from './cli';
