// The HTTP listener of one lab cluster: bearer-token authentication, RBAC
// authorisation (src/auth), fault injection and request counters in front of
// the REST semantics in ClusterApi.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { ClusterApi, isWriteVerb, readBody, sendError } from '../api/handler';
import { ApiError, unauthorized } from '../api/errors';
import { Identity, TokenAuthenticator } from '../auth/identity';
import { RequestAuthorizer } from '../auth/requestAuth';
import { runTokenController } from '../auth/tokenController';
import { LabClock } from '../controllers/clock';
import { LabControllers } from '../controllers/labControllers';
import type { KueueManagerConfig } from '../kueue/unqueuedJobs';
import { ObjectStore } from '../store/store';
import { FaultControl, Faults, faultMessage, reasonFor } from './faults';

export interface ClusterServerOptions {
  name: string;
  host: string;
  port: number;
  /** Port of the HTTPS listener (kubectl only sends bearer tokens over TLS); 0 = random. */
  tlsPort: number;
  adminToken: string;
  readOnlyToken?: string;
  gitVersion: string;
  watchHistory: number;
  bookmarkIntervalMs?: number;
  /** Time source of the cluster's controllers. */
  clock: LabClock;
  /** The Kueue manager's configuration the emulation honours. */
  kueueConfig?: KueueManagerConfig;
}

// The package always runs from source (tsx, jest), never from a bundle, so __dirname is reliable.
// eslint-disable-next-line no-restricted-syntax
export const TLS_DIR = path.resolve(__dirname, '..', '..', 'fixtures');
const TLS_MATERIAL = (() => {
  let cached: { key: Buffer; cert: Buffer } | undefined;
  return () => {
    cached = cached ?? {
      key: readFileSync(path.join(TLS_DIR, 'tls.key')),
      cert: readFileSync(path.join(TLS_DIR, 'tls.crt')),
    };
    return cached;
  };
})();

const ANONYMOUS_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

export class ClusterServer {
  readonly store: ObjectStore;
  readonly api: ClusterApi;
  readonly faults: FaultControl;
  /** Scheduler, kubelet, Job controller and Kueue emulation; started with the server. */
  readonly controllers: LabControllers;
  private readonly authenticator: TokenAuthenticator;
  private readonly authorizer: RequestAuthorizer;
  private readonly server: http.Server;
  private readonly tlsServer: https.Server;
  private readonly sockets = new Set<Socket>();
  private readonly counters = new Map<string, number>();
  private readonly userCounters = new Map<string, Map<string, number>>();
  private readonly watchResponses = new Set<http.ServerResponse>();
  private faultState: Faults = {};
  private port = 0;
  private tlsPort = 0;
  private listening = false;

