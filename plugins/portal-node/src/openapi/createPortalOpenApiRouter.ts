import {
  ApiRouter,
  createValidatedOpenApiRouter,
} from '@backstage/backend-openapi-utils';
import { nameRefusedFields } from './nameRefusedFields';

/**
 * An OpenAPI document as backend-openapi-utils takes it: a 3.1 spec, `as
 * const` so that handlers are typed from it.
 *
 * @public
 */
export type PortalOpenApiDoc = Parameters<
  typeof createValidatedOpenApiRouter
>[0];

/**
 * The options of backend-openapi-utils' `createValidatedOpenApiRouter`:
 * `middleware` in place of its default `express.json()`, `validatorOptions`
 * for express-openapi-validator.
 *
 * @public
 */
export type PortalOpenApiRouterOptions = Parameters<
  typeof createValidatedOpenApiRouter
>[1];

/** A layer of an express router (its `stack`), as far as this reads it. */
type Layer = { handle: { length: number } };

// A mark rather than identity: express-promise-router mounts a router as a
// wrapper that copies the router's own properties. Registered globally, so
// that every copy of this module agrees on it.
const portalOpenApiRouterMark = Symbol.for(
  '@internal/plugin-portal-node/openApiRouter',
);

/**
 * A router from backend-openapi-utils' `createValidatedOpenApiRouter`, which
 * validates every request against `spec` before any handler runs and types
 * each handler's params, query, body and response from it; a 400 for a
 * property the spec refuses names it (`nameRefusedFields`).
 *
 * Throws at start-up when the validated router's layout is not the one this
 * relies on: a single error handler (the library's error transformer) after
 * the body parsers and the validator, which `nameRefusedFields` must run
 * just before. An error-handling function in `options.middleware` is refused
 * for the same reason.
 *
 * @public
 */
export function createPortalOpenApiRouter<Doc extends PortalOpenApiDoc>(
  spec: Doc,
  options?: PortalOpenApiRouterOptions,
): ApiRouter<Doc> {
  const router = createValidatedOpenApiRouter<Doc>(spec, options);
  const stack = (router as unknown as { stack?: Layer[] }).stack;
  const isErrorHandler = (layer: Layer) => layer.handle.length === 4;
  const transformer = stack?.findIndex(isErrorHandler) ?? -1;
  if (
    !stack ||
    transformer < 0 ||
    stack.slice(transformer + 1).some(isErrorHandler)
  ) {
    throw new Error(
      'backend-openapi-utils: the validated router has no single error transformer to put nameRefusedFields before',
    );
  }
  router.use(nameRefusedFields);
  stack.splice(transformer, 0, stack.pop()!);
  Object.assign(router, { [portalOpenApiRouterMark]: true });
  return router;
}

/**
 * Whether `handler` is a router made by {@link createPortalOpenApiRouter},
 * also once mounted: the contract tests' route walk counts the validating
 * routers of an app with it.
 *
 * @public
 */
export function isPortalOpenApiRouter(handler: unknown): boolean {
  return typeof handler === 'function' && portalOpenApiRouterMark in handler;
}
