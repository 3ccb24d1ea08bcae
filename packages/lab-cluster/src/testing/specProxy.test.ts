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
      if (req.url === '/api/demo/undocumented') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
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

  it('passes requests and answers that match the spec', async () => {
    for (const answer of [[], ['a', 'b']]) {
      items = answer;
      const res = await get(proxy.server, '/api/demo/items');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ items: answer });
    }
  });

  it('rejects an answer whose body is off the spec', async () => {
    items = [1, 2];
    const res = await get(proxy.server, '/api/demo/items');
    // The caller gets the answer as the backend sent it ...
    expect(await res.json()).toEqual({ items: [1, 2] });
    // ... and the proxy names the operation and the offending field.
    await expect(proxy.settle()).rejects.toThrow(
      /\["GET \/api\/demo\/items" \(200\)\]: Response body validation failed\.\s+- "\/items\/0" should be of type string/,
    );
    items = ['a'];
    // Reported once, on the test that caused it.
    await expect(proxy.settle()).resolves.toBeUndefined();
  });

  it('rejects a route the spec lacks', async () => {
    const res = await get(proxy.server, '/api/demo/undocumented');
    expect(res.status).toBe(200);
    await expect(proxy.settle()).rejects.toThrow(
      /\["GET \/api\/demo\/undocumented"\] No operation schema found/,
    );
  });
});
