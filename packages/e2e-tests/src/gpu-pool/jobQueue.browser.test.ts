// A developer requests GPUs with the keyboard, submits two Kueue-managed Jobs
// to the namespace's LocalQueue (as kubectl would) and follows the second one
// on the GPU pool's Jobs page in headless Chromium: queued behind the first,
// admitted, running, finished; then releases the grant and sees the GPUs
// back in the pool. One backend boot on a fresh lab fleet.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { RunningBackend, startBackend } from '../support/backend';
import { hasChromium, launchBrowser, navigateInApp } from '../support/browser';
import { eventually } from '../support/eventually';
import { artifactsDir } from '../support/paths';
import { guestToken } from '../support/session';

const describeWithChromium = hasChromium() ? describe : describe.skip;
if (!hasChromium()) {
  // eslint-disable-next-line no-console
  console.warn('Chromium is not installed: GPU job queue browser test skipped');
}

/** A training Job as the template makes it: suspended, in the team's queue. */
function trainingJob(name: string, gpus: number, runSeconds: number) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      labels: { 'kueue.x-k8s.io/queue-name': 'portal-gpu-pool' },
      annotations: {
        'portal.cloud-smart.io/expected-duration': `PT${runSeconds}S`,
      },
    },
    spec: {
      suspend: true,
      template: {
        metadata: {
          annotations: { 'lab.cloud-smart.io/run-seconds': String(runSeconds) },
        },
        spec: {
          restartPolicy: 'Never',
          // Picks the A100 pool's flavor among the team's whole-GPU flavors
          // (Kueue skips flavors whose node labels contradict it).
          nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' },
          containers: [
            {
              name: 'train',
              image: 'registry.cloud-smart.internal/ml/train:0.1.0',
              resources: {
                requests: { cpu: '1', memory: '1Gi' },
                limits: { 'nvidia.com/gpu': String(gpus) },
              },
            },
          ],
        },
      },
    },
  };
}

