import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { RunningBackend, startBackend } from '../support/backend';
import { repoRoot } from '../support/paths';

/** Booting on a busy 2-core machine can take minutes. */
const BOOT_TIMEOUT_MS = 480_000;
/**
 * Production sign-in: no guest route, no match on an e-mail's local part
 * alone, and a sign-in page that offers the organisation's OIDC provider.
 */

const productionConfig = parse(
  fs.readFileSync(path.join(repoRoot, 'app-config.production.yaml'), 'utf8'),
);

describe('production sign-in config', () => {
  it('never matches a user by the local part of an e-mail from any domain', () => {
    const providers = productionConfig.auth.providers as Record<string, any>;
    const resolvers = Object.entries(providers).flatMap(([id, provider]) =>
      Object.values(provider ?? {}).flatMap((env: any) =>
        (env?.signIn?.resolvers ?? []).map((r: any) => ({ id, ...r })),
      ),
    );
    expect(resolvers.length).toBeGreaterThan(0);
    const byLocalPart = resolvers.filter(r => /LocalPart/i.test(r.resolver));
    for (const resolver of byLocalPart) {
      expect(resolver).toMatchObject({
        allowedDomains: [expect.stringMatching(/\S/)],
      });
    }
    for (const resolver of resolvers) {
      expect(resolver.dangerouslyAllowSignInWithoutUserInCatalog).toBeFalsy();
    }
  });

  it('turns the guest off and offers OIDC on the sign-in page', () => {
    expect(productionConfig.auth.environment).toBe('production');
    expect(productionConfig.auth.providers.guest).toBeNull();
    expect(productionConfig.portal.signIn.providers).toEqual(['oidc']);
  });
});

describe('a backend started with auth.environment: production', () => {
  let backend: RunningBackend | undefined;

  beforeAll(async () => {
    // The dev config still configures the guest: only the environment
    // keeps it out.
    backend = await startBackend({
      lab: false,
      overlay: {
        auth: { environment: 'production' },
        portal: { signIn: { providers: ['oidc'] } },
      },
    });
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await backend?.stop();
  });

  it('has no guest sign-in', async () => {
    for (const route of ['refresh', 'start']) {
      const res = await fetch(
        `${backend!.baseUrl}/api/auth/guest/${route}?env=production`,
        { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
      );
      expect([route, res.status]).toEqual([route, 404]);
    }
  });

  const appBuilt = fs.existsSync(
    path.join(repoRoot, 'packages', 'app', 'dist', 'index.html'),
  );
  // The config reaches the browser only through the built app (the test
  // command builds it before the end-to-end tests).
  (appBuilt ? describe : describe.skip)('with the built app', () => {
    it('sends portal.signIn.providers to the browser', async () => {
      const html = await (await fetch(`${backend!.baseUrl}/`)).text();
      const scripts = [...html.matchAll(/src="([^"]+\.js)"/g)].map(m => m[1]);
      const texts = [html];
      for (const src of scripts) {
        texts.push(await (await fetch(new URL(src, backend!.baseUrl))).text());
      }
      const served = texts.join('\n').replace(/\\"/g, '"');
      expect(served).toMatch(/"providers":\s*\[\s*"oidc"\s*\]/);
      expect(served).not.toMatch(/"providers":\s*\[\s*"guest"/);
    });
  });
});
