import http from 'node:http';
import pino from 'pino';
import { createApp, Health } from './app';

// JSON lines on stdout: the cluster's log collector parses them.
const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: '${{ values.name }}' },
});
const health: Health = { ready: true };
const port = Number(process.env.PORT ?? 8080);

const server = http.createServer(createApp({ logger, health }));
server.listen(port, () => logger.info({ port }, 'listening'));

// Kubernetes sends SIGTERM: stop taking traffic, finish what is in flight.
process.on('SIGTERM', () => {
  health.ready = false;
  logger.info('SIGTERM: draining');
  setTimeout(() => server.close(() => process.exit(0)), 5000).unref();
});
