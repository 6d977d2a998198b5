// End-to-end: the Predict panel of the Runs workspace on a real (tiny) trained run: upload a PNG, see the
// top-5 classes and the Grad-CAM heatmap, switch class and layers, pick a validation image, a bad file.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { RunRegistry } from '../../src/main/service/runs/registry';
import { templateById } from '../../src/shared/templates';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS ?? '/tmp/shots';
let host: Host;
let session: BrowserSession;
let runId: string;

before(async () => {
  host = await startHost();
  // A LeNet trained for one short epoch, written where the host keeps its runs.
  const registry = new RunRegistry(join(host.home, 'runs'));
  const run = await registry.startRun({ project: JSON.stringify(templateById('lenet_mnist')!.build()), dataset: 'mnist', config: { epochs: 1, batchSize: 64, trainLimit: 640, valLimit: 256, probeEvery: 50, backend: 'wasm' } });
  runId = run.id;
  const done = await registry.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  await registry.dispose();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

async function app(): Promise<Page> {
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  return page;
}

/** A white 3 on black, 40×52 (not the network's 28×28). */
function digitPng(): Buffer {
  const p = new PNG({ width: 40, height: 52 });
  for (let y = 0; y < 52; y++)
    for (let x = 0; x < 40; x++) {
      const on = x >= 10 && x <= 30 && ((y >= 8 && y <= 12) || (y >= 24 && y <= 28) || (y >= 40 && y <= 44) || (x >= 26 && y >= 8 && y <= 44));
      const o = (y * 40 + x) * 4;
      p.data[o] = p.data[o + 1] = p.data[o + 2] = on ? 255 : 0;
      p.data[o + 3] = 255;
    }
  return PNG.sync.write(p);
}

test('Predict panel: upload a PNG, top-5 and Grad-CAM; class, layers, a validation image, a bad file', { timeout: 180_000 }, async () => {
  const page = await app();
  await page.click('[data-testid=ws-runs]');
  const row = page.locator(`[data-testid=run-row][data-run="${runId}"]`);
  await row.locator('[data-testid=run-predict]').click();
  await page.waitForSelector('[data-testid=predict-panel]');
  await page.waitForSelector('[data-testid=predict-sample]');
  assert.equal(await page.locator('[data-testid=predict-sample]').count(), 16);

  const file = join(host.home, 'three.png');
  writeFileSync(file, digitPng());
  await page.setInputFiles('[data-testid=predict-file]', file);
  await page.waitForSelector('[data-testid=predict-row]');
  const rows = page.locator('[data-testid=predict-row]');
  assert.equal(await rows.count(), 5);
  const texts = await rows.allInnerTexts();
  const probs = texts.map((t) => Number(/([\d.]+)%/.exec(t)![1]));
  for (let i = 1; i < 5; i++) assert.ok(probs[i - 1] >= probs[i], `top-5 sorted: ${probs.join(', ')}`);
  assert.match(await page.locator('[data-testid=predict-result]').innerText(), /three\.png · 40×52 → 28×28×1/);
  const heat = page.locator('[data-testid=gradcam-image]');
  await heat.waitFor();
  assert.match((await heat.getAttribute('src'))!, /^data:image\/png;base64,/);
  assert.equal(await heat.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), 224);
  assert.match(await page.locator('[data-testid=predict-gradcam]').innerText(), /at pool2 \(5×5\)/);
  await page.waitForSelector('[data-testid=features-image]');
  assert.match(await page.locator('[data-testid=predict-features]').innerText(), /conv1: 6 of 6 channels, 28×28/);
  await page.screenshot({ path: join(SHOTS, 'predict-upload.png') });

  // Opacity is local; class and layers ask the host again.
  await page.locator('[data-testid=gradcam-opacity]').fill('0.8');
  assert.match((await heat.getAttribute('style'))!, /opacity: 0\.8/);
  await page.selectOption('[data-testid=gradcam-class]', '7');
  await page.locator('[data-testid=predict-gradcam]', { hasText: /evidence for '7'/ }).waitFor();
  await page.selectOption('[data-testid=gradcam-layer]', 'act2');
  await page.locator('[data-testid=predict-gradcam]', { hasText: /at act2 \(10×10\)/ }).waitFor();
  await page.selectOption('[data-testid=features-layer]', 'conv2');
  await page.locator('[data-testid=predict-features]', { hasText: /conv2: 16 of 16 channels, 10×10/ }).waitFor();

  // A validation image: its true class is shown.
  await page.locator('[data-testid=predict-sample]').nth(3).click();
  await page.locator('[data-testid=predict-result]', { hasText: /validation #3 · true: \d/ }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'predict-sample.png') });

  // Not an image: a clear message, no stale result.
  const bad = join(host.home, 'notes.png');
  writeFileSync(bad, 'these are not pixels');
  await page.setInputFiles('[data-testid=predict-file]', bad);
  await page.waitForSelector('[data-testid=predict-error]');
  assert.match(await page.locator('[data-testid=predict-error]').innerText(), /'notes.png' is not a PNG or JPEG image/);
  assert.equal(await page.locator('[data-testid=predict-row]').count(), 0);
});
