// End-to-end: with ImageNet-style weights loaded (a model folder whose preprocessing resizes the shorter side and
// centre-crops), the Train panel's augmentation preview shows a folder's non-square images cropped, as the run will
// load them, not stretched.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import { adaptToDataset } from '../../src/shared/graph/adapt';
import { templateById } from '../../src/shared/templates';
import { compile } from '../../src/main/engine/compile/compile';
import { resizeUint8 } from '../../src/main/engine/data/image/resize';
import { resizeCropUint8 } from '../../src/main/engine/data/image/resizeCrop';
import { IMAGENET_PREPROCESSING, writeModelFolder } from '../../src/main/engine/modelFolder';
import { chooseFolderDataset, newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const work = mkdtempSync(join(tmpdir(), 'netsmith-e2e-weights-crop-'));
let host: Host | undefined;
let session: BrowserSession | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

/** RGB pixels of a PNG (a file or a data URL's bytes). */
function rgbOf(bytes: Buffer): { data: Uint8Array; w: number; h: number } {
  const png = PNG.sync.read(bytes);
  const data = new Uint8Array(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) data.set(png.data.subarray(p * 4, p * 4 + 3), p * 3);
  return { data, w: png.width, h: png.height };
}

/** Two classes of wide (160×80) pictures: a red disc in the middle, blue bars at the left and right ends. */
function wideFolder(): string {
  const root = join(work, 'wide');
  for (const [k, cls] of ['left', 'right'].entries()) {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = 0; i < 6; i++) {
      const img = new PNG({ width: 160, height: 80 });
      for (let y = 0; y < 80; y++)
        for (let x = 0; x < 160; x++) {
          const disc = (x - 80) ** 2 + (y - 40) ** 2 < (25 + i) ** 2;
          const bar = x < 30 || x >= 130;
          img.data.set(disc ? [220, 40 + 20 * k, 40] : bar ? [30, 60, 210] : [235, 225 - 10 * i, 190], (y * 160 + x) * 4);
          img.data[(y * 160 + x) * 4 + 3] = 255;
        }
      writeFileSync(join(root, cls, `${i}.png`), PNG.sync.write(img));
    }
  }
  return root;
}

test("the augmentation preview shows folder images resized and centre-cropped as the loaded weights expect", { timeout: 600_000 }, async () => {
  await tf.setBackend('cpu');
  const weights = join(work, 'imagenet-style');
  const graph = adaptToDataset(templateById('resnet_cifar')!.build(), { name: 'imagenet', shape: [224, 224, 3], classes: 10 }).graph;
  const { model } = compile(graph, { seed: 3 });
  await writeModelFolder(weights, { format: 'netsmith.model', version: 1, name: 'imagenet-style resnet', task: 'classification', classes: Array.from({ length: 10 }, (_, i) => `c${i}`), source: 'test', notes: [], createdAt: new Date().toISOString() }, graph, IMAGENET_PREPROCESSING, model);
  model.dispose();
  const folder = wideFolder();
  const files = readdirSync(folder).flatMap((cls) => readdirSync(join(folder, cls)).map((f) => rgbOf(readFileSync(join(folder, cls, f)))));
  // What the run loads at 64×64: shorter side 73 (256→224 scaled), then the centre 64×64; and what stretching gave.
  const cropped = files.map((f) => Buffer.from(resizeCropUint8(f.data, f.h, f.w, 3, 73, 64, 64)).toString('base64'));
  const stretched = files.map((f) => Buffer.from(resizeUint8(f.data, f.h, f.w, 3, 64, 64)).toString('base64'));

  host = await startHost();
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  await newFromTemplate(page, 'resnet_cifar');
  await chooseFolderDataset(page, folder);

  const originalPixels = async (): Promise<string> => {
    const src = await page.locator('[data-testid=aug-preview-hflip] img[alt=original]').first().getAttribute('src');
    return Buffer.from(rgbOf(Buffer.from(src!.replace(/^data:image\/png;base64,/, ''), 'base64')).data).toString('base64');
  };
  const openPreview = async (): Promise<void> => {
    if (!(await page.locator('[data-testid=aug-hflip]').isVisible())) await page.click('[data-testid=tp-augment] .tp-section-head');
    if (!(await page.locator('[data-testid=aug-preview-hflip]').isVisible())) await page.click('[data-testid=aug-hflip] .aug-name');
    await page.locator('[data-testid=aug-preview-hflip]:not(.loading) img[alt=original]').first().waitFor({ timeout: 60_000 });
  };

  // Without weights: stretched, as before.
  await openPreview();
  assert.ok(stretched.includes(await originalPixels()), 'no weights: the preview shows the stretched image');
  assert.equal(await page.locator('[data-testid=aug-resize]').count(), 0);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.locator('[data-testid=tp-augment]').screenshot({ path: join(SHOTS, 'augment-preview-stretched-no-weights.png') });
  }

  // Load weights… from the graph inspector (nothing selected), then back to the Train panel.
  await page.click('[data-testid=ws-editor]');
  await page.keyboard.press('Escape');
  await page.click('[data-testid=graph-weights-load]');
  await page.locator('[data-testid=weights-no-torchvision]').waitFor();
  await page.fill('[data-testid=weights-path]', weights);
  await page.click('[data-testid=weights-path-load]');
  await page.locator('[data-testid=graph-weights]').filter({ hasText: 'model folder imagenet-style resnet' }).waitFor({ timeout: 30_000 });
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  await openPreview();
  // The preview refetches when the weights change (debounced): wait until it has.
  const deadline = Date.now() + 30_000;
  while (!cropped.includes(await originalPixels()) && Date.now() < deadline) await page.waitForTimeout(250);
  const shown = await originalPixels();
  assert.ok(cropped.includes(shown), 'with the weights: the preview shows the resized and centre-cropped image');
  assert.ok(!stretched.includes(shown));
  assert.equal(await page.locator('[data-testid=aug-preview-hflip] [data-testid=aug-resize]').innerText(), 'Originals as the loaded weights expect them: shorter side to 73 px (bilinear, antialiased), then a centre crop to 64×64.');
  if (SHOTS) await page.locator('[data-testid=tp-augment]').screenshot({ path: join(SHOTS, 'augment-preview-cropped-imagenet-weights.png') });
  // The dataset's per-class samples are the cropped images too, with the same note.
  await page.locator('[data-testid=dataset-resize]').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=dataset-resize]').innerText(), 'Images as the loaded weights expect them: shorter side to 73 px (bilinear, antialiased), then a centre crop to 64×64.');
  const thumbs = await Promise.all((await page.locator('[data-testid=dataset-preview] .tp-ds-thumbs img').all()).map(async (img) => (await img.getAttribute('src')) ?? ''));
  assert.ok(thumbs.length > 0);
  for (const src of thumbs) assert.ok(cropped.includes(Buffer.from(rgbOf(Buffer.from(src.replace(/^data:image\/png;base64,/, ''), 'base64')).data).toString('base64')), 'each sample is a resized and centre-cropped image');
  if (SHOTS) await page.locator('[data-testid=dataset-preview]').screenshot({ path: join(SHOTS, 'dataset-preview-cropped-imagenet-weights.png') });
});
