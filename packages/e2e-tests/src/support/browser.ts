import { Browser, Page, chromium } from 'playwright-core';
import fs from 'node:fs';

/** Debian's Chromium; Playwright cannot download browsers here. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether a browser test can run on this machine. */
export function hasChromium(): boolean {
  return fs.existsSync(chromiumPath);
}

/** Headless Chromium with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Moves the signed-in app to `path` without reloading the page, the way a
 * click on a link does: a reload would have to restore the session first.
 */
export async function navigateInApp(page: Page, path: string): Promise<void> {
  await page.evaluate(target => {
    window.history.pushState({}, '', target);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}
