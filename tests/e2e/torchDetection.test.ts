// End to end: PyTorch picked in the Train panel for a detection network (YOLO-nano on part of shapes-det, Debian's
// torch 1.13 at /usr/bin/python3 as in CI): the run names its engine, and the detection dashboards fill in from
// its events as from a TF.js run: mAP, boxes over epochs, PR curves per class, the per-class AP table.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import { newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS ?? '/tmp/shots/torch';
mkdirSync(SHOTS, { recursive: true });
let host: Host | undefined;
let session: BrowserSession | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

test('PyTorch · CPU trains YOLO-nano from the Train panel; mAP, boxes, PR curves and the AP table fill in', { timeout: 600_000 }, async () => {
  host = await startHost({ env: { NETSMITH_PYTHON: '/usr/bin/python3' } });
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  await newFromTemplate(page, 'yolo_nano');

  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  await page.locator('[data-testid=dataset-preview]').waitFor();
  await page.click('[data-testid=tp-backend] .tp-section-head');
  await page.locator('[data-testid=train-backend] option[value="torch:cpu"]').waitFor({ state: 'attached', timeout: 60_000 });
  await page.locator('[data-testid=train-backend]').selectOption('torch:cpu');
  assert.match(await page.locator('[data-testid=train-torch-found]').innerText(), /PyTorch \d+\.\d+.* found/);

  // A short run: 2 epochs on 320 images, probes every 5 steps.
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', '2');
  await page.fill('[data-testid=train-limit]', '320');
  await page.fill('[data-testid=val-limit]', '48');
  await page.fill('[data-testid=train-probe-every]', '5');
  await page.locator('[data-testid=train-start]:not([disabled])').click({ timeout: 30_000 });
  await page.locator('[data-testid=run-state]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 480_000 });
  assert.match(await page.locator('[data-testid=run-backend]').innerText(), /^PyTorch · CPU · torch \d/);
  await page.waitForSelector('[data-testid=chart-epoch-loss] [data-points]');
  await page.screenshot({ path: `${SHOTS}/pytorch-detection-curves.png` });

  await page.click('[data-testid=dash-tab-evaluation]');
  const map50 = Number(await page.locator('[data-testid=metric-map50]').innerText());
  assert.ok(Number.isFinite(map50) && map50 >= 0 && map50 <= 1, `mAP@0.5 ${map50}`);
  const boxes = page.locator('[data-testid=boxes-over-epochs]');
  await boxes.waitFor();
  assert.equal(await boxes.getAttribute('data-epoch'), '2');
  assert.equal(await page.locator('[data-testid=boxes-sample]').count(), 8);
  assert.ok((await page.locator('[data-testid^=box-truth-]').count()) >= 8);
  const pr = page.locator('[data-testid=pr-curves]');
  const shown = Number(await pr.getAttribute('data-classes'));
  assert.ok(shown >= 4 && shown <= 6, `${shown} PR curves`);
  const table = page.locator('[data-testid=ap-table]');
  assert.equal(await table.locator('tbody tr').count(), 6);
  assert.equal((await table.locator('tfoot td').nth(1).innerText()).trim(), map50.toFixed(3));
  await page.screenshot({ path: `${SHOTS}/pytorch-detection-evaluation.png` });
  await table.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/pytorch-detection-pr-ap.png` });

  await page.click('[data-testid=dash-tab-gradients]');
  await page.waitForSelector('[data-testid=grad-bars]', { timeout: 60_000 });
  assert.ok(Number(await page.locator('[data-testid=grad-bars]').getAttribute('data-bars')) >= 4);
  await page.screenshot({ path: `${SHOTS}/pytorch-detection-gradients.png` });
});
