// End-to-end: the YOLO-nano template trained from the Train panel (a short run on part of shapes-det), then
// the detection dashboards: boxes over epochs with the epoch slider, PR curves per class, the per-class AP table.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

let host: Host | undefined;
let session: BrowserSession | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

test('YOLO-nano from the template trains in the UI; the evaluation shows boxes per epoch, PR curves and the AP table', { timeout: 420_000 }, async () => {
  host = await startHost();
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);

  await page.click('[data-testid=ws-editor]');
  await page.click('[data-testid="tool-file.newFromTemplate"]');
  await page.click('[data-testid=template-yolo_nano]');
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=templates-dialog]', { state: 'detached' });

  // The Train panel starts from the template's recommended settings.
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  await page.locator('[data-testid=dataset-preview]').waitFor();
  assert.equal(await page.locator('[data-testid=train-epochs]').inputValue(), '2');
  assert.equal(await page.locator('[data-testid=train-batch]').inputValue(), '16');

  // A short run: 2 epochs on 320 images (the full recommended run is in `npm run bench -- detect`).
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-limit]', '320');
  await page.fill('[data-testid=val-limit]', '48');
  await page.fill('[data-testid=train-probe-every]', '0');
  await page.locator('[data-testid=train-start]:not([disabled])').click({ timeout: 30_000 });
  await page.locator('[data-testid=run-state]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 300_000 });

  await page.click('[data-testid=dash-tab-evaluation]');
  const boxes = page.locator('[data-testid=boxes-over-epochs]');
  await boxes.waitFor();
  assert.equal(await boxes.getAttribute('data-epoch'), '2');
  assert.equal(await page.locator('[data-testid=boxes-sample]').count(), 8);
  // Every ground-truth box is drawn, found or missed; the captions count them.
  assert.ok((await page.locator('[data-testid^=box-truth-]').count()) >= 8);
  await page.locator('[data-testid=boxes-epoch]').fill('0');
  await page.waitForSelector('[data-testid=boxes-over-epochs][data-epoch="1"]');
  assert.equal(await page.locator('[data-testid=boxes-epoch-label]').innerText(), '1 / 2');

  // PR curves: all classes with ground truth overlaid, AP in the legend; one class when picked.
  const pr = page.locator('[data-testid=pr-curves]');
  const shown = Number(await pr.getAttribute('data-classes'));
  assert.ok(shown >= 4 && shown <= 6, `${shown} curves`);
  assert.equal(await pr.locator('.recharts-line').count(), shown);
  assert.match(await page.locator('[data-testid=pr-legend]').innerText(), /circle · AP \d\.\d{3}/);
  await page.selectOption('[data-testid=pr-class]', { index: 1 });
  await page.waitForSelector('[data-testid=pr-curves][data-classes="1"]');

  // The AP table: one row per class plus the mean, whose AP@0.5 is the reported mAP@0.5.
  const table = page.locator('[data-testid=ap-table]');
  assert.equal(await table.locator('tbody tr').count(), 6);
  const meanAp50 = (await table.locator('tfoot td').nth(1).innerText()).trim();
  assert.equal(meanAp50, Number(await page.locator('[data-testid=metric-map50]').innerText()).toFixed(3));
});
