import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunningBackend, startBackend } from '../support/backend';
import { hasChromium, launchBrowser, navigateInApp } from '../support/browser';
import { eventually } from '../support/eventually';
import { artifactsDir } from '../support/paths';
import { guestToken } from '../support/session';

const describeWithChromium = hasChromium() ? describe : describe.skip;
if (!hasChromium()) {
  // eslint-disable-next-line no-console
  console.warn(
    'Chromium is not installed at /usr/bin/chromium: golden path browser test skipped',
  );
}

/** Every wait of the test is bounded by this (the backend may be busy). */
const STEP_TIMEOUT_MS = 60_000;

/**
 * The guest token carries the guest's groups only once the organisation is
 * in the catalog: sign in after that, or gpu-pool refuses the ML team. The
 * template must be in the catalog too.
 */
async function waitForGuestInMlTeam(baseUrl: string) {
  const token = await guestToken(baseUrl, 'group:default/ml-team');
  await eventually(
    async () =>
      (
        await fetch(
          `${baseUrl}/api/catalog/entities/by-name/template/default/nodejs-service`,
          { headers: { authorization: `Bearer ${token}` } },
        )
      ).ok,
    {
      timeoutMs: 120_000,
      intervalMs: 1000,
      what: 'the nodejs-service template in the catalog',
    },
  );
}

describeWithChromium('golden paths in the portal', () => {
  let backend: RunningBackend;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-e2e-golden-'));
    // The published repositories go to this run's data directory, not data/.
    backend = await startBackend({
      dataDir,
      overlay: {
        goldenPaths: { git: { rootDir: path.join(dataDir, 'git') } },
      },
    });
    await waitForGuestInMlTeam(backend.baseUrl);
  });

  afterAll(async () => {
    await backend?.stop();
    if (dataDir) {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('creates a Node.js service from the form and finds it in the catalog with its owner', async () => {
    const name = `e2e-${Date.now().toString(36)}`;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({
        locale: 'en-US',
        viewport: { width: 1400, height: 1000 },
      });
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      await page.goto(backend.baseUrl);
      await page.getByRole('button', { name: /enter|들어가기/i }).click();

      await navigateInApp(page, '/create');
      await page
        .locator('.MuiCard-root')
        .filter({ hasText: 'Node.js / TypeScript service' })
        .getByRole('button', { name: /choose|선택/i })
        .click();

      // Step 1: the service.
      await page.getByLabel(/^Name/).first().fill(name);
      await page
        .getByLabel(/^Description/)
        .first()
        .fill('A service created by the browser test');
      // MyGroupsPicker: the guest is only in the ML team, so it is chosen
      // (and the field locked); pick it when the picker offers a choice.
      const owner = page.getByLabel(/^Owner/).first();
      if (!(await owner.isDisabled())) {
        await owner.click();
        await page
          .getByRole('option', { name: /AI\/ML|ml-team/ })
          .first()
          .click();
      }
      expect(await owner.inputValue()).toMatch(/AI\/ML|ml-team/);
      const system = page.getByLabel(/^System/).first();
      await system.click();
      await system.fill('document');
      await page
        .getByRole('option', { name: /Document AI|document-ai/ })
        .first()
        .click();
      await page.getByRole('button', { name: /^(next|다음)$/i }).click();

      // Step 2: cluster and repository keep their defaults (lab-main, portal).
      await page
        .getByLabel(/^Cluster/)
        .first()
        .waitFor();
      await page.getByRole('button', { name: /^(review|검토)$/i }).click();
      await page.getByRole('button', { name: /^(create|만들기)$/i }).click();

      // The task page: the output link appears when the task has finished.
      await page.waitForURL(/\/create\/tasks\//);
      const openInCatalog = page.getByRole('link', {
        name: /open in the catalog/i,
      });
      const failed = page.getByText(/Run completed with status: failed/);
      await openInCatalog.or(failed).first().waitFor();
      expect(await failed.count()).toBe(0);
      await openInCatalog.click();

      // The entity page: the catalog may need a moment to process the new
      // location; the page shows the component once it has.
      await page.waitForURL(new RegExp(`/catalog/default/component/${name}`));
      await page
        .getByRole('heading', { name: new RegExp(name) })
        .first()
        .waitFor();
      const ownerLink = page.locator(
        'a[href$="/catalog/default/group/ml-team"]',
      );
      await ownerLink.first().waitFor();
      expect(await ownerLink.first().textContent()).toMatch(/AI\/ML|ml-team/);

      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({
        path: path.join(artifactsDir, 'golden-paths-created.png'),
        fullPage: true,
      });

      // The catalog API agrees: owner and system as chosen in the form.
      const token = await page.evaluate(async () => {
        const res = await fetch('/api/auth/guest/refresh', {
          headers: { 'x-requested-with': 'XMLHttpRequest' },
        });
        return (await res.json()).backstageIdentity.token as string;
      });
      const entity = await fetch(
        `${backend.baseUrl}/api/catalog/entities/by-name/component/default/${name}`,
        { headers: { authorization: `Bearer ${token}` } },
      ).then(r => r.json());
      expect(entity.spec).toMatchObject({
        owner: 'group:default/ml-team',
        system: 'system:default/document-ai',
        type: 'service',
      });
      // What the portal published is on its own storage.
      expect(
        fs.existsSync(
          path.join(
            dataDir,
            'git',
            'published',
            name,
            'tools',
            'manifest-policy.cjs',
          ),
        ),
      ).toBe(true);
    } catch (error) {
      const pages = browser.contexts().flatMap(c => c.pages());
      fs.mkdirSync(artifactsDir, { recursive: true });
      await pages[0]?.screenshot({
        path: path.join(artifactsDir, 'golden-paths-failure.png'),
        fullPage: true,
      });
      throw error;
    } finally {
      await browser.close();
    }
  });
});
