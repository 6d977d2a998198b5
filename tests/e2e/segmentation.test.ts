// End-to-end: the UNet template trained on shapes-seg from the Train panel (a short run), then the Evaluation
// dashboard: pixel accuracy / mIoU / Dice, the pixel confusion matrix and predicted masks over the images.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
let host: Host | undefined;
let session: BrowserSession | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

test('UNet from the template trains on shapes-seg in the UI; the evaluation shows mIoU and predicted masks', { timeout: 420_000 }, async () => {
  host = await startHost();
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);

  await page.click('[data-testid=ws-editor]');
  await page.click('[data-testid="tool-file.newFromTemplate"]');
  await page.click('[data-testid=template-unet_small]');
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=templates-dialog]', { state: 'detached' });

  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  await page.selectOption('[data-testid=train-dataset]', 'shapes-seg');
  await page.locator('[data-testid=dataset-preview]').waitFor();
  await page.fill('[data-testid=train-epochs]', '2');
  await page.fill('[data-testid=train-batch]', '16');
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-limit]', '256');
  await page.fill('[data-testid=val-limit]', '32');
  await page.fill('[data-testid=train-probe-every]', '0');
  await page.locator('[data-testid=train-start]:not([disabled])').click({ timeout: 30_000 });
  await page.locator('[data-testid=run-state]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 300_000 });

  await page.click('[data-testid=dash-tab-evaluation]');
  await page.locator('[data-testid=dash-evaluation]').waitFor();
  const miou = Number(await page.locator('[data-testid=metric-miou]').innerText());
  assert.ok(miou > 0 && miou <= 1, `mIoU ${miou}`);
  assert.match(await page.locator('[data-testid=eval-metrics]').innerText(), /pixel acc\.[\s\S]*mean Dice/i);
  // Counted in pixels: the confusion matrix totals the validation pixels (32 images of 64×64).
  assert.equal(await page.locator('[data-testid=confusion]').getAttribute('data-total'), String(32 * 64 * 64));
  const samples = page.locator('[data-testid=prediction-samples]');
  await samples.waitFor();
  assert.ok((await samples.locator('canvas.mask-overlay').count()) >= 4, 'predicted masks are drawn over the images');
  await samples.locator('img').first().waitFor();
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/seg-evaluation.png`, fullPage: true });
  }
});
