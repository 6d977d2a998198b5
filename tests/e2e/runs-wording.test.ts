// End-to-end: runs you can tell apart (default names, rename + tags, Compare lists the dataset), a diverging
// run shown truthfully (exponent numbers, "Diverging" not "Vanishing gradient"), Train panel warnings, the
// wording fixes in the editor, and layouts checked by bounding boxes (Grad-CAM dropdown, experiment tags,
// node costs, the Predict panel's room, Fit view of ResNet-50).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { RunRegistry } from '../../src/main/service/runs/registry';
import { templateById } from '../../src/shared/templates';
import { newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS ?? '/tmp/shots';
let host: Host;
let session: BrowserSession;
const ids: Record<'mnist' | 'shapes' | 'diverging', string> = { mnist: '', shapes: '', diverging: '' };

before(async () => {
  host = await startHost();
  const registry = new RunRegistry(join(host.home, 'runs'));
  const lenet = JSON.stringify(templateById('lenet_mnist')!.build());
  // A ResNet on shapes: its layer names ('layer2.0.downsample.0 · 8×8×32') are what used to push the Grad-CAM dropdown out.
  const resnet = JSON.stringify(templateById('resnet_cifar')!.build());
  const quick = { epochs: 1, batchSize: 64, trainLimit: 320, valLimit: 128, probeEvery: 2, backend: 'wasm', workers: 1 };
  for (const [key, project, dataset, config] of [
    ['mnist', lenet, 'mnist', quick],
    ['shapes', resnet, 'shapes', { ...quick, trainLimit: 128, valLimit: 64 }],
    ['diverging', lenet, 'mnist', { ...quick, epochs: 2, batchSize: 32, optimizer: { name: 'adam', lr: 100 } }],
  ] as const) {
    const run = await registry.startRun({ project, dataset, config });
    ids[key] = run.id;
    const done = await registry.wait(run.id);
    assert.notEqual(done.state, 'failed', done.error);
  }
  await registry.dispose();
  mkdirSync(SHOTS, { recursive: true });
  session = await openBrowser(host.url);
  await readyApp(session.page);
});
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

async function box(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await l.boundingBox();
  assert.ok(b, 'element is laid out');
  return b;
}
/** `inner` lies inside `outer` (1 px tolerance for borders). */
async function assertInside(inner: Locator, outer: Locator, what: string): Promise<void> {
  const i = await box(inner);
  const o = await box(outer);
  assert.ok(i.x >= o.x - 1 && i.y >= o.y - 1 && i.x + i.width <= o.x + o.width + 1 && i.y + i.height <= o.y + o.height + 1, `${what}: ${JSON.stringify(i)} not inside ${JSON.stringify(o)}`);
}
const row = (page: Page, id: string) => page.locator(`[data-testid=run-row][data-run="${id}"]`);

test('runs have distinguishable names, can be renamed and tagged, and Compare lists the dataset', { timeout: 120_000 }, async () => {
  const { page } = session;
  await page.click('[data-testid=ws-runs]');
  await page.waitForSelector('[data-testid=run-row]');
  assert.equal(await row(page, ids.mnist).locator('.run-name-text').innerText(), 'LeNet (MNIST 28×28) · mnist · Adam 1e-3');
  assert.equal(await row(page, ids.shapes).locator('.run-name-text').innerText(), 'ResNet (CIFAR, small) · shapes · Adam 1e-3');
  assert.equal(await row(page, ids.diverging).locator('.run-name-text').innerText(), 'LeNet (MNIST 28×28) · mnist · Adam 100');

  await row(page, ids.mnist).locator('[data-testid=run-expand]').click();
  const details = page.locator('[data-testid=run-details]');
  await details.waitFor();
  // Settings carry the Train panel's words, never raw config keys.
  await page.waitForSelector('[data-testid=run-details] .kv-row');
  const settings = await details.innerText();
  assert.match(settings, /Learning rate/);
  assert.match(settings, /Focal loss α/);
  assert.doesNotMatch(settings, /loss\.focalAlpha|optimizer\.lr|batchSize/);
  assert.match(settings, /Validation accuracy/);
  await page.fill('[data-testid=run-rename]', 'baseline digits');
  await page.fill('[data-testid=run-tags]', 'baseline, lr sweep');
  await page.click('[data-testid=run-label-save]');
  await row(page, ids.mnist).locator('.run-name-text', { hasText: 'baseline digits' }).waitFor();
  assert.deepEqual(await row(page, ids.mnist).locator('[data-testid=run-tag]').allInnerTexts(), ['baseline', 'lr sweep']);
  await page.screenshot({ path: join(SHOTS, 'runs-rename-tags.png') });
  // An empty name is refused with a message; nothing changes.
  await page.fill('[data-testid=run-rename]', '   ');
  await page.click('[data-testid=run-label-save]');
  assert.match(await page.locator('[data-testid=run-label-error]').innerText(), /needs a name/);

  // Written to run.json: a reload shows it.
  await page.reload();
  await readyApp(page);
  await page.click('[data-testid=ws-runs]');
  await page.waitForSelector('[data-testid=run-row]');
  assert.equal(await row(page, ids.mnist).locator('.run-name-text').innerText(), 'baseline digits');
  assert.deepEqual(await row(page, ids.mnist).locator('[data-testid=run-tag]').allInnerTexts(), ['baseline', 'lr sweep']);

  await row(page, ids.mnist).locator('[data-testid=run-pick]').check();
  await row(page, ids.shapes).locator('[data-testid=run-pick]').check();
  const diff = page.locator('[data-testid=compare-config]');
  await diff.locator('[data-testid=diff-row]').first().waitFor();
  const dataset = diff.locator('[data-testid=diff-row][data-path=dataset]');
  assert.match(await dataset.innerText(), /Dataset\s+mnist\s+shapes/);
  assert.doesNotMatch(await diff.innerText(), /Same (dataset and )?settings/);
  await page.screenshot({ path: join(SHOTS, 'runs-compare-dataset.png') });
});

test('a diverging run: exponent numbers, readable axes, "Diverging" instead of "Vanishing gradient"', { timeout: 60_000 }, async () => {
  const { page } = session;
  await page.click('[data-testid=ws-runs]');
  await row(page, ids.diverging).locator('[data-testid=run-open]').click();
  await page.waitForSelector('[data-testid=dash-head]');
  await page.waitForSelector('[data-testid=diag-chip-exploding]');
  assert.match(await page.locator('[data-testid=diag-chip-exploding]').innerText(), /Diverging: exploding loss/);
  assert.equal(await page.locator('[data-testid=diag-chip-vanishing]').count(), 0);
  assert.equal(await page.locator('[data-testid=diag-chip-underfitting]').count(), 0);
  await page.waitForSelector('[data-testid=diverging-flag]');
  // No 20-digit "k" numbers anywhere on the dashboards.
  const text = await page.locator('[data-testid=dashboards]').innerText();
  assert.doesNotMatch(text, /\d{7,}k/);
  // The y-axis tick labels of the loss chart fit inside its card.
  const card = page.locator('[data-testid=chart-epoch-loss]');
  for (const tick of await card.locator('.recharts-yAxis .recharts-cartesian-axis-tick-value').all()) await assertInside(tick, card, 'loss tick');
  await page.screenshot({ path: join(SHOTS, 'dashboard-diverging.png') });
});

test('the Train panel warns on extreme settings without blocking Start', { timeout: 60_000 }, async () => {
  const { page } = session;
  // A network that can train (an empty document keeps Start off for its own reason: no output).
  await newFromTemplate(page, 'lenet_mnist');
  await page.click('[data-testid=ws-training]');
  const lr = page.locator('[data-testid=train-lr]');
  await lr.fill('100');
  await lr.press('Tab');
  await page.waitForSelector('[data-testid=train-warnings]');
  assert.match(await page.locator('[data-testid="warn-optimizer.lr"]').innerText(), /learning rate of 100 is extreme/);
  assert.match(await page.locator('[data-testid=train-warnings]').innerText(), /1 unusual setting/);
  assert.equal(await page.locator('[data-testid=train-start]').isEnabled(), true);
  await page.screenshot({ path: join(SHOTS, 'train-warnings.png') });
  await lr.fill('0.001');
  await lr.press('Tab');
  await page.waitForSelector('[data-testid=train-warnings]', { state: 'detached' });
});

test('Predict has room under the runs table and the Grad-CAM layer dropdown stays in its card', { timeout: 90_000 }, async () => {
  const { page } = session;
  await page.setViewportSize({ width: 1100, height: 800 });
  try {
    await predictChecks(page);
  } finally {
    await page.setViewportSize({ width: 1280, height: 800 });
  }
});

async function predictChecks(page: Page): Promise<void> {
  await page.click('[data-testid=ws-runs]');
  await row(page, ids.shapes).locator('[data-testid=run-predict]').click();
  await page.waitForSelector('[data-testid=predict-sample]');
  await page.locator('[data-testid=predict-sample]').first().click();
  await page.waitForSelector('[data-testid=gradcam-layer]');
  // The longest layer name is picked: the dropdown still stays in its card.
  const longest = await page.locator('[data-testid=gradcam-layer] option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value).sort((a, b) => b.length - a.length)[0]);
  await page.selectOption('[data-testid=gradcam-layer]', longest);
  await page.waitForFunction((name) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[data-testid=predict-gradcam]')?.textContent?.includes(`at ${name}`), longest, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => (globalThis as unknown as { scrollX: number }).scrollX), 0, 'the page is not scrolled sideways');
  const compare = await box(page.locator('[data-testid=runs-compare]'));
  assert.ok(compare.height >= 0.6 * 800, `the Predict area is ${compare.height}px of 800`);
  await assertInside(page.locator('[data-testid=gradcam-layer]'), page.locator('[data-testid=predict-gradcam]'), 'Grad-CAM layer dropdown');
  await assertInside(page.locator('[data-testid=gradcam-class]'), page.locator('[data-testid=predict-gradcam]'), 'Grad-CAM class dropdown');
  await page.screenshot({ path: join(SHOTS, 'predict-gradcam.png') });
}

test('experiment tags are shown whole inside their cards', { timeout: 60_000 }, async () => {
  const { page } = session;
  await page.click('[data-testid=ws-experiments]');
  await page.waitForSelector('[data-testid=exp-card]');
  const cards = await page.locator('[data-testid=exp-card]').all();
  assert.ok(cards.length > 3);
  for (const card of cards) {
    const tag = card.locator('.pill.concept');
    assert.ok(await tag.evaluate((el) => (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth <= (el as unknown as { clientWidth: number }).clientWidth + 1), `tag '${await tag.innerText()}' is cut`);
    await assertInside(tag, card, 'tag');
  }
  await page.screenshot({ path: join(SHOTS, 'experiments-tags.png') });
});

test('editor wording: a lone Input, Max Pool stride and pad, doc cards, Save in the discard dialog', { timeout: 60_000 }, async () => {
  const { page } = session;
  await page.click('[data-testid=ws-editor]');
  await page.click('[data-testid="tool-file.newFromTemplate"]');
  await page.click('[data-testid=template-blank]');
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=problem]');
  assert.match(await page.locator('[data-testid=problems]').innerText(), /only an Input: add layers after it/);
  assert.doesNotMatch(await page.locator('[data-testid=problems]').innerText(), /every block feeds another one/);
  await page.screenshot({ path: join(SHOTS, 'editor-lone-input.png') });

  await page.hover('[data-testid="palette-block-pool/maxpool"]');
  await page.waitForSelector('[data-testid=palette-doc]');
  const notes = await page.locator('[data-testid=palette-doc] [data-testid=doc-notes]').innerText();
  assert.match(notes, /From the study notes: Model index tables and Q&A list · CNN, detection and Transformer Q&A/);
  assert.doesNotMatch(notes, /\b00\d\b/);
  await page.screenshot({ path: join(SHOTS, 'doc-card-notes.png') });
  await page.click('[data-testid="palette-block-pool/maxpool"]');
  const pool = page.locator('.block-node.fam-pool').first();
  await pool.waitFor();
  assert.match(await pool.locator('.block-params').innerText(), /stride 2 \(= size\)/);
  await pool.click();
  assert.equal(await page.locator('[data-testid=param-stride-effective]').innerText(), '→ 2 (= size)');
  assert.match(await page.locator('[data-testid=param-pad-effective]').innerText(), /^same/);
  await page.screenshot({ path: join(SHOTS, 'maxpool-inspector.png') });

  await page.click('[data-testid="tool-file.newFromTemplate"]');
  await page.click('[data-testid=template-blank]');
  await page.waitForSelector('[data-testid=confirm-dialog]');
  assert.equal(await page.locator('[data-testid=confirm-alternative]').innerText(), 'Save as…');
  await page.screenshot({ path: join(SHOTS, 'discard-dialog-save.png') });
  await page.click('[data-testid=confirm-alternative]');
  await page.waitForSelector('[data-testid=saveas-confirm]');
  await page.keyboard.press('Escape');
});

test('Fit view shows ResNet-50 readably, and node costs are not cut', { timeout: 60_000 }, async () => {
  const { page } = session;
  await newFromTemplate(page, 'resnet50');
  await page.click('[data-testid="tool-view.fit"]');
  await page.waitForTimeout(600);
  const node = page.locator('[data-testid=node-conv2d_1]');
  const b = await box(node);
  // One column of 95 blocks would draw each node ~15 px wide; folded into columns they stay legible.
  assert.ok(b.width >= 45, `a node is ${b.width.toFixed(0)} px wide after Fit view`);
  await page.screenshot({ path: join(SHOTS, 'editor-resnet50-fit.png') });
  // Every node's parameter and FLOP counts are inside the node (they wrap rather than being cut).
  for (const id of ['conv2d_1', 'conv2d_2', 'classify_1']) {
    const n = page.locator(`[data-testid="node-${id}"]`);
    if (!(await n.count())) continue;
    const cost = n.locator('.block-cost');
    assert.ok(await cost.evaluate((el) => (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth <= (el as unknown as { clientWidth: number }).clientWidth + 1), `${id}: costs are cut`);
    await assertInside(cost, n, `${id} costs`);
  }
  // Close up: the costs sit clear of the gradient band on the right edge.
  const c = await box(page.locator('[data-testid=node-conv2d_1]'));
  await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2);
  for (let i = 0; i < 6; i++) {
    await page.mouse.wheel(0, -200);
    await page.waitForTimeout(80);
  }
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS, 'node-costs-closeup.png') });
});
