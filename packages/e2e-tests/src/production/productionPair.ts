// Two backend replicas with the production config on one PostgreSQL, the
// organisation from slapd, sign-in through the test OpenID Provider, and one
// lab fleet shared by both.
import fs from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import {
  freePort,
  RunningBackend,
  startBackend,
  testPostgresUrl,
} from '../support/backend';
import {
  OidcUser,
  oidcRedirectUri,
  RunningOidcProvider,
  startOidcProvider,
} from '../support/oidcProvider';
import { repoRoot } from '../support/paths';
import path from 'node:path';
import {
  ldapGroups,
  ldapPeople,
  ldapUnavailable,
  RunningLdap,
  startLdap,
} from './ldapServer';

/** Why the production tests cannot run here, or undefined when they can. */
export function productionUnavailable(): string | undefined {
  if (!testPostgresUrl()) {
    return 'no PostgreSQL (BACKSTAGE_TEST_DATABASE_POSTGRES<version>_CONNECTION_STRING is not set; scripts/system-packages.sh start_test_postgres sets it)';
  }
  return ldapUnavailable();
}

/**
 * The GPU pool of this installation, as an operator's site config would give
 * it (production starts with none): the lab's clusters, pools and allowances
 * from app-config.yaml, since the replicas run on the lab fleet.
 */
function labGpuPoolSiteConfig() {
  const { gpuPool } = parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const { clusters, pools, allowances, computeAllowances } = gpuPool;
  return { clusters, pools, allowances, computeAllowances };
}

/** How often the LDAP provider runs in these tests. */
export const LDAP_FREQUENCY_SECONDS = 5;

/**
 * Every User of catalog/org.yaml as an OIDC user with the password
 * `pw-<name>` and their teams as the `groups` claim, plus `outsider`, who is
 * in the identity provider with the organisation's e-mail domain but not in
 * the directory.
 */
export function oidcUsers(): OidcUser[] {
  const docs = parseAllDocuments(
    fs.readFileSync(path.join(repoRoot, 'catalog', 'org.yaml'), 'utf8'),
  ).map(d => d.toJSON());
  return [
    ...docs
      .filter(d => d?.kind === 'User')
      .map(u => ({
        id: u.metadata.name,
        password: `pw-${u.metadata.name}`,
        email: u.spec.profile.email,
        name: u.spec.profile.displayName,
        groups: u.spec.memberOf ?? [],
      })),
    {
      id: 'outsider',
      password: 'pw-outsider',
      email: 'outsider@cloudsmart.go.kr',
      groups: ['platform-team'],
    },
  ];
}

export interface ProductionPair {
  a: RunningBackend;
  b: RunningBackend;
  lab: LabFleet;
  ldap: RunningLdap;
  oidc: RunningOidcProvider;
  stop(): Promise<void>;
}

/** Starts slapd, the OpenID Provider, a lab fleet and two replicas. */
export async function startProductionPair(): Promise<ProductionPair> {
  const postgresUrl = testPostgresUrl()!;
  // One database prefix per run: other tests on the server never collide.
  const databasePrefix = `e2e_prod_${Date.now().toString(36)}_`;
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      await s().catch(() => undefined);
    }
  };
  try {
    const ldap = await startLdap();
    stops.push(ldap.stop);
    const ports = [await freePort(), await freePort()];
    const oidc = await startOidcProvider({
      users: oidcUsers(),
      redirectUris: ports.map(p => oidcRedirectUri(`http://localhost:${p}`)),
    });
    stops.push(oidc.stop);
    const lab = await startLabFleet({ basePort: 0, adminPort: 0 });
    stops.push(() => lab.stop());

    const replica = async (port: number) => {
      const backend = await startBackend({
        port,
        lab,
        production: {
          postgresUrl,
          databasePrefix,
          oidc,
          env: {
            LDAP_URL: ldap.url,
            LDAP_BIND_DN: ldap.bindDn,
            LDAP_BIND_PASSWORD: ldap.bindPassword,
            LDAP_USERS_DN: ldapPeople,
            LDAP_GROUPS_DN: ldapGroups,
          },
        },
        overlay: {
          // A killed replica's reconcile pass is taken over after this
          // (default 120 s); a pass here takes a few seconds.
          gpuPool: {
            ...labGpuPoolSiteConfig(),
            reconcileTimeoutSeconds: 20,
          },
          catalog: {
            providers: {
              ldapOrg: {
                directory: {
                  schedule: {
                    frequency: `PT${LDAP_FREQUENCY_SECONDS}S`,
                    initialDelay: 'PT1S',
                  },
                },
              },
            },
          },
        },
      });
      stops.push(backend.stop);
      return backend;
    };
    // One after the other: the first one runs the migrations.
    const a = await replica(ports[0]);
    const b = await replica(ports[1]);
    return { a, b, lab, ldap, oidc, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
