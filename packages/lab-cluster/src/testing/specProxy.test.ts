import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSpecProxy, SpecProxy } from './specProxy';

const spec = {
  openapi: '3.0.3',
  info: { title: 'demo', version: '1' },
  paths: {
    '/api/demo/items': {
      get: {
        responses: {
          '200': {
            description: 'items',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

/** Through the proxy, as supertest would call it. */
async function get(server: http.Server, path: string) {
  const { port } = server.address() as AddressInfo;
  return fetch(`http://127.0.0.1:${port}${path}`);
}

describe('startSpecProxy', () => {
  let proxy: SpecProxy;
  const specReads: Array<string | undefined> = [];
  let items: unknown = ['a'];

  beforeAll(async () => {
    // A backend that serves its spec to signed-in callers only, below its
    // plugin's base path, like a plugin's router does.
    const backend = http.createServer((req, res) => {
      if (req.url === '/api/demo/openapi.json') {
        specReads.push(req.headers.authorization);
        if (req.headers.authorization !== 'Bearer spec-reader') {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(spec));
        return;
      }
      if (req.url === '/api/demo/items') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items }));
        return;
      }
      res.writeHead(404).end();
    });
    proxy = await startSpecProxy({
      backend,
      pluginId: 'demo',
      specAuthorization: 'Bearer spec-reader',
    });
  });

  afterEach(() => proxy.settle());

  it('reads the spec from the plugin base with the given credentials', () => {
    expect(specReads).toEqual(['Bearer spec-reader']);
  });

  // An answer off the spec fails the running test through Jest's handling of
  // unhandled rejections, which a test here cannot expect; the backends'
  // contract tests are where such failures show.
  it('passes requests and answers that match the spec', async () => {
    for (const answer of [[], ['a', 'b']]) {
      items = answer;
      const res = await get(proxy.server, '/api/demo/items');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ items: answer });
    }
  });
});
