import fs from 'node:fs';
import path from 'node:path';
import { isPermissionCovered } from '@internal/plugin-permission-backend-module-portal-policy';
import { RunningBackend, startBackend } from '../support/backend';
import { eventually } from '../support/eventually';
import { repoRoot } from '../support/paths';
import { guestToken } from '../support/session';

/**
 * Every permission that a plugin of the running backend registers must be
 * named by a rule of the portal policy; the policy denies the others, so a
 * new plugin would be unusable, or (before this policy) silently open.
 */

const backendSrc = path.join(repoRoot, 'packages', 'backend', 'src');

/**
 * The plugin IDs of the features the backend's source installs: every
 * `import('<package>')` in packages/backend/src (index.ts and feature
 * loaders), mapped to the package's `backstage.pluginId`.
 */
function pluginIdsFromBackendSource(): Map<string, string> {
  const byPackage = new Map<string, string>();
  for (const file of fs.readdirSync(backendSrc)) {
    if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file)) continue;
    const source = fs.readFileSync(path.join(backendSrc, file), 'utf8');
    for (const [, name] of source.matchAll(/import\(\s*'([^']+)'\s*\)/g)) {
      const manifest = JSON.parse(
        fs.readFileSync(
          path.join(repoRoot, 'node_modules', name, 'package.json'),
          'utf8',
        ),
      );
      const pluginId = manifest.backstage?.pluginId;
      if (typeof pluginId !== 'string') {
        throw new Error(`${name} declares no backstage.pluginId`);
      }
      byPackage.set(name, pluginId);
    }
  }
  return byPackage;
}

/**
 * The plugin IDs the running backend initialised, from its start-up log line
 * `Plugin initialization started: 'app', 'auth', ...`.
 */
function pluginIdsFromBackendLog(output: string): string[] {
  const line = output
    .split('\n')
    .find(l => l.includes('Plugin initialization started:'));
  if (!line) {
    throw new Error(`no 'Plugin initialization started' line in the log`);
  }
  const list = line.slice(line.indexOf('Plugin initialization started:'));
  return [...list.matchAll(/'([^']+)'/g)].map(m => m[1]);
}

type Registered = { pluginId: string; name: string };

async function registeredPermissions(
  baseUrl: string,
  token: string,
  pluginIds: string[],
): Promise<{ permissions: Registered[]; withRegistry: string[] }> {
  const permissions: Registered[] = [];
  const withRegistry: string[] = [];
  for (const pluginId of pluginIds) {
    const res = await fetch(
      `${baseUrl}/api/${pluginId}/.well-known/backstage/permissions/metadata`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    const type = res.headers.get('content-type') ?? '';
    if (res.status === 404 || (res.ok && !type.includes('application/json'))) {
      // No permissions registry in this plugin (the app plugin answers
      // unknown paths with its index.html).
      continue;
    }
    if (!res.ok) {
      throw new Error(
        `permission metadata of '${pluginId}' answered ${
          res.status
        }: ${await res.text()}`,
      );
    }
    const body = await res.json();
    if (!Array.isArray(body.permissions)) {
      throw new Error(
        `permission metadata of '${pluginId}' has no permissions list`,
      );
    }
    withRegistry.push(pluginId);
    for (const permission of body.permissions) {
      permissions.push({ pluginId, name: permission.name });
    }
  }
  return { permissions, withRegistry };
}

describe('the portal policy names every registered permission', () => {
  let backend: RunningBackend;

  beforeAll(async () => {
    backend = await startBackend();
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('covers every permission of every installed plugin', async () => {
    const fromSource = pluginIdsFromBackendSource();
    const fromLog = pluginIdsFromBackendLog(backend.output());
    // The log is what really started; the source check keeps the log
    // parser honest (every installed package's plugin is in it).
    expect(fromLog).toEqual(
      expect.arrayContaining([...new Set(fromSource.values())]),
    );

    const token = await guestToken(backend.baseUrl, 'group:default/ml-team');
    const { permissions, withRegistry } = await registeredPermissions(
      backend.baseUrl,
      token,
      fromLog,
    );
    // A failing fetch must not pass as "nothing registered".
    expect(withRegistry).toEqual(
      expect.arrayContaining(['catalog', 'scaffolder', 'kubernetes']),
    );
    expect(permissions.map(p => p.name)).toEqual(
      expect.arrayContaining([
        'catalog.entity.read',
        'scaffolder.task.read',
        'kubernetes.proxy',
      ]),
    );

    const uncovered = permissions
      .filter(p => !isPermissionCovered(p.name))
      .map(p => `${p.pluginId}: ${p.name}`);
    expect(uncovered).toEqual([]);
  });

  it('denies a permission that no rule names and says so once in the log', async () => {
    const token = await guestToken(backend.baseUrl, 'group:default/ml-team');
    const name = `e2e.unnamed.${Date.now().toString(36)}`;
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${backend.baseUrl}/api/permission/authorize`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          items: [
            { id: 'x', permission: { type: 'basic', name, attributes: {} } },
          ],
        }),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).items).toEqual([{ id: 'x', result: 'DENY' }]);
    }
    const warningsOf = () =>
      backend
        .output()
        .split('\n')
        .filter(l => l.includes(`'${name}'`));
    await eventually(() => warningsOf().length > 0, {
      timeoutMs: 10_000,
      what: `the warning about ${name} in the log`,
    });
    const warnings = warningsOf();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/warn/);
  });
});
