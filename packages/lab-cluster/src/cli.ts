/* eslint-disable no-console */
// Command-line entry: starts the fleet and keeps it up until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startLabFleet } from './fleet';

const USAGE = `usage: lab-cluster [--fixture <file>] [--host 127.0.0.1] [--base-port 6443] [--tls-base-port 6543]
                   [--admin-port 6440] [--kubeconfig <path>] [--watch-history 1000] [--speed 1]`;

/** Lab seconds per wall-clock second for the controllers. */
function speedOf(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`--speed must be a positive number, got ${v}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      fixture: { type: 'string' },
      host: { type: 'string' },
      'base-port': { type: 'string' },
      'admin-port': { type: 'string' },
      'tls-base-port': { type: 'string' },
      kubeconfig: { type: 'string' },
      'watch-history': { type: 'string' },
      speed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const int = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535)
      throw new Error(`--${name} must be a port number or count, got ${v}`);
    return n;
  };
  const fleet = await startLabFleet({
    fixture: values.fixture,
    host: values.host,
    basePort: int(values['base-port'], 'base-port'),
    adminPort: int(values['admin-port'], 'admin-port'),
    tlsBasePort: int(values['tls-base-port'], 'tls-base-port'),
    watchHistory: int(values['watch-history'], 'watch-history'),
    speed: speedOf(values.speed),
  });
  for (const c of fleet.clusters)
    console.log(`cluster ${c.name}: ${c.url} (TLS: ${c.httpsUrl})`);
  console.log(`admin: ${fleet.adminUrl}`);
  if (values.kubeconfig) {
    await fleet.writeKubeconfig(values.kubeconfig);
    console.log(
      `kubeconfig: ${values.kubeconfig} (current-context ${fleet.clusters[0].name})`,
    );
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`received ${signal}, stopping`);
    fleet.stop().then(
      () => process.exit(0),
      e => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch(e => {
  console.error(`lab-cluster: ${(e as Error).message}`);
  console.error(USAGE);
  process.exit(1);
});
