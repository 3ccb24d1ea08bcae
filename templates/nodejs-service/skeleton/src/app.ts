import http from 'node:http';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** State the probes report: ready flips to false while shutting down. */
export interface Health {
  ready: boolean;
}

export interface AppOptions {
  logger: Logger;
  health: Health;
  registry?: Registry;
}

const SERVICE = '${{ values.name }}';

/** The HTTP API of ${{ values.name }}. Routes are listed in openapi.yaml. */
export function createApp(options: AppOptions): http.RequestListener {
  const { logger, health } = options;
  const registry = options.registry ?? new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    contentType = 'application/json',
  ) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(contentType === 'application/json' ? JSON.stringify(body) : String(body));
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname;
    const stop = duration.startTimer({ method: req.method, route });
    res.on('finish', () => {
      stop();
      requests.inc({ method: req.method, route, status: res.statusCode });
      // Probes and scrapes would drown the log.
      if (!route.startsWith('/healthz') && route !== '/metrics') {
        logger.info(
          { method: req.method, route, status: res.statusCode },
          'request',
        );
      }
    });

    try {
      if (req.method === 'GET' && route === '/healthz/live') {
        return send(res, 200, { status: 'UP' });
      }
      if (req.method === 'GET' && route === '/healthz/ready') {
        return health.ready
          ? send(res, 200, { status: 'READY' })
          : send(res, 503, { status: 'NOT_READY' });
      }
      if (req.method === 'GET' && route === '/metrics') {
        return send(res, 200, await registry.metrics(), registry.contentType);
      }
      if (req.method === 'GET' && route === '/api/v1/greetings') {
        const name = url.searchParams.get('name') ?? 'world';
        if (name.length > 100) {
          return send(res, 400, { error: 'name must be at most 100 characters' });
        }
        return send(res, 200, { message: `Hello, ${name}!`, service: SERVICE });
      }
      return send(res, 404, { error: `no route for ${req.method} ${route}` });
    } catch (error) {
      logger.error({ err: error, route }, 'request failed');
      return send(res, 500, { error: 'internal error' });
    }
  };
}
