// Request → active → release through the GPU pool page in headless Chromium,
// against the real backend (serving the built app) and a lab fleet.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { RunningBackend, startBackend } from '../support/backend';
import { hasChromium, launchBrowser, navigateInApp } from '../support/browser';
import { artifactsDir } from '../support/paths';
import { guestToken } from '../support/session';

const describeWithChromium = hasChromium() ? describe : describe.skip;
if (!hasChromium()) {
  // eslint-disable-next-line no-console
  console.warn('Chromium is not installed: GPU pool browser test skipped');
}

describeWithChromium('GPU pool in a browser', () => {
  let backend: RunningBackend;

  beforeAll(async () => {
    backend = await startBackend();
    // The app reads the guest's groups at sign-in: wait for the organisation.
    await guestToken(backend.baseUrl, 'group:default/ml-team');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('requests GPUs through the form, sees the grant become active, and releases it', async () => {
    const browser = await launchBrowser();
    let page: Page | undefined;
    try {
      page = await browser.newPage({
        locale: 'en-US',
        viewport: { width: 1400, height: 1000 },
      });
      page.setDefaultTimeout(60_000);
      await page.goto(backend.baseUrl);
      await page.getByRole('button', { name: /enter|들어가기/i }).click();
      await page.waitForURL(url => !url.pathname.includes('sign-in'));
      await navigateInApp(page, '/gpu-pool');

      // Live availability of the lab fleet: of 16 A100, finetune-bert-0
      // holds 1 outside any grant, so 15 are free.
      await page
        .locator('[data-testid="available-lab-main-a100"]')
        .filter({ hasText: /^15$/ })
        .waitFor();

      // The form's defaults: the ML team and the first pool (A100).
      const namespace = `ml-browser-${Date.now().toString(36)}`;
      await page.getByTestId('namespace').fill(namespace);
      await page.getByTestId('count').fill('2');
      await page.getByTestId('justification').fill('browser test');
      // Within the ML team's allowance of 4 and free capacity: granted at once.
      const outcome = page.getByTestId('outcome');
      await outcome.and(page.locator('[data-outcome="immediate"]')).waitFor();
      await page.getByTestId('submit').click();

      await page.waitForURL(/\/gpu-pool\/requests\/[^/]+$/);
      const id = page.url().split('/').pop()!;
      await page
        .getByTestId('status')
        .locator('[data-status="active"]')
        .waitFor({ timeout: 30_000 });
      // The timeline speaks the portal's language (stored reason: "GPUs allocated: …").
      await page.getByText(/GPU 할당됨: 2 × lab-main-a100/).waitFor();

      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({
        path: path.join(artifactsDir, 'gpu-pool-active.png'),
        fullPage: true,
      });

      await page.getByTestId('release').click();
      await page
        .getByTestId('status')
        .locator('[data-status="released"]')
        .waitFor({ timeout: 30_000 });

      // The backend agrees: released, and the pool has its GPUs back.
      const token = await guestToken(backend.baseUrl, 'group:default/ml-team');
      const res = await fetch(
        `${backend.baseUrl}/api/gpu-pool/requests/${id}`,
        {
          headers: { Authorization: `Bearer ${token}` },
        },
      );
      const request = await res.json();
      expect(request.status).toBe('released');
      expect(request.history.map((h: any) => h.to)).toEqual([
        'queued',
        'provisioning',
        'active',
        'released',
      ]);
      expect(request.requestedBy).toBe('user:default/jiwoo.kim');
    } catch (error) {
      // What the page showed and what the plugin logged are the useful part.
      fs.mkdirSync(artifactsDir, { recursive: true });
      await page
        ?.screenshot({
          path: path.join(artifactsDir, 'gpu-pool-failure.png'),
          fullPage: true,
        })
        .catch(() => undefined);
      const log = backend
        .output()
        .split('\n')
        .filter(l => /gpu-pool|signals/.test(l))
        .slice(-40)
        .join('\n');
      throw new Error(`${error}\n--- backend log (gpu-pool) ---\n${log}`);
    } finally {
      await browser.close();
    }
  });
});
