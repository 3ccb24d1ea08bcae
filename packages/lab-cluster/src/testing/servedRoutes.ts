import { isPortalOpenApiRouter } from '@internal/plugin-portal-node';

/** An express router layer, as far as this walk reads it. */
type Layer = {
  handle: { stack?: Layer[] };
  route?: { path: string; methods: Record<string, boolean> };
  regexp?: { fast_slash?: boolean };
};

const methods = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/**
 * For backend contract tests: the operations of an OpenAPI spec, as
 * "GET /requests/{id}", sorted.
 */
export function specRoutes(spec: { paths: Record<string, object> }): string[] {
  const routes: string[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of Object.keys(item)) {
      if (methods.includes(method)) {
        routes.push(`${method.toUpperCase()} ${path}`);
      }
    }
  }
  return routes.sort();
}

function routesBelow(stack: Layer[], into: string[]) {
  for (const layer of stack) {
    if (layer.route) {
      const path = layer.route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all')
          into.push(`${method.toUpperCase()} ${path}`);
      }
    } else if (Array.isArray(layer.handle.stack)) {
      // Groups mounted below a path would hide it from this walk.
      if (!layer.regexp?.fast_slash) {
        throw new Error(
          'A route group below the API router is mounted on a path',
        );
      }
      routesBelow(layer.handle.stack, into);
    }
  }
}

/**
 * For backend contract tests: walks an express app (or router, e.g. the
 * request listener of `startTestBackend(...).server`) and finds the routers
 * made by `createPortalOpenApiRouter` of `@internal/plugin-portal-node`: how
 * many there are (each one validates every request it sees) and the routes
 * served below them, as "GET /requests/{id}", sorted, without the spec's own
 * `GET /openapi.json`. Compare with {@link specRoutes} to prove that every
 * route is served from the spec.
 */
export function servedRoutes(app: unknown): {
  routers: number;
  routes: string[];
} {
  const root = app as { _router?: { stack: Layer[] }; stack?: Layer[] };
  const routes: string[] = [];
  let routers = 0;
  const visit = (stack: Layer[]) => {
    for (const layer of stack) {
      if (isPortalOpenApiRouter(layer.handle)) {
        routers++;
        routesBelow(layer.handle.stack ?? [], routes);
      } else if (Array.isArray(layer.handle.stack)) {
        visit(layer.handle.stack);
      }
    }
  };
  visit(root._router?.stack ?? root.stack ?? []);
  return {
    routers,
    routes: routes.filter(r => r !== 'GET /openapi.json').sort(),
  };
}
