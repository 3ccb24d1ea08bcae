// Production on-prem (issue 14): two backend replicas with the production
// config on one PostgreSQL, sign-in through a certified OpenID Provider
// (oidc-provider), and the organisation from OpenLDAP (slapd). One pair of
// replicas serves every test here; the last one kills a replica.
import { gpuPoolApi } from '../gpu-pool/support';
import { hasChromium, launchBrowser } from '../support/browser';
import { errorLines } from '../support/backend';
import { eventually } from '../support/eventually';
import { oidcSignIn } from '../support/oidcProvider';
import {
  LDAP_FREQUENCY_SECONDS,
  ProductionPair,
  productionUnavailable,
  startProductionPair,
} from './productionPair';

const unavailable = productionUnavailable();
if (unavailable) {
  // eslint-disable-next-line no-console
  console.warn(`production end-to-end tests skipped: ${unavailable}`);
}
const describeIfAvailable = unavailable ? describe.skip : describe;

/** Signs in through the OpenID Provider and returns the Backstage token. */
async function signIn(baseUrl: string, user: string): Promise<string> {
  return eventually(
    async () => {
      const res = await oidcSignIn(baseUrl, {
        id: user,
        password: `pw-${user}`,
      });
      return res.status === 200
        ? (res.body.backstageIdentity.token as string)
        : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 2000, what: `${user} signed in` },
  );
}

