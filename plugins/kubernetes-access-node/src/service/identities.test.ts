import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { LabFleet, startLabFleet } from '@internal/lab-cluster';
import type { V1Namespace } from '@kubernetes/client-node';
import { DefaultKubernetesAccess } from './DefaultKubernetesAccess';

// The reader / writer split against the lab, which seeds and enforces
// deploy/rbac: the reader may only read, the writer may apply namespaces.
const fixture = {
  clusters: ['lab-main', 'lab-edge'].map(name => ({
    name,
    tokens: { admin: `${name}-admin` },
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } },
    ],
  })),
};

const FM = 'portal-test';
const logger = mockServices.logger.mock();

function namespace(name: string): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}

describe('DefaultKubernetesAccess identities', () => {
  let lab: LabFleet;
  let access: DefaultKubernetesAccess;

  beforeAll(async () => {
    lab = await startLabFleet({ fixture, basePort: 0, adminPort: 0 });
    const [main, edge] = lab.clusters;
    access = DefaultKubernetesAccess.fromConfig(
      new ConfigReader({
        kubernetesAccess: {
          clusters: [
            {
              name: main.name,
              url: main.url,
              auth: {
                provider: 'serviceAccount',
                serviceAccountToken: main.readerToken,
              },
              writerAuth: {
                provider: 'serviceAccount',
                serviceAccountToken: main.writerToken,
              },
            },
            {
              // No writer: the portal may only read this one.
              name: edge.name,
              url: edge.url,
              auth: {
                provider: 'serviceAccount',
                serviceAccountToken: edge.readerToken,
              },
            },
          ],
        },
      }),
      { logger },
    );
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('describes which clusters have a writer, without credentials', () => {
    const clusters = access.listClusters();
    expect(clusters.map(c => [c.name, c.writerAuthProvider])).toEqual([
      ['lab-main', 'serviceAccount'],
      ['lab-edge', undefined],
    ]);
    expect(JSON.stringify(clusters)).not.toContain('token');
  });

  it('hands out the reader by default, which can read but not write', async () => {
    const reader = access.forCluster('lab-main', { fieldManager: FM });
    const names = (await reader.namespaces.listAll()).map(
      n => n.metadata?.name,
    );
    expect(names).toContain('team-a');
    const error = await caught(
      reader.namespaces.apply(namespace('by-reader'), { force: true }),
    );
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain(
      'system:serviceaccount:cloud-smart-portal:portal-reader',
    );
    expect(
      lab.cluster('lab-main').store.get('/namespaces', '', 'by-reader'),
    ).toBeUndefined();
  });

  it('writes with the writer when asked for it', async () => {
    const writer = access.forCluster('lab-main', {
      fieldManager: FM,
      as: 'writer',
    });
    const applied = await writer.namespaces.apply(namespace('by-writer'), {
      force: true,
    });
    expect(applied.metadata?.name).toBe('by-writer');
    expect(
      lab.cluster('lab-main').store.get('/namespaces', '', 'by-writer'),
    ).toBeDefined();
    // The writer has no business with pods, not even reading them.
    const error = await caught(writer.pods.list({ namespace: 'team-a' }));
    expect(error).toBeInstanceOf(NotAllowedError);
  });

  it('fails writes closed, per call, when a cluster has no writer', async () => {
    const writer = access.forCluster('lab-edge', {
      fieldManager: FM,
      as: 'writer',
    });
    const before = lab.cluster('lab-edge').metrics()['patch namespaces'] ?? 0;
    const error = await caught(
      writer.namespaces.apply(namespace('no-writer'), { force: true }),
    );
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(
      /"lab-edge" has no writer identity.*writerAuth/,
    );
    // Nothing was sent with any other credential.
    expect(lab.cluster('lab-edge').metrics()['patch namespaces'] ?? 0).toBe(
      before,
    );
  });

  it('reports the writer failure per cluster in a fan-out', async () => {
    const { results, errors } = await access.forEachCluster(
      client => client.namespaces.get('team-a'),
      { fieldManager: FM, as: 'writer' },
    );
    expect(results.map(r => r.cluster)).toEqual(['lab-main']);
    expect(errors.map(e => [e.cluster, e.error.name])).toEqual([
      ['lab-edge', 'ServiceUnavailableError'],
    ]);
  });

  it('refuses one token for both identities, naming the field', () => {
    expect(() =>
      DefaultKubernetesAccess.fromConfig(
        new ConfigReader({
          kubernetesAccess: {
            clusters: [
              {
                name: 'c',
                url: 'https://10.0.0.1:6443',
                auth: { provider: 'serviceAccount', serviceAccountToken: 't' },
                writerAuth: {
                  provider: 'serviceAccount',
                  serviceAccountToken: 't',
                },
              },
            ],
          },
        }),
        { logger },
      ),
    ).toThrow(
      new InputError(
        'Invalid kubernetesAccess configuration: kubernetesAccess.clusters[0].writerAuth.serviceAccountToken must differ from auth.serviceAccountToken',
      ),
    );
  });

  it('names the writer field when its credential is missing', () => {
    expect(() =>
      DefaultKubernetesAccess.fromConfig(
        new ConfigReader({
          kubernetesAccess: {
            clusters: [
              {
                name: 'c',
                url: 'https://10.0.0.1:6443',
                auth: { provider: 'serviceAccount', serviceAccountToken: 'r' },
                writerAuth: { provider: 'serviceAccount' },
              },
            ],
          },
        }),
        { logger },
      ),
    ).toThrow(
      'kubernetesAccess.clusters[0].writerAuth.serviceAccountToken is required',
    );
  });
});
