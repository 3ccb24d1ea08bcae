import fs from 'node:fs';
import path from 'node:path';
import { RunningBackend, startBackend } from '../support/backend';
import { hasChromium, launchBrowser, navigateInApp } from '../support/browser';
import { eventually } from '../support/eventually';
import { artifactsDir } from '../support/paths';
import { guestToken } from '../support/session';

const describeWithChromium = hasChromium() ? describe : describe.skip;

/** The seed plus a file of entities that break the rules. */
function overlay(guest?: string) {
  return {
    ...(guest
      ? { auth: { providers: { guest: { userEntityRef: guest } } } }
      : {}),
    catalog: {
      locations: [
        { type: 'file', target: '../../catalog-info.yaml' },
        { type: 'file', target: '../../catalog/all.yaml' },
        { type: 'file', target: path.join(__dirname, 'fixtures.yaml') },
      ],
    },
    catalogCuration: {
      snapshot: {
        schedule: {
          frequency: { minutes: 30 },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 5 },
        },
      },
    },
  };
}

/** `eventually`, with the backend's log tail added to a timeout. */
async function poll<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  context: () => string = () => '',
  timeoutMs = 120_000,
): Promise<T> {
  try {
    return await eventually(fn, { timeoutMs, intervalMs: 2000, what });
  } catch (error) {
    throw new Error(`${error}\n${context()}`);
  }
}

describeWithChromium('catalog curation in a browser', () => {
  let backend: RunningBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  it('shows the platform team the problems; the example organisation passes the rules', async () => {
    backend = await startBackend({
      lab: false,
      overlay: overlay('user:default/hyunwoo.park'),
    });
    const { baseUrl } = backend;
    // The guest's group membership is resolved at sign-in: sign in once the
    // catalog holds the user in the platform team.
    const token = await guestToken(baseUrl, 'group:default/platform-team');
    const get = async (p: string) => {
      const res = await fetch(`${baseUrl}/api/catalog-curation${p}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!res.ok) {
        throw new Error(`${p}: ${res.status} ${await res.text()}`);
      }
      return res.json();
    };

    const report = await poll(
      'the broken fixture in the report',
      async () => {
        const r = await get('/report');
        const rules = r.problems
          .filter(
            (p: any) => p.entityRef === 'component:default/legacy-billing',
          )
          .map((p: any) => p.rule)
          .sort();
        return rules.length === 3 && r.entityCount > 25 ? r : undefined;
      },
      () => backend?.output().slice(-4000) ?? '',
    );
    expect(
      report.problems
        .filter((p: any) => p.entityRef === 'component:default/legacy-billing')
        .map((p: any) => p.rule)
        .sort(),
    ).toEqual(['lifecycle-known', 'owner-is-group', 'system-required']);
    // Nothing of the example organisation breaks a rule or fails.
    expect(
      report.problems.filter(
        (p: any) => p.entityRef !== 'component:default/legacy-billing',
      ),
    ).toEqual([]);
    expect(report.failed.map((f: any) => f.entityRef)).toEqual([
      'component:default/legacy-billing',
    ]);
    // The snapshot task runs 5 s after start.
    await poll('a snapshot of the counts per team', async () => {
      const h = await get('/history?days=7');
      return h.snapshots.length > 0 ? h : undefined;
    });

    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({
        locale: 'ko-KR',
        viewport: { width: 1600, height: 1200 },
      });
      await page.goto(baseUrl);
      await page.getByRole('button', { name: /enter|들어가기/i }).click();
      await page.getByText('클라우드 스마트 개발자 포털').first().waitFor();

      await navigateInApp(page, '/catalog-curation');
      await page.getByRole('heading', { name: '카탈로그 큐레이션' }).waitFor();
      const problems = page.getByTestId('curation-problems');
      await problems.getByRole('cell', { name: '시스템 없음' }).waitFor();
      await problems.getByRole('cell', { name: '알 수 없는 수명주기' }).waitFor();
      await page.getByText('처리되지 않은 엔티티').waitFor();
      await page
        .getByTestId('curation-history')
        .getByText(/platform-team|플랫폼팀/)
        .first()
        .waitFor();

      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({
        path: path.join(artifactsDir, 'catalog-curation.png'),
        fullPage: true,
      });
    } finally {
      await browser.close();
    }
  });

  it('refuses a developer the curation page but shows the quality card', async () => {
    backend = await startBackend({ lab: false, overlay: overlay() });
    const { baseUrl } = backend;
    // A member of the ML team, signed in once the catalog knows it.
    const token = await guestToken(baseUrl, 'group:default/ml-team');
    const res = await fetch(`${baseUrl}/api/catalog-curation/report`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);

    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ locale: 'ko-KR' });
      await page.goto(baseUrl);
      await page.getByRole('button', { name: /enter|들어가기/i }).click();
      await page.getByText('클라우드 스마트 개발자 포털').first().waitFor();

      await navigateInApp(page, '/catalog-curation');
      await page
        .getByText('카탈로그 큐레이션은 플랫폼팀 전용입니다.')
        .waitFor();
      expect(await page.getByTestId('curation-summary').count()).toBe(0);

      await navigateInApp(page, '/catalog/default/component/ocr-inference');
      await page.getByText('카탈로그 품질').waitFor();
      const techdocs = page.getByTestId('quality-techdocs');
      await techdocs.waitFor();
      expect(await techdocs.getAttribute('data-status')).toBe('fail');
      await techdocs
        .getByText(/backstage\.io\/techdocs-ref/)
        .first()
        .waitFor();
      expect(
        await page.getByTestId('quality-owner').getAttribute('data-status'),
      ).toBe('pass');
      await page.screenshot({
        path: path.join(artifactsDir, 'catalog-curation-quality-card.png'),
        fullPage: true,
      });
    } finally {
      await browser.close();
    }
  });
});
