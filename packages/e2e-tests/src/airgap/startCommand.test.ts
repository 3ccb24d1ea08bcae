// The README's start command (scripts/start.sh) with no network: inside a
// network namespace that has only loopback it brings up the lab clusters, the
// backend and the frontend, which reach readiness, serve the example
// organisation and the GPU pool; stopping it stops everything it started.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { eventually } from '../support/eventually';
import { repoRoot } from '../support/paths';
import { guestToken } from '../support/session';

const BACKEND = 'http://localhost:7007';
const FRONTEND = 'http://localhost:3000';
/** Every port the start command listens on (README: "What the start command gives you"). */
const PORTS = [3000, 7007, 6440, 6443, 6444, 6543, 6544];

/** Interfaces other than loopback this process can see (none in the test command's namespace). */
function otherInterfaces(): string[] {
  return Object.keys(os.networkInterfaces()).filter(name => name !== 'lo');
}

const airGapped = otherInterfaces().length === 0;
const describeAirGapped = airGapped ? describe : describe.skip;
const why = airGapped
  ? ''
  : ` (skipped: not in a loopback-only network namespace, sees ${otherInterfaces().join(
      ', ',
    )}; bash scripts/test.sh runs it there as root)`;

async function listening(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

async function listeningPorts(): Promise<number[]> {
  const open = await Promise.all(PORTS.map(listening));
  return PORTS.filter((_, i) => open[i]);
}

/** Whether any process of the group `pgid` is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the start command's whole process group (the shell, yarn, the CLI,
 * the backend, the dev server, the lab): TERM, then KILL whatever is left
 * after 20 s. Resolves once no process of the group is left.
 */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid;
  if (!pgid) {
    return;
  }
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {
      // the group is gone
    }
  };
  const gone = (timeoutMs: number) =>
    eventually(() => !groupAlive(pgid), {
      timeoutMs,
      intervalMs: 250,
      what: `process group ${pgid} gone`,
    });
  signal('SIGTERM');
  await gone(20_000).catch(() => {
    signal('SIGKILL');
    return gone(10_000);
  });
}

describeAirGapped(`the start command with no network${why}`, () => {
  let child: ChildProcess | undefined;
  let output = '';
  let dataDir: string;

  const logTail = () => output.split('\n').slice(-60).join('\n');

  beforeAll(async () => {
    const busy = await listeningPorts();
    if (busy.length > 0) {
      throw new Error(
        `ports ${busy.join(
          ', ',
        )} are in use: another portal or lab is running here`,
      );
    }
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-start-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FORCE_COLOR: '0',
      BROWSER: 'none',
      // This run's SQLite files, not the developer's data/.
      APP_CONFIG_backend_database_connection_directory: path.join(
        dataDir,
        'sqlite',
      ),
    };
    // Jest's own settings are not the start command's.
    delete env.NODE_ENV;
    delete env.JEST_WORKER_ID;
    child = spawn('bash', [path.join(repoRoot, 'scripts', 'start.sh')], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const collect = (chunk: Buffer) => {
      output += stripVTControlCharacters(chunk.toString('utf8'));
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
  });

  afterAll(async () => {
    if (child) {
      await stopGroup(child);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const whileRunning = async <T>(what: string, fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (error) {
      throw new Error(
        `${what}: ${error}\n--- start command output (tail) ---\n${logTail()}`,
      );
    }
  };

  it('reaches readiness, serves the example organisation and the GPU pool, and the frontend', async () => {
    await whileRunning('readiness', () =>
      eventually(
        async () => {
          if (child?.exitCode !== null) {
            throw new Error(`the start command exited with ${child?.exitCode}`);
          }
          const res = await fetch(`${BACKEND}/.backstage/health/v1/readiness`);
          return res.status === 200;
        },
        { timeoutMs: 300_000, intervalMs: 2000, what: 'backend readiness' },
      ),
    );

    const token = await whileRunning('guest sign-in', () =>
      guestToken(BACKEND, 'group:default/ml-team'),
    );
    const auth = { headers: { Authorization: `Bearer ${token}` } };

    const components = await whileRunning('catalog', () =>
      eventually(
        async () => {
          const res = await fetch(
            `${BACKEND}/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name&limit=200`,
            auth,
          );
          const names: string[] = (await res.json()).items.map(
            (e: any) => e.metadata.name,
          );
          return ['cloud-smart-portal', 'payments-api', 'ocr-inference'].every(
            n => names.includes(n),
          )
            ? names
            : undefined;
        },
        {
          timeoutMs: 120_000,
          intervalMs: 2000,
          what: 'the example organisation in the catalog',
        },
      ),
    );
    expect(components).toEqual(
      expect.arrayContaining([
        'cloud-smart-portal',
        'payments-api',
        'ocr-inference',
      ]),
    );

    // The GPU pool reads the lab clusters the start command brought up.
    const pools = await whileRunning('GPU pool', () =>
      eventually(
        async () => {
          const res = await fetch(`${BACKEND}/api/gpu-pool/pools`, auth);
          if (res.status !== 200) {
            throw new Error(
              `/api/gpu-pool/pools: ${res.status} ${await res.text()}`,
            );
          }
          const items: any[] = (await res.json()).items;
          const h100 = items.find(p => p.id === 'lab-main-h100');
          return h100?.live && h100.capacity > 0 ? items : undefined;
        },
        {
          timeoutMs: 120_000,
          intervalMs: 2000,
          what: 'the lab-main-h100 pool live',
        },
      ),
    );
    expect(pools.map(p => p.id)).toEqual(
      expect.arrayContaining(['lab-main-h100', 'lab-edge-l40s']),
    );
    expect(pools.find(p => p.id === 'lab-main-h100')).toMatchObject({
      cluster: 'lab-main',
      capacity: 16,
    });

    // The frontend dev server compiles and serves the app.
    const html = await whileRunning('frontend', () =>
      eventually(
        async () => {
          const res = await fetch(FRONTEND);
          const text = await res.text();
          return res.status === 200 && text.includes('<div id="root"')
            ? text
            : undefined;
        },
        {
          timeoutMs: 300_000,
          intervalMs: 3000,
          what: `the app at ${FRONTEND}`,
        },
      ),
    );
    expect(html).toContain('<script');
  }, 900_000);

  it('stops with everything it started', async () => {
    await stopGroup(child!);
    const left = await eventually(
      async () => {
        const open = await listeningPorts();
        return open.length === 0 ? open : undefined;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 500,
        what: 'every port of the start command closed',
      },
    ).catch(async () => listeningPorts());
    expect(left).toEqual([]);
  }, 60_000);
});
