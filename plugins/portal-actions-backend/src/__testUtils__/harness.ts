import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { portalActionsPlugin } from '../plugin';

/** What a fake upstream plugin saw of one call. */
export interface SeenCall {
  method: string;
  path: string;
  query: Record<string, unknown>;
  body: unknown;
  /** `user:<ref>` or `service:<subject>`: who the upstream believed called. */
  principal: string;
}

function outcomeOf(successes: number, failures: number) {
  if (successes) return 'succeeded';
  return failures ? 'failed' : 'open';
}

/** A stand-in for one of the portal's plugins, answering over real HTTP. */
export interface FakeUpstream {
  pluginId: string;
  routes: (router: express.Router) => void;
}

export const GUEST = 'user:default/jiwoo.kim';

/**
 * Starts a test backend with the portal-actions plugin, the real actions
 * registry (its HTTP invoke route), a mock auditor, and fake upstream plugins
 * that record every call with the principal they authenticated.
 */
export async function startHarness(upstreams: FakeUpstream[]) {
  const seen: SeenCall[] = [];
  const auditor = mockServices.auditor.mock();
  const fakes = upstreams.map(u =>
    createBackendPlugin({
      pluginId: u.pluginId,
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
          },
          async init({ httpRouter, httpAuth }) {
            const router = Router();
            router.use(express.json());
            router.use(async (req, _res, next) => {
              const credentials = await httpAuth.credentials(req);
              const p = credentials.principal as any;
              seen.push({
                method: req.method,
                path: `/${u.pluginId}${req.path}`,
                query: { ...req.query },
                body: req.body,
                principal:
                  p.type === 'user'
                    ? `user:${p.userEntityRef}`
                    : `${p.type}:${p.subject}`,
              });
              next();
            });
            u.routes(router);
            httpRouter.use(router);
          },
        });
      },
    }),
  );
  const { server } = await startTestBackend({
    features: [portalActionsPlugin, auditor.factory, ...fakes],
  });

  /** Invokes an action through the registry's HTTP route, as `caller`. */
  async function invoke(
    name: string,
    input: unknown,
    caller: string = mockCredentials.user.header(GUEST),
  ) {
    const res = await request(server)
      .post(
        `/api/portal-actions/.backstage/actions/v1/actions/portal-actions:${name}/invoke`,
      )
      .set('Authorization', caller)
      .send(input as object);
    return { status: res.status, body: res.body };
  }

  /** The audit events written so far: [createEvent options, outcome]. */
  async function audits() {
    const out: {
      meta: any;
      severityLevel?: string;
      outcome: string;
      error?: string;
    }[] = [];
    const calls = auditor.createEvent.mock.calls;
    for (let i = 0; i < calls.length; i++) {
      const event = await auditor.createEvent.mock.results[i].value;
      const success = (event.success as jest.Mock).mock.calls;
      const fail = (event.fail as jest.Mock).mock.calls;
      out.push({
        meta: calls[i][0].meta,
        severityLevel: calls[i][0].severityLevel,
        outcome: outcomeOf(success.length, fail.length),
        error: fail[0]?.[0]?.error?.message,
      });
    }
    return out;
  }

  return { server, seen, invoke, audits };
}
