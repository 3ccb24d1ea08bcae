import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RunningBackend, startBackend } from '../support/backend';
import { eventually } from '../support/eventually';
import { guestToken } from '../support/session';

/** Booting on a busy 2-core machine can take minutes. */
const BOOT_TIMEOUT_MS = 480_000;
/**
 * The guest developer (jiwoo.kim, ML team) tries to grow their rights
 * through the catalog: registering a location whose YAML makes a User of the
 * platform team, a Group, a Template and a file Location; registering a file
 * location; and having entity validation read host files. Every attempt is
 * refused and the catalog keeps what config put there.
 */

const ML_TEAM = 'group:default/ml-team';
const WAIT = { timeoutMs: 120_000, intervalMs: 1000 };

/** Entities no user-registered location may bring in. */
const forbidden = `apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: intruder
spec:
  profile: { email: intruder@cloudsmart.go.kr }
  memberOf: [platform-team]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: shadow-admins
spec:
  type: team
  parent: platform-team
  children: []
  members: [jiwoo.kim]
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: evil-template
spec:
  owner: group:default/ml-team
  type: service
  steps: []
---
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: host-files
spec:
  type: file
  target: /dev/zero
`;

/** What users may register: software. */
const allowed = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: registered-by-developer
spec:
  type: service
  lifecycle: experimental
  owner: group:default/ml-team
  system: document-ai
`;

describe('catalog: what a developer cannot register', () => {
  let dataDir: string;
  let backend: RunningBackend | undefined;
  let token: string;
  let published: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-catalog-'));
    // Repositories as the golden paths publish them: read through file: URLs.
    published = path.join(dataDir, 'git', 'published');
    for (const [repo, text] of [
      ['org-takeover', forbidden],
      ['plain-service', allowed],
    ]) {
      fs.mkdirSync(path.join(published, repo), { recursive: true });
      fs.writeFileSync(path.join(published, repo, 'catalog-info.yaml'), text);
    }
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

  async function call(method: string, route: string, body?: unknown) {
    const res = await fetch(`${backend!.baseUrl}${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json };
  }

  const entity = (ref: string) =>
    call('GET', `/api/catalog/entities/by-name/${ref}`);
  const urlOf = (repo: string) =>
    pathToFileURL(path.join(published, repo, 'catalog-info.yaml')).toString();

  async function locationTargets(): Promise<string[]> {
    const res = await call('GET', '/api/catalog/locations');
    expect(res.status).toBe(200);
    return res.json.map((l: any) => l.data.target);
  }

  it('refuses a User, Group, Template or Location from a registered location', async () => {
    // The dry run reports the refusal the catalog applies on ingestion.
    const dryRun = await call('POST', '/api/catalog/locations?dryRun=true', {
      type: 'url',
      target: urlOf('org-takeover'),
    });
    expect(dryRun.status).toBe(400);
    expect(dryRun.json.error.message).toMatch(
      /user:default\/intruder.*not of an allowed kind/,
    );

    const registered = await call('POST', '/api/catalog/locations', {
      type: 'url',
      target: urlOf('org-takeover'),
    });
    expect(registered.status).toBe(201);
    // Registered after it, so processed after it: once the component is in
    // the catalog, the location above has been processed too.
    expect(
      (
        await call('POST', '/api/catalog/locations', {
          type: 'url',
          target: urlOf('plain-service'),
        })
      ).status,
    ).toBe(201);
    await eventually(
      async () =>
        (await entity('component/default/registered-by-developer')).status ===
        200,
      { ...WAIT, what: 'the allowed component in the catalog' },
    );
    // A few more processing rounds for good measure.
    await new Promise(r => setTimeout(r, 5000));

    for (const ref of [
      'user/default/intruder',
      'group/default/shadow-admins',
      'template/default/evil-template',
      'location/default/host-files',
    ]) {
      expect([ref, (await entity(ref)).status]).toEqual([ref, 404]);
    }
    const platformTeam = await entity('group/default/platform-team');
    expect(platformTeam.status).toBe(200);
    const related = platformTeam.json.relations.map((r: any) => r.targetRef);
    expect(related).not.toContain('user:default/intruder');
    expect(related).not.toContain('group:default/shadow-admins');

    // The guest's identity is what it was: the ML team, nothing more.
    const session = await fetch(`${backend!.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    const { ownershipEntityRefs } = (await session.json()).backstageIdentity
      .identity;
    expect(ownershipEntityRefs).toContain(ML_TEAM);
    expect(ownershipEntityRefs).not.toContain('group:default/platform-team');
    expect(ownershipEntityRefs).not.toContain('group:default/shadow-admins');
  });

  it('refuses to register a file location and stays healthy', async () => {
    const before = await locationTargets();
    for (const target of ['/dev/zero', '/proc/self/environ']) {
      for (const dryRun of ['?dryRun=true', '']) {
        const res = await call('POST', `/api/catalog/locations${dryRun}`, {
          type: 'file',
          target,
        });
        expect([target, dryRun, res.status]).toEqual([target, dryRun, 400]);
        expect(res.json.error.message).toMatch(/allowed type \["url"\]/);
      }
    }
    // Nor a url location that is really a host file (only the dry run
    // reads at once; a registration is read later, by the same readers).
    const hostFile = await call('POST', '/api/catalog/locations?dryRun=true', {
      type: 'url',
      target: 'file:///proc/self/environ',
    });
    expect(hostFile.status).toBe(400);
    expect(hostFile.text).not.toMatch(/NODE_ENV=|PATH=/);

    expect(await locationTargets()).toEqual(before);
    const ready = await fetch(
      `${backend!.baseUrl}/.backstage/health/v1/readiness`,
    );
    expect(ready.status).toBe(200);
  });

  it('does not read host files when validating an entity', async () => {
    for (const target of ['/dev/zero', '/proc/self/environ', '/etc/passwd']) {
      const res = await call('POST', '/api/catalog/validate-entity', {
        location: 'url:https://git.invalid/catalog-info.yaml',
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Location',
          metadata: {
            name: 'host-file',
            // The caller's annotations win over the location above: the
            // entity claims to come from a file, so a file target would be
            // read relative to it.
            annotations: {
              'backstage.io/managed-by-location': 'file:/etc/hostname',
              'backstage.io/managed-by-origin-location': 'file:/etc/hostname',
            },
          },
          spec: { type: 'file', target },
        },
      });
      expect([target, res.status]).toEqual([target, 400]);
      // Backstage 1.57 refuses a file location here itself; before it, our
      // ConfiguredFilesOnlyProcessor did (its unit tests still cover it).
      expect(res.text).toMatch(
        /is not configured in catalog\.locations|Registered locations must be of an allowed type/,
      );
      expect(res.text).not.toMatch(/NODE_ENV=|PATH=|root:x:0/);
    }
    const ready = await fetch(
      `${backend!.baseUrl}/.backstage/health/v1/readiness`,
    );
    expect(ready.status).toBe(200);
  });
});
