// End to end: PyTorch picked in the Train panel (Debian's torch 1.13 at /usr/bin/python3, as in CI) trains a
// BatchNorm CNN, and every dashboard fills in from its events as from a TF.js run.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS ?? '/tmp/shots/torch';
mkdirSync(SHOTS, { recursive: true });
let host: Host | undefined;
let session: BrowserSession | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

async function tab(page: Page, id: string, selector: string): Promise<void> {
  await page.click(`[data-testid=dash-tab-${id}]`);
  await page.waitForSelector(selector, { timeout: 60_000 });
}

test('PyTorch · CPU in the Train panel: the run names its engine and every dashboard fills in', { timeout: 600_000 }, async () => {
  host = await startHost({ env: { NETSMITH_PYTHON: '/usr/bin/python3' } });
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  await newFromTemplate(page, 'cnn_small');

  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  await page.click('[data-testid=tp-backend] .tp-section-head');
  const select = page.locator('[data-testid=train-backend]');
  await page.locator('[data-testid=train-backend] option[value="torch:cpu"]').waitFor({ state: 'attached', timeout: 60_000 });
  const labels = await select.locator('option').allInnerTexts();
  assert.ok(labels.includes('PyTorch · CPU'), labels.join(' | '));
  assert.ok(labels.some((l) => l.startsWith('TF.js · WebAssembly')), labels.join(' | '));
  await select.selectOption('torch:cpu');
  assert.match(await page.locator('[data-testid=train-torch-found]').innerText(), /PyTorch 1\.13.* found \(\/usr\/bin\/python3\)/);
  await page.locator('[data-testid=tp-backend]').screenshot({ path: `${SHOTS}/train-panel-backend-pytorch.png` });

  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', '2');
  await page.fill('[data-testid=train-batch]', '32');
  await page.fill('[data-testid=train-limit]', '960');
  await page.fill('[data-testid=val-limit]', '200');
  await page.fill('[data-testid=train-probe-every]', '3');
  await page.locator('[data-testid=train-start]:not([disabled])').click({ timeout: 30_000 });
  await page.locator('[data-testid=run-state]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 480_000 });
  assert.match(await page.locator('[data-testid=run-backend]').innerText(), /^PyTorch · CPU · torch 1\.13/);
  await page.screenshot({ path: `${SHOTS}/pytorch-run-curves.png` });

  await page.waitForSelector('[data-testid=chart-epoch-loss] [data-points]');
  await tab(page, 'gradients', '[data-testid=grad-bars]');
  assert.ok(Number(await page.locator('[data-testid=grad-bars]').getAttribute('data-bars')) >= 4);
  await page.screenshot({ path: `${SHOTS}/pytorch-run-gradients.png` });
  await tab(page, 'batchnorm', '[data-testid=bn-layer]');
  await page.screenshot({ path: `${SHOTS}/pytorch-run-batchnorm.png` });
  await tab(page, 'activations', '[data-testid=dash-activations] .recharts-surface');
  await tab(page, 'weights', '[data-testid=dash-weights] .recharts-surface');
  await page.screenshot({ path: `${SHOTS}/pytorch-run-activations.png` });
  await tab(page, 'evaluation', '[data-testid=confusion]');
  assert.equal(Number(await page.locator('[data-testid=confusion]').getAttribute('data-total')), 200);
  await page.screenshot({ path: `${SHOTS}/pytorch-run-evaluation.png` });
});