  constructor(private readonly options: ClusterServerOptions) {
    this.store = new ObjectStore(options.watchHistory);
    this.api = new ClusterApi(this.store, {
      gitVersion: options.gitVersion,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
      dropWatchesAfterMs: () => this.faultState.dropWatchesAfterMs,
    });
    this.controllers = new LabControllers(
      this.api,
      options.clock,
      options.kueueConfig,
    );
    this.authenticator = new TokenAuthenticator(this.store, {
      admin: options.adminToken,
      readOnly: options.readOnlyToken,
    });
    this.authorizer = new RequestAuthorizer(this.store);
    runTokenController(this.store, options.name);
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.serve(req, res).catch(e =>
        sendError(res, new ApiError(500, 'InternalError', String(e))),
      );
    };
    this.server = http.createServer(handler);
    this.tlsServer = https.createServer(TLS_MATERIAL(), handler);
    for (const s of [this.server, this.tlsServer]) {
      s.keepAliveTimeout = 5000;
      s.on(
        s === this.tlsServer ? 'secureConnection' : 'connection',
        (sock: Socket) => {
          this.sockets.add(sock);
          sock.on('close', () => this.sockets.delete(sock));
        },
      );
    }
    this.faults = {
      set: async (f: Faults) => {
        this.faultState = { ...this.faultState, ...f };
        await this.applyFaultSideEffects(f);
      },
      clear: async () => {
        this.faultState = {};
        await this.applyFaultSideEffects({ refuse: false });
      },
      current: () => ({ ...this.faultState }),
    };
  }

  get name(): string {
    return this.options.name;
  }

  get url(): string {
    return `http://${this.options.host}:${this.port}`;
  }

  /** The same API over TLS with the bundled self-signed certificate (used in kubeconfigs). */
  get httpsUrl(): string {
    return `https://${this.options.host}:${this.tlsPort}`;
  }

  metrics(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }

  /** Request counters per authenticated user, e.g. { 'system:serviceaccount:ns:sa': { 'patch namespaces': 3 } }. */
  metricsByUser(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      [...this.userCounters].map(([user, c]) => [user, Object.fromEntries(c)]),
    );
  }

  /** Starts the controllers on the seeded objects, then listens. */
  async start(): Promise<void> {
    this.controllers.start();
    await this.listen(this.options.port, this.options.tlsPort);
  }

  private async listen(port: number, tlsPort: number): Promise<void> {
    const one = (server: http.Server, p: number) =>
      new Promise<number>((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        server.once('error', onError);
        server.listen(p, this.options.host, () => {
          server.off('error', onError);
          resolve((server.address() as AddressInfo).port);
        });
      });
    this.port = await one(this.server, port);
    this.tlsPort = await one(this.tlsServer, tlsPort);
    this.listening = true;
  }

  private closeListener(): Promise<void> {
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    const closed = [this.server, this.tlsServer].map(
      s => new Promise<void>(resolve => s.close(() => resolve())),
    );
    for (const r of this.watchResponses) r.destroy();
    for (const s of this.sockets) s.destroy();
    return Promise.all(closed).then(() => undefined);
  }

  private async applyFaultSideEffects(f: Faults): Promise<void> {
    if (f.refuse === true) await this.closeListener();
    // Reopen on the same ports so kubeconfigs and clients keep working after the fault.
    if (f.refuse === false && !this.listening)
      await this.listen(this.port, this.tlsPort);
    if (f.dropWatchesAfterMs !== undefined) {
      for (const r of this.watchResponses)
        setTimeout(() => r.destroy(), f.dropWatchesAfterMs).unref();
    }
  }

  async stop(): Promise<void> {
    this.controllers.stop();
    await this.closeListener();
  }

  private count(verb: string, resource: string): void {
    const key = `${verb} ${resource}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1);
  }

  private async serve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://lab.local');
    const method = req.method ?? 'GET';
    const body = method === 'GET' ? Buffer.alloc(0) : await readBody(req);
    const f = this.faultState;
    if (f.latencyMs) await new Promise(r => setTimeout(r, f.latencyMs));
    if (['/healthz', '/livez', '/readyz'].includes(url.pathname)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    let identity: Identity | undefined;
    if (!ANONYMOUS_PATHS.has(url.pathname)) {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
      identity = this.authenticator.authenticate(token);
      if (!identity) {
        sendError(res, unauthorized());
        return;
      }
    }
    if (identity) {
      const review = this.authorizer.review(
        identity,
        method,
        url.pathname,
        body,
      );
      if (review) {
        this.count('create', url.pathname.split('/').pop() ?? 'reviews');
        res.writeHead(review.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(review.body));
        return;
      }
    }
    const parsed = this.api.parse(method, url, req.headers.host ?? '');
    if (!parsed.nonResource) {
      this.count(parsed.verb, parsed.resource);
      if (identity) {
        const key = `${parsed.verb} ${parsed.resource}`;
        const counters = this.userCounters.get(identity.user) ?? new Map();
        counters.set(key, (counters.get(key) ?? 0) + 1);
        this.userCounters.set(identity.user, counters);
      }
    }
    if (f.status) {
      const retry =
        f.status === 429 || f.status === 503 ? { retryAfterSeconds: 1 } : {};
      sendError(
        res,
        new ApiError(
          f.status,
          reasonFor(f.status),
          faultMessage(f.status),
          retry,
        ),
      );
      return;
    }
    if (identity) {
      const denied = this.authorizer.check(
        identity,
        method,
        url.pathname,
        parsed,
        body,
        req.headers['content-type'],
      );
      if (denied) {
        sendError(res, denied);
        return;
      }
    }
    if (parsed.rt && isWriteVerb(parsed.verb)) {
      const rt = parsed.rt;
      if (f.conflictOnWrite) {
        sendError(
          res,
          new ApiError(
            409,
            'Conflict',
            `Operation cannot be fulfilled on ${rt.plural} "${
              parsed.name ?? ''
            }": the object has been modified; please apply your changes to the latest version and try again`,
            { name: parsed.name, kind: rt.plural },
          ),
        );
        return;
      }
    }
    if (parsed.verb === 'watch') {
      this.watchResponses.add(res);
      res.on('close', () => this.watchResponses.delete(res));
    }
    await this.api.handle(req, res, url, parsed, body);
  }
}
