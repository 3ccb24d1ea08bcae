import fs from 'node:fs';
import path from 'node:path';
import { LabCluster } from '@internal/lab-cluster';
import { RunningBackend, startBackend } from '../support/backend';
import { hasChromium, launchBrowser, navigateInApp } from '../support/browser';
import { artifactsDir } from '../support/paths';
import { guestToken } from '../support/session';

const describeWithChromium = hasChromium() ? describe : describe.skip;

/** Counts whole GPUs straight from the lab cluster's objects, independently of the plugin. */
function gpuFiguresOf(cluster: LabCluster) {
  const nodes = cluster.store.list('/nodes').map(e => e.obj);
  const pods = cluster.store.list('/pods').map(e => e.obj);
  const byModel = new Map<string, { total: number; allocated: number }>();
  const modelOfNode = new Map<string, string>();
  let total = 0;
  for (const node of nodes) {
    const gpus = Number(node.status?.allocatable?.['nvidia.com/gpu'] ?? 0);
    if (gpus > 0) {
      const model = node.metadata.labels['nvidia.com/gpu.product'];
      modelOfNode.set(node.metadata.name, model);
      const m = byModel.get(model) ?? { total: 0, allocated: 0 };
      m.total += gpus;
      byModel.set(model, m);
      total += gpus;
    }
  }
  let allocated = 0;
  for (const pod of pods) {
    if (
      !pod.spec?.nodeName ||
      ['Succeeded', 'Failed'].includes(pod.status?.phase)
    ) {
      continue;
    }
    const requested = (pod.spec.containers ?? []).reduce(
      (n: number, c: any) =>
        n + Number(c.resources?.requests?.['nvidia.com/gpu'] ?? 0),
      0,
    );
    allocated += requested;
    const model = modelOfNode.get(pod.spec.nodeName);
    if (model) {
      byModel.get(model)!.allocated += requested;
    }
  }
  return { total, allocated, byModel };
}

describeWithChromium('cluster status in a browser', () => {
  let backend: RunningBackend;

  beforeAll(async () => {
    backend = await startBackend();
    // The guest's teams come from the catalog at sign-in: sign in only once
    // the organisation is loaded, or the ML team's namespaces look foreign.
    await guestToken(backend.baseUrl, 'group:default/ml-team');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('shows the lab clusters on the fleet page with the GPU figures of the fixture', async () => {
    const lab = backend.lab!;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ locale: 'ko-KR' });
      await page.goto(backend.baseUrl);
      await page.getByRole('button', { name: /enter|들어가기/i }).click();
      // The fleet page is in the sidebar.
      await page
        .getByRole('link', { name: /클러스터|Clusters/ })
        .first()
        .click();
      await page.waitForURL(/\/cluster-status$/);
      for (const { name } of lab.clusters) {
        const card = page.getByTestId(`cluster-card-${name}`);
        await card.waitFor();
        const expected = gpuFiguresOf(lab.cluster(name));
        const totals = page.getByTestId(`gpu-total-${name}`);
        // Korean by default: "할당 9 · 여유 27 / 전체 56".
        await page.waitForFunction(
          ([id, allocated, total]) =>
            document
              .querySelector(`[data-testid="${id}"]`)
              ?.textContent?.match(
                new RegExp(`할당 ${allocated} · 여유 \\d+ / 전체 ${total}$`),
              ) !== null,
          [`gpu-total-${name}`, expected.allocated, expected.total] as const,
          { timeout: 30_000 },
        );
        expect(await totals.textContent()).toContain(`전체 ${expected.total}`);
        for (const [model, figures] of expected.byModel) {
          const bar = page.getByTestId(`gpu-model-${name}-${model}`);
          expect(await bar.textContent()).toMatch(
            new RegExp(
              `${model}할당 ${figures.allocated} · 여유 \\d+ / 전체 ${figures.total}`,
            ),
          );
        }
        expect(await card.getAttribute('data-status')).toBe('reachable');
      }
      // The fixture's broken nodes are on the grid.
      await page
        .getByRole('listitem', { name: /gpu-h100-3 · 비정상/ })
        .waitFor();

      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({
        path: path.join(artifactsDir, 'cluster-status-fleet.png'),
        fullPage: true,
      });

      // The cluster page: nodes, problem pods with the scheduler's reason.
      await page
        .getByTestId('cluster-card-lab-main')
        .locator('xpath=ancestor::*[contains(@class,"MuiCard-root")]')
        .getByRole('link')
        .last()
        .click();
      await page.waitForURL(/\/cluster-status\/lab-main$/);
      await page.getByText('gpu-a100-mig-1').first().waitFor();
      // The guest is in the ML team: its problem pods are shown in detail,
      // other teams' only counted.
      const problems = page.getByRole('cell', { name: 'CrashLoopBackOff' });
      const hidden = page.getByTestId('hidden-namespaces');
      await Promise.race([problems.first().waitFor(), hidden.waitFor()]);
      const body = await page.locator('body').innerText();
      fs.writeFileSync(
        path.join(artifactsDir, 'cluster-status-cluster.txt'),
        body,
      );
      await problems.first().waitFor();
      await page
        .getByText(/Insufficient nvidia.com\/gpu/)
        .first()
        .waitFor();
      expect(body).not.toContain('payments-worker-6b8d7c5f9-q8zrt');
      await page.screenshot({
        path: path.join(artifactsDir, 'cluster-status-cluster.png'),
        fullPage: true,
      });

      // The upstream Kubernetes tab of a service reads the same clusters.
      await navigateInApp(
        page,
        '/catalog/default/component/payments-api/kubernetes',
      );
      // payments-api: two API pods and the worker stuck in ImagePullBackOff.
      await page.getByText(/^(3 pods|파드 3개)$/).waitFor({ timeout: 30_000 });
      await page.getByText('lab-main').first().waitFor();
      await page.getByText('payments-worker-6b8d7c5f9-q8zrt').first().waitFor();
    } catch (error) {
      const pages = browser.contexts().flatMap(c => c.pages());
      fs.mkdirSync(artifactsDir, { recursive: true });
      await pages[0]?.screenshot({
        path: path.join(artifactsDir, 'cluster-status-failure.png'),
        fullPage: true,
      });
      throw error;
    } finally {
      await browser.close();
    }
  });
});
