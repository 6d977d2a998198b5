// End-to-end: a graph loads pretrained weights (a lab model folder), its backbone is frozen on the canvas (lock
// icons, trainable and frozen totals), it trains on a small image folder, and the gradient view shows the frozen
// blocks as frozen. The run starts from the weights and says so in its log.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PNG } from 'pngjs';
import { compile } from '../../src/main/engine/compile/compile';
import { writeModelFolder } from '../../src/main/engine/modelFolder';
import { templateById } from '../../src/shared/templates';
import { chooseFolderDataset, newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const work = mkdtempSync(join(tmpdir(), 'netsmith-e2e-weights-'));
let host: Host | undefined;
let session: BrowserSession | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

function png(path: string, rgb: (x: number, y: number) => [number, number, number]): void {
  const img = new PNG({ width: 32, height: 32 });
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) {
      const [r, g, b] = rgb(x, y);
      img.data.set([r, g, b, 255], (y * 32 + x) * 4);
    }
  writeFileSync(path, PNG.sync.write(img));
}

/** Two classes of 12 images each: horizontal vs vertical stripes. */
function imageFolder(): string {
  const root = join(work, 'stripes');
  for (const cls of ['horizontal', 'vertical']) {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = 0; i < 12; i++) png(join(root, cls, `${i}.png`), (x, y) => (((cls === 'horizontal' ? y : x) + i) % 8 < 4 ? [220, 40 + i * 5, 40] : [30, 30, 200 - i * 5]));
  }
  return root;
}

/** A "pretrained" small ResNet as a model folder (what `npm run cli -- import` writes). */
async function modelFolder(): Promise<string> {
  const dir = join(work, 'small-resnet-weights');
  const graph = templateById('resnet_cifar')!.build();
  const { model } = compile(graph, { seed: 9 });
  await writeModelFolder(dir, { format: 'netsmith.model', version: 1, name: 'small resnet (pretrained)', task: 'classification', classes: Array.from({ length: 10 }, (_, i) => `c${i}`), source: 'test', notes: [], createdAt: new Date().toISOString() }, graph, { input: [32, 32, 3], scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25], resize: 'stretch' }, model);
  model.dispose();
  return dir;
}

test('load weights, freeze the backbone, train on an image folder: locks, trainable count, frozen in the gradient view', { timeout: 600_000 }, async () => {
  await tf.setBackend('cpu');
  const weights = await modelFolder();
  const folder = imageFolder();
  host = await startHost();
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  await newFromTemplate(page, 'resnet_cifar');

  // Load weights… from the graph inspector (nothing selected).
  await page.keyboard.press('Escape');
  await page.click('[data-testid=graph-weights-load]');
  // Not a torchvision layout: the dialog takes a folder on the host only, and says why.
  await page.locator('[data-testid=weights-no-torchvision]').waitFor();
  await page.fill('[data-testid=weights-path]', weights);
  await page.click('[data-testid=weights-path-load]');
  await page.locator('[data-testid=graph-weights]').filter({ hasText: 'model folder small resnet (pretrained)' }).waitFor({ timeout: 30_000 });

  // Freeze everything up to the end of the first residual block.
  const block = page.locator('.block-node', { has: page.locator('.block-label', { hasText: /^layer1\.0\.relu2$/ }) });
  // The readable fit shows the top of the network: select the block without scrolling the canvas to it.
  await block.locator('.block-title').dispatchEvent('click');
  await page.locator('[data-testid=node-inspector]').waitFor();
  await page.click('[data-testid=freeze-up-to]');
  // A frozen block with weights: its inspector's toggle is on.
  await page.locator('.block-node', { has: page.locator('.block-label', { hasText: /^layer1\.0\.conv2$/ }) }).locator('.block-title').dispatchEvent('click');
  assert.ok(await page.locator('[data-testid=node-frozen]').isChecked());
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.locator('[data-testid=inspector]').screenshot({ path: join(SHOTS, 'weights-node-inspector-frozen.png') });
  }
  const locks = page.locator('[data-testid^=lock-]');
  await locks.first().waitFor();
  const lockCount = await locks.count();
  assert.ok(lockCount >= 5, `lock icons: ${lockCount}`);
  assert.equal(await page.locator('.block-node', { has: page.locator('.block-label', { hasText: /^conv1$/ }) }).getAttribute('data-frozen'), 'true');
  assert.equal(await page.locator('.block-node', { has: page.locator('.block-label', { hasText: /^fc$/ }) }).getAttribute('data-frozen'), null);
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=graph-trainable]').waitFor();
  const trainable = await page.locator('[data-testid=graph-trainable]').innerText();
  const frozen = await page.locator('[data-testid=graph-frozen]').innerText();
  assert.match(frozen, /\d.*\(\d+ blocks\)/);
  assert.ok(trainable.length > 0);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'weights-frozen-backbone.png') });
    await page.locator('[data-testid=inspector]').screenshot({ path: join(SHOTS, 'weights-inspector-totals.png') });
  }

  // Train on the folder, with a probe every step.
  await chooseFolderDataset(page, folder);
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', '1');
  await page.fill('[data-testid=train-batch]', '8');
  await page.fill('[data-testid=train-limit]', '16');
  await page.fill('[data-testid=val-limit]', '8');
  await page.fill('[data-testid=train-probe-every]', '1');
  await page.locator('[data-testid=train-start]:not([disabled])').click({ timeout: 30_000 });
  await page.locator('[data-testid=run-state]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 300_000 });

  await page.click('[data-testid=dash-tab-gradients]');
  await page.waitForSelector('[data-testid=grad-bars]', { timeout: 60_000 });
  const note = page.locator('[data-testid=grad-frozen]');
  await note.waitFor();
  // The frozen blocks with weights: the stem's conv and BatchNorm and the first block's two of each.
  assert.equal(await note.innerText(), 'Frozen (6 blocks, no gradient by design, not shown): conv1, bn1, layer1.0.conv1, layer1.0.bn1, layer1.0.conv2, layer1.0.bn2');
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'weights-gradient-flow-frozen.png') });

  // The run started from the weights: its record says where from, its log what was loaded.
  const runs = join(host.home, 'runs');
  const [id] = readdirSync(runs).filter((n) => !n.startsWith('.'));
  const record = JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8')) as { config: { initFrom?: string } };
  assert.equal(record.config.initFrom, weights);
  const log = readFileSync(join(runs, id, 'metrics.jsonl'), 'utf8');
  assert.match(log, /Initialised from model folder small resnet \(pretrained\): loaded \d+ of \d+ tensors; skipped fc \(10→2 classes: a new head\)/);
  assert.match(log, /Frozen: \d+ layers/);

  // The Runs table says where the weights came from and how much was frozen.
  await page.click('[data-testid=ws-runs]');
  const chip = page.locator('[data-testid=run-weights]').first();
  await chip.waitFor({ timeout: 30_000 });
  assert.equal(await chip.innerText(), `pretrained: small-resnet-weights · ${lockCount} frozen`);
  if (SHOTS) await page.locator('[data-testid=runs-table]').screenshot({ path: join(SHOTS, 'weights-runs-table.png') });
});
