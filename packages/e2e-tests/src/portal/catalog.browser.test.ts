import fs from 'node:fs';
import path from 'node:path';
import { RunningBackend, startBackend } from '../support/backend';
import { hasChromium, launchBrowser, navigateInApp } from '../support/browser';
import { artifactsDir } from '../support/paths';
import { eventually } from '../support/eventually';
import { guestToken } from '../support/session';

const describeWithChromium = hasChromium() ? describe : describe.skip;
if (!hasChromium()) {
  // eslint-disable-next-line no-console
  console.warn(
    'Chromium is not installed at /usr/bin/chromium: browser tests skipped',
  );
}

describeWithChromium('the portal in a browser', () => {
  let backend: RunningBackend;

  beforeAll(async () => {
    // The backend serves the built app (packages/app/dist), as in production.
    backend = await startBackend();
    // The guest's teams come from the catalog at sign-in: sign in only once
    // the organisation is loaded, or "Owned" has nothing of the ML team.
    await guestToken(backend.baseUrl, 'group:default/ml-team');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('signs in as guest and lists the example organisation in the catalog', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ locale: 'ko-KR' });
      await page.goto(backend.baseUrl);

      // Guest sign-in on the embedded defaults.
      await page.getByRole('button', { name: /enter|들어가기/i }).click();

      // Korean is the default language: the home page greets in Korean.
      await page.getByText('클라우드 스마트 개발자 포털').first().waitFor();

      await navigateInApp(
        page,
        '/catalog?filters[kind]=component&filters[user]=all',
      );
      // The first visit loads the catalog's code: allow a busy machine time.
      await page.getByText('Cloud Smart 카탈로그').waitFor({ timeout: 90_000 });
      // The table shows titles: Korean with the English name alongside.
      for (const title of [
        'Payments API',
        'Petition web',
        'OCR inference',
        'Developer portal',
      ]) {
        await page
          .getByRole('link', { name: new RegExp(title) })
          .first()
          .waitFor();
      }

      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({
        path: path.join(artifactsDir, 'catalog.png'),
        fullPage: true,
      });

      // "Owned" shows what the guest's team (ML) owns and nothing of others.
      // Via the home page, so the catalog mounts again and reads its filters.
      await navigateInApp(page, '/');
      await page.getByText('클라우드 스마트 개발자 포털').first().waitFor();
      await navigateInApp(
        page,
        '/catalog?filters[kind]=component&filters[user]=owned',
      );
      // The table re-renders once the owned filter applies: wait for that.
      const ownedOnly = await eventually(
        async () =>
          (await page.getByRole('link', { name: /OCR inference/ }).count()) >
            0 &&
          (await page.getByRole('link', { name: /Payments API/ }).count()) ===
            0,
        { timeoutMs: 30_000, what: 'the owned view without other teams' },
      ).catch(() => false);
      expect(ownedOnly).toBe(true);
    } catch (error) {
      const pages = browser.contexts().flatMap(c => c.pages());
      fs.mkdirSync(artifactsDir, { recursive: true });
      await pages[0]?.screenshot({
        path: path.join(artifactsDir, 'catalog-failure.png'),
      });
      throw error;
    } finally {
      await browser.close();
    }
  });
});
