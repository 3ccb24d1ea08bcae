/**
 * Test helpers for backend plugins, kept apart from the lab so that only
 * tests load them: `import { startSpecProxy } from '@internal/lab-cluster/testing'`.
 *
 * @packageDocumentation
 */
export { servedRoutes, specRoutes } from './servedRoutes';
export { startSpecProxy } from './specProxy';
export type { SpecProxy } from './specProxy';