describeWithChromium('GPU jobs followed through the queue in a browser', () => {
  let backend: RunningBackend;

  beforeAll(async () => {
    backend = await startBackend();
    await guestToken(backend.baseUrl, 'group:default/ml-team');
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('requests GPUs with the keyboard, then follows a job from queued to finished and sees the GPUs return', async () => {
    const lab = backend.lab!.clusters.find(c => c.name === 'lab-main')!;
    const kubectl = async (method: string, route: string, body?: object) => {
      const res = await fetch(`${lab.url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${lab.token}`,
          'content-type': 'application/json',
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (res.status >= 300) {
        throw new Error(
          `${method} ${route}: ${res.status} ${await res.text()}`,
        );
      }
      return res.json();
    };
    const browser = await launchBrowser();
    let page: Page | undefined;
    try {
      page = await browser.newPage({
        locale: 'en-US',
        viewport: { width: 1400, height: 1000 },
      });
      page.setDefaultTimeout(30_000);
      await page.goto(backend.baseUrl);
      await page.getByRole('button', { name: /enter|들어가기/i }).click();
      await page.waitForURL(url => !url.pathname.includes('sign-in'));
      await navigateInApp(page, '/gpu-pool');
      // A100 free before the request (the lab's own pods outside any grant
      // hold some), as the pool page shows it.
      const available = page.locator('[data-testid="available-lab-main-a100"]');
      await available.filter({ hasText: /^\d+$/ }).waitFor({ timeout: 60_000 });
      const before = (await available.textContent())!.trim();

      // The form by keyboard alone: focus the team, then Tab and type.
      const namespace = `ml-jobs-${Date.now().toString(36)}`;
      await page.getByTestId('team').focus();
      const keys = page.keyboard;
      await keys.press('Tab'); // pool: the first, A100
      await keys.press('Tab'); // GPUs
      await keys.press('Control+A');
      await keys.type('4');
      await keys.press('Tab'); // namespace
      await keys.type(namespace);
      await keys.press('Tab'); // CPU
      await keys.press('Tab'); // memory
      await keys.press('Tab'); // lease amount
      await keys.press('Control+A');
      await keys.type('8');
      await keys.press('Tab'); // lease unit: days → hours with the arrow key
      await keys.press('ArrowUp');
      expect(await page.getByTestId('duration-unit').inputValue()).toBe(
        'hours',
      );
      await keys.press('Tab'); // justification
      await keys.type('queue demo');
      await keys.press('Tab'); // ephemeral
      await keys.press('Tab'); // submit
      expect(
        await page.evaluate(() =>
          document.activeElement?.getAttribute('data-testid'),
        ),
      ).toBe('submit');
      await keys.press('Enter');
      await page.waitForURL(/\/gpu-pool\/requests\/[^/]+$/);
      const id = page.url().split('/').pop()!;
      await page
        .getByTestId('status')
        .locator('[data-status="active"]')
        .waitFor();

      // The first job takes the team's 4 A100 for 10 s; the second waits.
      const jobs = `/apis/batch/v1/namespaces/${namespace}/jobs`;
      await kubectl('POST', jobs, trainingJob('train-first', 4, 10));
      await eventually(
        async () =>
          (await kubectl('GET', `${jobs}/train-first`)).spec.suspend === false,
        { timeoutMs: 15_000, what: 'train-first admitted by Kueue' },
      );
      await kubectl('POST', jobs, trainingJob('train-second', 2, 3));

      await navigateInApp(page, '/gpu-pool/jobs');
      const chip = (job: string) => page!.locator(`[data-job="${job}"]`);
      await chip('train-second')
        .and(page.locator('[data-state="pending"]'))
        .waitFor();
      await chip('train-first')
        .and(page.locator('[data-state="running"]'))
        .waitFor();
      const workloadOf = async (job: string) =>
        (
          await kubectl(
            'GET',
            `/apis/kueue.x-k8s.io/v1beta2/namespaces/${namespace}/workloads`,
          )
        ).items.find((w: any) =>
          w.metadata.ownerReferences?.some((r: any) => r.name === job),
        );
      const second = await eventually(() => workloadOf('train-second'), {
        timeoutMs: 10_000,
        what: 'the Workload of train-second',
      });
      // First in its LocalQueue ("#1 …" in English, "… 1번째" in Korean).
      await page
        .getByTestId(`position-${second.metadata.name}`)
        .filter({ hasText: /(^|\D)1(\D|$)/ })
        .waitFor();
      fs.mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({
        path: path.join(artifactsDir, 'gpu-pool-jobs-queued.png'),
        fullPage: true,
      });

      // Follow the second job live (signals; no reload), recording each state.
      const seen: string[] = [];
      await eventually(
        async () => {
          const state = await chip('train-second').getAttribute('data-state', {
            timeout: 1000,
          });
          if (state && seen[seen.length - 1] !== state) seen.push(state);
          return state === 'finished';
        },
        { timeoutMs: 40_000, intervalMs: 100, what: 'train-second finished' },
      );
      const order = ['pending', 'admitted', 'running', 'finished'];
      // Every state seen, in lifecycle order; admitted can be shorter than a
      // refresh, so the Kueue conditions below prove it.
      expect(seen.map(s => order.indexOf(s))).toEqual(
        [...seen.map(s => order.indexOf(s))].sort((a, b) => a - b),
      );
      expect(seen).toEqual(expect.arrayContaining(['pending', 'finished']));
      expect(seen.includes('admitted') || seen.includes('running')).toBe(true);
      const conditions = page.getByTestId(`conditions-${second.metadata.name}`);
      await conditions.locator('summary').click();
      // The conditions table is in the row's details: attached once opened.
      await conditions
        .getByText('Admitted=True')
        .waitFor({ state: 'attached' });
      await conditions
        .getByText('Finished=True')
        .waitFor({ state: 'attached' });
      await page.screenshot({
        path: path.join(artifactsDir, 'gpu-pool-jobs-finished.png'),
        fullPage: true,
      });

      // The jobs are done: release the grant, the pool is back where it was.
      await navigateInApp(page, `/gpu-pool/requests/${id}`);
      await page.getByTestId('release').click();
      await page
        .getByTestId('status')
        .locator('[data-status="released"]')
        .waitFor();
      await navigateInApp(page, '/gpu-pool');
      await available.filter({ hasText: new RegExp(`^${before}$`) }).waitFor();
      const pods = await kubectl('GET', `/api/v1/namespaces/${namespace}/pods`);
      expect(
        pods.items
          .filter(
            (p: any) => !['Succeeded', 'Failed'].includes(p.status?.phase),
          )
          .map((p: any) => p.metadata.name),
      ).toEqual([]);
    } catch (error) {
      fs.mkdirSync(artifactsDir, { recursive: true });
      await page
        ?.screenshot({
          path: path.join(artifactsDir, 'gpu-pool-jobs-failure.png'),
          fullPage: true,
        })
        .catch(() => undefined);
      const log = backend
        .output()
        .split('\n')
        .filter(l => /gpu-pool|workloads|signals/.test(l))
        .slice(-40)
        .join('\n');
      throw new Error(`${error}\n--- backend log (gpu-pool) ---\n${log}`);
    } finally {
      await browser.close();
    }
  });
});
