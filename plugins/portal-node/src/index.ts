/**
 * Shared helpers of the portal's backend plugins.
 *
 * @packageDocumentation
 */
export {
  createPortalOpenApiRouter,
  isPortalOpenApiRouter,
} from './openapi/createPortalOpenApiRouter';
export type {
  PortalOpenApiDoc,
  PortalOpenApiRouterOptions,
} from './openapi/createPortalOpenApiRouter';
