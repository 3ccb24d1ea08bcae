import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultClusterRegistry } from './DefaultClusterRegistry';

const logger = mockServices.logger.mock();

function registry(kubernetesAccess: unknown) {
  return DefaultClusterRegistry.fromConfig(
    new ConfigReader({ kubernetesAccess } as any),
    { logger },
  );
}

function errorOf(kubernetesAccess: unknown): Error {
  try {
    registry(kubernetesAccess);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected configuration to be rejected');
}

describe('DefaultClusterRegistry', () => {
  it('reads service account clusters and hides secrets', () => {
    const r = registry({
      defaultTimeoutMs: 4000,
      clusters: [
        {
          name: 'lab-main',
          title: 'Main',
          url: 'https://10.0.0.1:6443/',
          caData: Buffer.from('pem').toString('base64'),
          auth: { provider: 'serviceAccount', serviceAccountToken: 's3cret' },
        },
        {
          name: 'lab-edge',
          url: 'http://127.0.0.1:1234',
          timeoutMs: 500,
          auth: { provider: 'serviceAccount', serviceAccountToken: 't0ken' },
        },
      ],
    });
    expect(r.listClusters()).toEqual([
      {
        name: 'lab-main',
        title: 'Main',
        url: 'https://10.0.0.1:6443',
        authProvider: 'serviceAccount',
        timeoutMs: 4000,
        skipTLSVerify: false,
      },
      {
        name: 'lab-edge',
        title: 'lab-edge',
        url: 'http://127.0.0.1:1234',
        authProvider: 'serviceAccount',
        timeoutMs: 500,
        skipTLSVerify: true,
      },
    ]);
    expect(JSON.stringify(r.listClusters())).not.toMatch(/s3cret|t0ken/);
    expect(r.getCluster('lab-edge').timeoutMs).toBe(500);
    expect(r.getKubeConfig('lab-main').getCurrentUser()?.token).toBe('s3cret');
    expect(r.getKubeConfig('lab-main').getCurrentCluster()?.caData).toBe(
      Buffer.from('pem').toString('base64'),
    );
  });

  it('throws NotFoundError for unknown clusters', () => {
    const r = registry({ clusters: [] });
    expect(() => r.getCluster('nope')).toThrow(NotFoundError);
    expect(() => r.getKubeConfig('nope')).toThrow(
      'Kubernetes cluster "nope" is not configured',
    );
  });

  it('treats a missing section as no clusters', () => {
    const r = DefaultClusterRegistry.fromConfig(new ConfigReader({}), {
      logger,
    });
    expect(r.listClusters()).toEqual([]);
  });

  it.each([
    [
      'a missing token',
      {
        clusters: [
          {
            name: 'a',
            url: 'https://a',
            auth: { provider: 'serviceAccount', serviceAccountToken: 'x' },
          },
          { name: 'b', url: 'https://b', auth: { provider: 'serviceAccount' } },
        ],
      },
      'kubernetesAccess.clusters[1].auth.serviceAccountToken is required',
    ],
    [
      'an invalid name',
      {
        clusters: [
          {
            name: 'Lab_Main',
            url: 'https://a',
            auth: { provider: 'inCluster' },
          },
        ],
      },
      'kubernetesAccess.clusters[0].name must be a DNS-1123 label',
    ],
    [
      'duplicate names',
      {
        clusters: [
          {
            name: 'a',
            url: 'https://a',
            auth: { provider: 'serviceAccount', serviceAccountToken: 'x' },
          },
          {
            name: 'a',
            url: 'https://b',
            auth: { provider: 'serviceAccount', serviceAccountToken: 'x' },
          },
        ],
      },
      'kubernetesAccess.clusters[1].name must be unique',
    ],
    [
      'an unknown provider',
      {
        clusters: [{ name: 'a', url: 'https://a', auth: { provider: 'oidc' } }],
      },
      'kubernetesAccess.clusters[0].auth.provider must be one of serviceAccount, kubeconfig, inCluster',
    ],
    [
      'a missing url for a token',
      {
        clusters: [
          {
            name: 'a',
            auth: { provider: 'serviceAccount', serviceAccountToken: 'x' },
          },
        ],
      },
      'kubernetesAccess.clusters[0].url is required when auth.provider is serviceAccount',
    ],
    [
      'a non-http url',
      {
        clusters: [
          {
            name: 'a',
            url: 'ftp://a',
            auth: { provider: 'serviceAccount', serviceAccountToken: 'x' },
          },
        ],
      },
      'kubernetesAccess.clusters[0].url must be an http(s) URL',
    ],
    [
      'a bad timeout',
      {
        defaultTimeoutMs: -1,
        clusters: [],
      },
      'kubernetesAccess.defaultTimeoutMs',
    ],
    [
      'a missing kubeconfig file',
      {
        clusters: [
          {
            name: 'a',
            auth: {
              provider: 'kubeconfig',
              kubeconfigPath: '/nonexistent/kubeconfig',
            },
          },
        ],
      },
      'kubernetesAccess.clusters[0].auth.kubeconfigPath: file "/nonexistent/kubeconfig" does not exist',
    ],
  ])('rejects %s with a message naming the field', (_, config, message) => {
    const error = errorOf(config);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(message);
  });

  it('refuses inCluster outside a pod without url', () => {
    const saved = process.env.KUBERNETES_SERVICE_HOST;
    delete process.env.KUBERNETES_SERVICE_HOST;
    try {
      expect(
        errorOf({ clusters: [{ name: 'a', auth: { provider: 'inCluster' } }] })
          .message,
      ).toContain('kubernetesAccess.clusters[0].auth.provider is inCluster');
    } finally {
      if (saved !== undefined) {
        process.env.KUBERNETES_SERVICE_HOST = saved;
      }
    }
  });

  describe('kubeconfig provider', () => {
    let dir: string;
    let file: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-access-'));
      file = path.join(dir, 'kubeconfig');
      fs.writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'current-context: dev',
          'clusters:',
          '- name: dev',
          '  cluster: { server: "https://dev.example:6443" }',
          '- name: prod',
          '  cluster: { server: "https://prod.example:6443" }',
          'users:',
          '- name: u',
          '  user: { token: "kubeconfig-token" }',
          'contexts:',
          '- name: dev',
          '  context: { cluster: dev, user: u }',
          '- name: prod',
          '  context: { cluster: prod, user: u }',
        ].join('\n'),
      );
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('uses the selected context', () => {
      const r = registry({
        clusters: [
          {
            name: 'p',
            auth: {
              provider: 'kubeconfig',
              kubeconfigPath: file,
              context: 'prod',
            },
          },
          { name: 'd', auth: { provider: 'kubeconfig', kubeconfigPath: file } },
        ],
      });
      expect(r.getCluster('p').url).toBe('https://prod.example:6443');
      expect(r.getCluster('d').url).toBe('https://dev.example:6443');
      expect(r.getKubeConfig('p').getCurrentUser()?.token).toBe(
        'kubeconfig-token',
      );
    });

    it('names an unknown context', () => {
      expect(
        errorOf({
          clusters: [
            {
              name: 'p',
              auth: {
                provider: 'kubeconfig',
                kubeconfigPath: file,
                context: 'staging',
              },
            },
          ],
        }).message,
      ).toContain(
        'kubernetesAccess.clusters[0].auth.context: context "staging" not found',
      );
    });
  });
});
