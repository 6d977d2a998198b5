// End-to-end: learning-rate multipliers from the inspector. A bad value (0) is refused with the hint to freeze; a
// block set to ×0.1 shows a badge; "up to here" gives every block before it the same multiplier; a group takes
// one for all its blocks; a short run records the multipliers and the Runs table shows them.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
let host: Host | undefined;
let session: BrowserSession | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

test('learning-rate multiplier: inspector field, badge, up to here, run record and Runs table', { timeout: 600_000 }, async () => {
  host = await startHost();
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  await newFromTemplate(page, 'lenet_mnist');
  const node = (label: string) => page.locator('.block-node', { has: page.locator('.block-label', { hasText: new RegExp(`^${label}$`) }) });
  const select = async (label: string) => {
    await node(label).locator('.block-title').dispatchEvent('click');
    await page.locator('[data-testid=node-inspector]').waitFor();
  };

  // conv1: 0 is freezing, not a multiplier.
  await select('conv1');
  const field = page.locator('[data-testid=node-lr-mult]');
  assert.equal(await field.inputValue(), '1');
  await field.fill('0');
  await page.locator('[data-testid=node-inspector] .field-error').filter({ hasText: 'freezing: use Freeze' }).waitFor();
  assert.equal(await node('conv1').locator('[data-testid^=lr-mult-]').count(), 0, 'no badge for a refused value');
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.locator('[data-testid=inspector]').screenshot({ path: join(SHOTS, 'lr-mult-inspector-refused-zero.png') });
  }

  // fc1 at ×0.1, then "up to here": conv1, conv2 and fc1 train at ×0.1; the blocks after it at ×1.
  await page.keyboard.press('Escape');
  await select('fc1');
  await page.locator('[data-testid=node-lr-mult]').fill('0.1');
  await node('fc1').locator('[data-testid^=lr-mult-]').filter({ hasText: '×0.1 lr' }).waitFor();
  await page.locator('[data-testid=lr-mult-up-to]').filter({ hasText: 'lr ×0.1 up to here' }).click();
  for (const label of ['conv1', 'conv2', 'fc1']) await node(label).locator('[data-testid^=lr-mult-]').filter({ hasText: '×0.1 lr' }).waitFor();
  for (const label of ['fc2', 'fc3']) assert.equal(await node(label).locator('[data-testid^=lr-mult-]').count(), 0, `${label} keeps the run's rate`);
  // The head learns fast: ×2.
  await select('fc3');
  await page.locator('[data-testid=node-lr-mult]').fill('2');
  await node('fc3').locator('[data-testid^=lr-mult-]').filter({ hasText: '×2 lr' }).waitFor();
  if (SHOTS) {
    await page.screenshot({ path: join(SHOTS, 'lr-mult-canvas-badges.png') });
    await select('conv2');
    await page.locator('[data-testid=inspector]').screenshot({ path: join(SHOTS, 'lr-mult-inspector-field.png') });
  }

  // A short run on MNIST records them.
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  await page.selectOption('[data-testid=train-dataset]', 'mnist');
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', '1');
  await page.fill('[data-testid=train-batch]', '16');
  await page.fill('[data-testid=train-limit]', '32');
  await page.fill('[data-testid=val-limit]', '16');
  await page.locator('[data-testid=train-start]:not([disabled])').click({ timeout: 30_000 });
  await page.locator('[data-testid=run-state]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 300_000 });

  const runs = join(host.home, 'runs');
  const [id] = readdirSync(runs).filter((n) => !n.startsWith('.'));
  const record = JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8')) as { graph: { nodes: { label?: string; lrMultiplier?: number }[] } };
  assert.deepEqual(record.graph.nodes.filter((n) => n.lrMultiplier).map((n) => [n.label, n.lrMultiplier]), [['conv1', 0.1], ['conv2', 0.1], ['fc1', 0.1], ['fc3', 2]]);
  assert.match(readFileSync(join(runs, id, 'metrics.jsonl'), 'utf8'), /Learning-rate multipliers: lr ×0\.1 on 3 blocks, ×2 on 1 block/);

  await page.click('[data-testid=ws-runs]');
  const chip = page.locator('[data-testid=run-lr-mult]').first();
  await chip.waitFor({ timeout: 30_000 });
  assert.equal(await chip.innerText(), 'lr ×0.1 on 3 blocks, ×2 on 1 block');
  if (SHOTS) await page.locator('[data-testid=runs-table]').screenshot({ path: join(SHOTS, 'lr-mult-runs-table.png') });
});