/** The permission backend's decision on catalog.entity.create for the token. */
async function mayCreateEntities(baseUrl: string, token: string) {
  const res = await fetch(`${baseUrl}/api/permission/authorize`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      items: [
        {
          id: '1',
          permission: {
            type: 'basic',
            name: 'catalog.entity.create',
            attributes: { action: 'create' },
          },
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).items[0].result as string;
}

async function entity(baseUrl: string, token: string, ref: string) {
  const [kind, name] = ref.split(':default/');
  const res = await fetch(
    `${baseUrl}/api/catalog/entities/by-name/${kind}/default/${name}`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  return res.status === 200 ? res.json() : undefined;
}

function gpuRequest(namespace: string) {
  return {
    team: 'group:default/ml-team',
    cluster: 'lab-main',
    namespace,
    gpus: [{ pool: 'lab-main-h100', count: 1 }],
    cpu: '4',
    memory: '16Gi',
    duration: 'PT4H',
    justification: 'production end-to-end test',
    ephemeral: false,
  };
}

/**
 * A signals WebSocket, as the app opens it (the token as subprotocol). The
 * backend hooks WebSocket upgrades on the first such request, so the first
 * attempt may fail; the app's client retries as well.
 */
async function openSignals(
  baseUrl: string,
  token: string,
  messages: any[],
): Promise<WebSocket> {
  return eventually(
    () =>
      new Promise<WebSocket | undefined>(resolve => {
        const ws = new WebSocket(
          `${baseUrl.replace('http', 'ws')}/api/signals`,
          [token],
        );
        const timer = setTimeout(() => {
          ws.close();
          resolve(undefined);
        }, 5000);
        ws.onmessage = ev => messages.push(JSON.parse(String(ev.data)));
        ws.onopen = () => {
          clearTimeout(timer);
          resolve(ws);
        };
        ws.onerror = () => {
          clearTimeout(timer);
          resolve(undefined);
        };
      }),
    {
      timeoutMs: 30_000,
      intervalMs: 500,
      what: `a signals socket on ${baseUrl}`,
    },
  );
}

describeIfAvailable('production: two replicas, OIDC and LDAP', () => {
  let pair: ProductionPair;
  let developer: string;
  const started = Date.now();

  beforeAll(async () => {
    pair = await startProductionPair();
    // The developer signs in on A; the token is good on B (shared keys).
    developer = await signIn(pair.a.baseUrl, 'jiwoo.kim');
  }, 600_000);

  afterAll(async () => {
    await pair?.stop();
    // eslint-disable-next-line no-console
    console.log(`production tests took ${Date.now() - started} ms`);
  });

  it('both replicas serve the organisation read from LDAP, with memberships', async () => {
    const token = developer;
    for (const { baseUrl } of [pair.a, pair.b]) {
      const user = await eventually(
        () => entity(baseUrl, token, 'user:default/jiwoo.kim'),
        { timeoutMs: 60_000, what: `jiwoo.kim in the catalog of ${baseUrl}` },
      );
      expect(user.metadata.annotations).toMatchObject({
        'backstage.io/ldap-dn':
          'uid=jiwoo.kim,ou=people,dc=cloudsmart,dc=go,dc=kr',
      });
      expect(user.spec.memberOf).toEqual(['group:default/ml-team']);
      expect(user.spec.profile.email).toBe('jiwoo.kim@cloudsmart.go.kr');
      const team = await entity(
        baseUrl,
        developer,
        'group:default/platform-team',
      );
      expect(team.spec).toMatchObject({
        type: 'team',
        parent: 'group:default/digital-division',
      });
      const division = await entity(
        baseUrl,
        developer,
        'group:default/digital-division',
      );
      expect([...division.spec.children].sort()).toEqual([
        'group:default/citizen-services-team',
        'group:default/ml-team',
        'group:default/payments-team',
        'group:default/platform-team',
      ]);
    }
  });

  it('signs in through the authorization-code flow; the platform team may verify the audit chain, a developer may not', async () => {
    const signedIn = await oidcSignIn(pair.b.baseUrl, {
      id: 'hyunwoo.park',
      password: 'pw-hyunwoo.park',
    });
    expect(signedIn.status).toBe(200);
    const { identity, token: platform } = signedIn.body.backstageIdentity;
    expect(identity.userEntityRef).toBe('user:default/hyunwoo.park');
    expect(identity.ownershipEntityRefs).toContain(
      'group:default/platform-team',
    );
    // What the popup hands to the app is the same user.
    expect(
      signedIn.callback.response.backstageIdentity.identity.userEntityRef,
    ).toBe('user:default/hyunwoo.park');
    for (const { baseUrl } of [pair.a, pair.b]) {
      const verify = (token: string) =>
        fetch(`${baseUrl}/api/gpu-pool/audit/verify`, {
          headers: { Authorization: `Bearer ${token}` },
        }).then(r => r.status);
      expect(await verify(platform)).toBe(200);
      expect(await verify(developer)).toBe(403);
    }
  });

  it('refuses a user of the identity provider who is not in the catalog, saying why', async () => {
    const res = await oidcSignIn(pair.a.baseUrl, {
      id: 'outsider',
      password: 'pw-outsider',
    });
    // The popup tells the app why; no session was created.
    expect(res.callback.error.message).toMatch(
      /Failed to sign-in, unable to resolve user identity/,
    );
    expect(res.status).toBe(401);
  });

  it('a GPU request made on one replica is seen on the other, and its signal reaches a client of the other', async () => {
    const messages: any[] = [];
    const onB = await openSignals(pair.b.baseUrl, developer, messages);
    try {
      onB.send(JSON.stringify({ action: 'subscribe', channel: 'gpu-pool' }));
      // The subscription is registered asynchronously on B.
      await new Promise(r => setTimeout(r, 500));

      const namespace = `ml-prod-${Date.now().toString(36)}`;
      const created = await gpuPoolApi(pair.a.baseUrl, developer).post(
        '/requests',
        gpuRequest(namespace),
      );
      expect(created.status).toBe(201);
      const id: string = created.body.id;

      const seen = await eventually(
        async () => {
          const res = await gpuPoolApi(pair.b.baseUrl, developer).get(
            `/requests/${id}`,
          );
          return res.status === 200 && res.body.status === 'active'
            ? res.body
            : undefined;
        },
        { timeoutMs: 60_000, what: `request ${id} active as seen on B` },
      );
      expect(seen.namespace).toBe(namespace);

      await eventually(
        () =>
          messages.some(
            m => m.channel === 'gpu-pool' && m.message?.requestId === id,
          ),
        { timeoutMs: 30_000, what: `a gpu-pool signal for ${id} on B` },
      );
    } finally {
      onB.close();
    }
  });

  it('runs scheduled work once across both replicas', async () => {
    // The LDAP provider's task runs every few seconds: wait for several runs
    // while both replicas are up, then check that no two runs (on either
    // replica) started within one period of each other. Start-up is left
    // out: a worker that registers the task may bring its next run forward.
    const since = Date.now();
    const runs = () =>
      [pair.a.output(), pair.b.output()].flatMap(out =>
        out
          .split('\n')
          .filter(l => l.includes('Reading LDAP users and groups'))
          .map(l => Date.parse(l.split(/\s+/)[0]))
          .filter(t => !(t < since)),
      );
    await eventually(() => runs().length >= 4, {
      timeoutMs: LDAP_FREQUENCY_SECONDS * 10_000,
      intervalMs: 1000,
      what: 'four more LDAP provider runs',
    });
    const starts = runs().sort((x, y) => x - y);
    expect(starts.every(t => Number.isFinite(t))).toBe(true);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    // Each run is claimed by one replica through the database lock.
    expect(Math.min(...gaps)).toBeGreaterThan(
      LDAP_FREQUENCY_SECONDS * 1000 * 0.6,
    );
  });

  it('a user removed from LDAP leaves the catalog, loses their rights at once and can no longer sign in', async () => {
    const removedUsersToken = await signIn(pair.a.baseUrl, 'sangmin.lim');
    const teamRef = 'group:default/citizen-services-team';
    for (const { baseUrl } of [pair.a, pair.b]) {
      expect(await mayCreateEntities(baseUrl, removedUsersToken)).toBe('ALLOW');
      expect(await entity(baseUrl, removedUsersToken, teamRef)).toBeDefined();
    }
    await pair.ldap.removeUser('sangmin.lim');
    const token = developer;
    for (const { baseUrl } of [pair.a, pair.b]) {
      await eventually(
        async () =>
          (await entity(baseUrl, token, 'user:default/sangmin.lim')) ===
          undefined,
        {
          timeoutMs: LDAP_FREQUENCY_SECONDS * 12_000,
          intervalMs: 1000,
          what: `sangmin.lim gone from the catalog of ${baseUrl}`,
        },
      );
    }
    // The team's relations follow once the catalog has stitched it again.
    const team = await eventually(
      async () => {
        const t = await entity(
          pair.b.baseUrl,
          developer,
          'group:default/citizen-services-team',
        );
        return t?.relations.some(
          (r: any) => r.targetRef === 'user:default/sangmin.lim',
        )
          ? undefined
          : t;
      },
      {
        timeoutMs: LDAP_FREQUENCY_SECONDS * 12_000,
        intervalMs: 1000,
        what: 'sangmin.lim gone from the citizen services team',
      },
    );
    expect(team.relations.map((r: any) => r.targetRef)).not.toContain(
      'user:default/sangmin.lim',
    );
    // The token issued before the removal is still unexpired, yet refused on
    // both replicas: the policy finds no user entity (a present user is
    // remembered for 5 s at most).
    for (const { baseUrl } of [pair.a, pair.b]) {
      await eventually(
        async () =>
          (await mayCreateEntities(baseUrl, removedUsersToken)) === 'DENY',
        {
          timeoutMs: 15_000,
          intervalMs: 1000,
          what: `sangmin.lim's earlier token refused on ${baseUrl}`,
        },
      );
      expect(await entity(baseUrl, removedUsersToken, teamRef)).toBeUndefined();
      // The same read with a present user's token still works.
      expect(await entity(baseUrl, developer, teamRef)).toBeDefined();
    }
    const res = await oidcSignIn(pair.b.baseUrl, {
      id: 'sangmin.lim',
      password: 'pw-sangmin.lim',
    });
    expect(res.status).toBe(401);
  });

  // Reported as skipped where Debian's Chromium is not installed.
  (hasChromium() ? describe : describe.skip)('in Chromium', () => {
    it('signs in with Chromium on the production sign-in page', async () => {
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage({ locale: 'ko-KR' });
        await page.goto(pair.b.baseUrl);
        const popupPromise = page.waitForEvent('popup');
        await page
          .getByRole('button', { name: /sign in|로그인/i })
          .first()
          .click();
        const popup = await popupPromise;
        await popup.getByLabel('Username').fill('seoyeon.lee');
        await popup.getByLabel('Password').fill('pw-seoyeon.lee');
        await popup.getByRole('button', { name: 'Sign in' }).click();
        // Signed in: the Korean home page, and no guest anywhere.
        await page.getByText('클라우드 스마트 개발자 포털').first().waitFor();
        const identity = await page.evaluate(async () => {
          const res = await fetch(
            '/api/auth/oidc/refresh?optional&env=production',
            {
              headers: { 'X-Requested-With': 'XMLHttpRequest' },
            },
          );
          return (await res.json()).backstageIdentity.identity;
        });
        expect(identity.userEntityRef).toBe('user:default/seoyeon.lee');
        expect(identity.ownershipEntityRefs).toContain(
          'group:default/platform-team',
        );
      } finally {
        await browser.close();
      }
    });
  });

  it('kills a replica in the middle of provisioning; the other converges and nothing is lost', async () => {
    const lab = pair.lab.cluster('lab-main');
    // Slow writes so that provisioning is still under way when A dies.
    await lab.faults.set({ latencyMs: 1500 });
    const namespace = `ml-kill-${Date.now().toString(36)}`;
    const created = await gpuPoolApi(pair.a.baseUrl, developer).post(
      '/requests',
      gpuRequest(namespace),
    );
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    await eventually(
      async () =>
        (
          await gpuPoolApi(pair.b.baseUrl, developer).get(`/requests/${id}`)
        ).body?.status === 'provisioning',
      { timeoutMs: 20_000, what: `request ${id} provisioning` },
    );
    await pair.a.kill();
    await lab.faults.clear();

    const active = await eventually(
      async () => {
        const res = await gpuPoolApi(pair.b.baseUrl, developer).get(
          `/requests/${id}`,
        );
        return res.body?.status === 'active' ? res.body : undefined;
      },
      {
        timeoutMs: 180_000,
        intervalMs: 1000,
        what: `request ${id} active on B`,
      },
    );
    expect(active.history.map((h: any) => h.to)).toEqual([
      'queued',
      'provisioning',
      'active',
    ]);
    // B finished what A began: the quota backstop and the LocalQueue that
    // feeds the team's ClusterQueue (Kueue enforces the grant on lab-main).
    const quota = lab.store.get(
      '/resourcequotas',
      namespace,
      'portal-gpu-pool',
    );
    expect(quota?.obj.spec.hard['requests.nvidia.com/gpu']).toBeDefined();
    const localQueue = lab.store.get(
      'kueue.x-k8s.io/localqueues',
      namespace,
      'portal-gpu-pool',
    );
    expect(localQueue?.obj.spec).toMatchObject({
      clusterQueue: 'portal-ml-team',
      stopPolicy: 'None',
    });
    // What converged is the GPU pool: it logged no error on B. (Other
    // plugins may log a browser's requests aborted by earlier tests.)
    expect(
      errorLines(pair.b.output()).filter(line =>
        /\sgpu-pool\s|"plugin":"gpu-pool"/.test(line),
      ),
    ).toEqual([]);
  });
});
