// The showback page in headless Chromium against the real backend (serving
// the built app) and a lab fleet: its charts render, its totals equal the
// API's, busy hours of clusters without GPU metrics say so, and the CSV it
// downloads is the API's.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { RunningBackend, startBackend } from '../support/backend';
import { hasChromium, launchBrowser, navigateInApp } from '../support/browser';
import { eventually } from '../support/eventually';
import { artifactsDir } from '../support/paths';
import { guestToken } from '../support/session';
import { gpuPoolApi } from './support';

const describeWithChromium = hasChromium() ? describe : describe.skip;
if (!hasChromium()) {
  // eslint-disable-next-line no-console
  console.warn('Chromium is not installed: showback browser test skipped');
}

const ML = 'group:default/ml-team';

describeWithChromium('GPU showback in a browser', () => {
  let backend: RunningBackend;
  let token: string;

  beforeAll(async () => {
    backend = await startBackend();
    token = await guestToken(backend.baseUrl, ML);
  });

  afterAll(async () => {
    // E2E_BACKEND_LOG=<file> keeps the backend's output for a failed run.
    if (backend && process.env.E2E_BACKEND_LOG) {
      fs.writeFileSync(process.env.E2E_BACKEND_LOG, backend.output());
    }
    await backend?.stop();
  });

  it('shows charts and totals equal to the API, and downloads the CSV', async () => {
    const api = gpuPoolApi(backend.baseUrl, token);
    // Two leases of the ML team: one released, one still held.
    const suffix = Date.now().toString(36);
    const ids: string[] = [];
    for (const [name, pool, count] of [
      ['sb-a', 'lab-main-a100', 2],
      ['sb-b', 'lab-main-h100', 1],
    ] as const) {
      const res = await api.post('/requests', {
        team: ML,
        cluster: 'lab-main',
        namespace: `${name}-${suffix}`,
        gpus: [{ pool, count }],
        cpu: '2',
        memory: '8Gi',
        duration: 'PT2H',
        justification: 'showback browser test',
        ephemeral: false,
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    try {
      await eventually(
        async () => {
          const { status, body } = await api.get(`/requests/${ids[0]}`);
          if (body?.status === 'active') return true;
          // Thrown so that a timeout names what was last seen.
          throw new Error(
            `HTTP ${status}, status ${body?.status}${
              body?.lastError ? `, last error: ${body.lastError}` : ''
            }`,
          );
        },
        // Right after boot on a loaded 2-core runner the first reconcile
        // (Kueue objects of every team) can take a while.
        { timeoutMs: 60_000, what: 'the first lease active' },
      );
    } catch (error) {
      const log = backend
        .output()
        .split('\n')
        .filter(l => /gpu-pool|reconcil|kueue/i.test(l))
        .slice(-40)
        .join('\n');
      throw new Error(`${error}\n--- backend log (gpu-pool) ---\n${log}`);
    }
    expect((await api.post(`/requests/${ids[0]}/release`, {})).status).toBe(
      200,
    );

    const report = (await api.get('/showback?period=day')).body;
    expect(report.teams).toContain(ML);
    const granted = report.rows.reduce(
      (s: number, r: any) => s + r.grantedGpuHours,
      0,
    );
    expect(granted).toBeGreaterThan(0);
    // The backend's dev config here has no GPU metrics: shown as such.
    expect(report.rows.every((r: any) => r.busyMissing === 'no-metrics')).toBe(
      true,
    );

    const browser = await launchBrowser();
    let page: Page | undefined;
    try {
      const context = await browser.newContext({
        locale: 'en-US',
        viewport: { width: 1400, height: 1100 },
        acceptDownloads: true,
      });
      page = await context.newPage();
      page.setDefaultTimeout(60_000);
      // The app is served once the backend's app plugin has its assets.
      await eventually(
        async () => (await fetch(backend.baseUrl)).status === 200,
        { timeoutMs: 60_000, what: 'the app served' },
      );
      await page.goto(backend.baseUrl);
      await page.getByRole('button', { name: /enter|들어가기/i }).click();
      await page.waitForURL(url => !url.pathname.includes('sign-in'));
      await navigateInApp(page, '/gpu-pool/showback');

      // Both charts render as SVG with one bar group and a line.
      await page
        .locator('[data-testid="chart-hours"] .recharts-bar-rectangle')
        .first()
        .waitFor();
      await page
        .locator('[data-testid="chart-wait"] svg.recharts-surface')
        .first()
        .waitFor();
      // A single day has one point: the line is there, drawn as its dot.
      await page
        .locator('[data-testid="chart-wait"] .recharts-line')
        .first()
        .waitFor({ state: 'attached' });
      expect(
        await page
          .locator('[data-testid="chart-hours"] .recharts-legend-item')
          .count(),
      ).toBe(3);

      // Totals equal the API's sums (the page was loaded after the release,
      // so a running lease's hours may have grown a little since).
      const value = async (id: string) =>
        page!.getByTestId(`total-${id}`).getAttribute('data-value');
      const shownGranted = Number(await value('granted'));
      const later = (await api.get('/showback?period=day')).body;
      const grantedLater = later.rows.reduce(
        (s: number, r: any) => s + r.grantedGpuHours,
        0,
      );
      expect(shownGranted).toBeGreaterThanOrEqual(granted - 1e-9);
      expect(shownGranted).toBeLessThanOrEqual(grantedLater + 1e-9);
      expect(Number(await value('reclaimed'))).toBe(
        later.rows.reduce((s: number, r: any) => s + r.reclaimedGpuHours, 0),
      );
      // Busy hours are missing, never 0.
      expect(await value('busy')).toBe('');
      await page
        .getByTestId('total-busy')
        .filter({ hasText: /GPU 지표 없음|no GPU metrics/ })
        .waitFor();
      await page.getByTestId('metrics-missing').waitFor();
      // Rows of both pools in the table.
      await page.getByRole('cell', { name: 'lab-main-a100' }).first().waitFor();
      await page.getByRole('cell', { name: 'lab-main-h100' }).first().waitFor();

      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({
        path: path.join(artifactsDir, 'gpu-pool-showback.png'),
        fullPage: true,
      });

      // The CSV: the API's header and one line per row.
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 20_000 }),
        page.getByTestId('showback-csv').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        /^gpu-showback-day-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const file = await download.path();
      const csv = fs.readFileSync(file!, 'utf8').trim().split('\r\n');
      expect(csv[0]).toBe(
        'period,period_start,team,pool,cluster,granted_gpu_hours,busy_gpu_hours,busy_missing,reclaimed_gpu_hours,grants,mean_queue_wait_seconds',
      );
      expect(csv).toHaveLength(later.rows.length + 1);
      const a100 = csv.find(l => l.includes(',lab-main-a100,'))!.split(',');
      expect(a100[2]).toBe(ML);
      expect(a100[6]).toBe('');
      expect(a100[7]).toBe('no-metrics');
      expect(Number(a100[5])).toBeCloseTo(
        later.rows.find((r: any) => r.pool === 'lab-main-a100').grantedGpuHours,
        2,
      );
    } finally {
      await browser.close();
    }
  });
});
