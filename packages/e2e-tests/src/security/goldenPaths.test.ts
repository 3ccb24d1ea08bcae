import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RunningBackend, startBackend } from '../support/backend';
import { guestToken } from '../support/session';

/** Booting on a busy 2-core machine can take minutes. */
const BOOT_TIMEOUT_MS = 480_000;
/**
 * The golden paths' storage: developers push to repositories on the
 * portal's disk, and the catalog reads the published checkouts through
 * file: URLs. A pushed symlink to /proc/self/environ (the backend's secrets)
 * or a `..` path must never make the catalog read outside the checkouts.
 * (That a push checks symlinks out as regular files is tested with a real
 * push through the portal's hook in the golden-paths module's unit tests.)
 */

const ML_TEAM = 'group:default/ml-team';
const environ = '/proc/self/environ';

describe('golden-path storage: nothing outside the published checkouts', () => {
  let dataDir: string;
  let backend: RunningBackend | undefined;
  let token: string;
  let published: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-golden-'));
    published = path.join(dataDir, 'git', 'published');
    // A checkout as a push that materialised symlinks would leave it: the
    // descriptor and a directory are links out of the storage.
    const leaky = path.join(published, 'leaky');
    fs.mkdirSync(leaky, { recursive: true });
    fs.symlinkSync(environ, path.join(leaky, 'catalog-info.yaml'));
    fs.symlinkSync('../../..', path.join(leaky, 'up'));
    // A well-formed checkout: the reader does read inside its root.
    fs.mkdirSync(path.join(published, 'fine'));
    fs.writeFileSync(
      path.join(published, 'fine', 'catalog-info.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: fine-service }\nspec: { type: service, lifecycle: experimental, owner: group:default/ml-team, system: document-ai }\n',
    );
    fs.mkdirSync(path.join(dataDir, 'secret'));
    fs.writeFileSync(
      path.join(dataDir, 'secret', 'catalog-info.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: outside-root }\nspec: { type: service, lifecycle: experimental, owner: group:default/ml-team, system: document-ai }\n',
    );
    backend = await startBackend({
      dataDir,
      overlay: { goldenPaths: { git: { rootDir: path.join(dataDir, 'git') } } },
    });
    token = await guestToken(backend.baseUrl, ML_TEAM);
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await backend?.stop();
    if (dataDir) {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  async function dryRun(target: string) {
    const res = await fetch(
      `${backend!.baseUrl}/api/catalog/locations?dryRun=true`,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ type: 'url', target }),
      },
    );
    return { status: res.status, text: await res.text() };
  }

  it('does not follow a symlink or .. out of a published checkout', async () => {
    const fine = await dryRun(
      pathToFileURL(
        path.join(published, 'fine', 'catalog-info.yaml'),
      ).toString(),
    );
    expect(fine.status).toBe(201);
    expect(fine.text).toContain('fine-service');

    const leaky = pathToFileURL(path.join(published, 'leaky')).toString();
    for (const target of [
      `${leaky}/catalog-info.yaml`,
      `${leaky}/up/secret/catalog-info.yaml`,
      `${leaky}/up/../secret/catalog-info.yaml`,
      `${leaky}/%2e%2e/%2e%2e/%2e%2e/secret/catalog-info.yaml`,
    ]) {
      const res = await dryRun(target);
      expect([target, res.status]).toEqual([target, 400]);
      // Neither the backend's environment nor the file outside was read.
      expect(res.text).not.toMatch(/NODE_ENV=|PATH=|outside-root/);
    }
    const ready = await fetch(
      `${backend!.baseUrl}/.backstage/health/v1/readiness`,
    );
    expect(ready.status).toBe(200);
  });
});
