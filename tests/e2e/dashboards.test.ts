// End-to-end tests of the Train panel and the live dashboards: real training runs on the headless host,
// driven from the UI in Chromium.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { blockByType } from '../../src/shared/blocks';
import { GraphBuilder, type Ref } from '../../src/shared/graph/builder';
import { restore } from '../../src/shared/graph/restore';
import type { GraphDoc } from '../../src/shared/graph/types';
import { templateById } from '../../src/shared/templates';
import { serializeProject } from '../../src/renderer/core/project';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

// One host per test: a run's record on the host must not leak into the next test (a run that the host still
// lists as running would be adopted by the next page).
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
async function freshHost(): Promise<Host> {
  const h = await startHost();
  hosts.push(h);
  return h;
}
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  for (const h of hosts) await h.stop().catch(() => undefined);
});

async function app(host: Host): Promise<Page> {
  const session = await openBrowser(host.url);
  sessions.push(session);
  const { page } = session;
  await readyApp(page);
  return page;
}

async function newFromTemplate(page: Page, id: string): Promise<void> {
  await page.click('[data-testid=ws-editor]');
  await page.click('[data-testid="tool-file.newFromTemplate"]');
  await page.click(`[data-testid=template-${id}]`);
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=templates-dialog]', { state: 'detached' });
}

async function openProject(page: Page, path: string): Promise<void> {
  await page.click('[data-testid=ws-editor]');
  await page.click('[data-testid="tool-file.open"]');
  await page.dblclick(`[data-testid="project-${path}"]`);
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=open-dialog]', { state: 'detached' });
}

interface RunSettings {
  epochs: number;
  trainLimit: number;
  valLimit: number;
  probeEvery: number;
  batch?: number;
}

/** Sets the Train panel's fields and presses Start; resolves when the run reports running. */
async function startTraining(page: Page, s: RunSettings): Promise<void> {
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', String(s.epochs));
  await page.fill('[data-testid=train-batch]', String(s.batch ?? 64));
  await page.fill('[data-testid=train-limit]', String(s.trainLimit));
  await page.fill('[data-testid=val-limit]', String(s.valLimit));
  await page.fill('[data-testid=train-probe-every]', String(s.probeEvery));
  try {
    await page.locator('[data-testid=train-start]:not([disabled])').click({ timeout: 20_000 });
  } catch (err) {
    await page.screenshot({ path: '/tmp/shots/e2e-start-failure.png' }).catch(() => undefined);
    throw err;
  }
  await page.locator('[data-testid=run-state]').filter({ hasText: /running|starting/ }).waitFor({ timeout: 60_000 });
}

async function waitForState(page: Page, state: string, timeout = 180_000): Promise<void> {
  await page.locator('[data-testid=run-state]').filter({ hasText: new RegExp(`^${state}$`) }).waitFor({ timeout });
}

/** Polls a condition from the test side (page functions would need the DOM types here). */
async function until(what: string, check: () => Promise<boolean>, timeout = 60_000): Promise<void> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const stepCounter = async (page: Page): Promise<number> => Number(await page.locator('[data-testid=run-step]').innerText());
const attr = async (page: Page, selector: string, name: string): Promise<number> => Number(await page.locator(selector).first().getAttribute(name));

function template(id: string): GraphDoc {
  const r = restore(templateById(id)!.build());
  assert.ok(r.ok);
  return r.graph;
}

/** Layers the gradient-flow view must show: blocks with trainable weights (BatchNorm's γ/β are shown in its own view). */
function trainableLayers(doc: GraphDoc): number {
  return doc.nodes.filter((n) => {
    const def = blockByType(n.type);
    return def?.trainable && def.family !== 'norm';
  }).length;
}

/** A 20-layer MLP of sigmoids on MNIST; with `residual`, each layer is dense → BatchNorm → sigmoid plus a skip connection. */
function sigmoidNet(residual: boolean): GraphDoc {
  const b = new GraphBuilder({ name: residual ? 'Sigmoid-20 residual BN' : 'Sigmoid-20 plain', input: [28, 28, 1] });
  let x: Ref = b.add('reshape/flatten', {}, b.input());
  x = b.add('core/dense', { units: 32 }, x);
  for (let i = 0; i < 20; i++) {
    let y = b.add('core/dense', { units: 32 }, x);
    if (residual) y = b.add('norm/batchnorm', {}, y);
    y = b.add('act/sigmoid', {}, y);
    x = residual ? b.add('merge/add', {}, [x, y]) : y;
  }
  b.add('head/classify', { classes: 10 }, x);
  return b.build();
}

test('a short run started from the Train panel: the curves grow, one gradient bar per trainable layer, the confusion matrix adds up', async () => {
  const page = await app(await freshHost());
  await newFromTemplate(page, 'lenet_mnist');
  await startTraining(page, { epochs: 2, trainLimit: 3200, valLimit: 200, probeEvery: 5 });

  // Learning curves: the per-step chart gains points while the run trains.
  await page.waitForSelector('[data-testid=step-loss-points]', { timeout: 60_000 });
  const first = await attr(page, '[data-testid=step-loss-points]', 'data-last-step');
  await until('the step chart to grow', async () => (await attr(page, '[data-testid=step-loss-points]', 'data-last-step')) > first + 5);
  const points = await attr(page, '[data-testid=step-loss-points]', 'data-points');
  assert.ok(points >= 2, `points ${points}`);
  await page.waitForSelector('[data-testid=chart-epoch-loss] [data-points]', { timeout: 120_000 });

  // Gradient flow: one bar per trainable layer, in network order.
  await page.click('[data-testid=dash-tab-gradients]');
  await page.waitForSelector('[data-testid=grad-bars]');
  const expected = trainableLayers(template('lenet_mnist'));
  assert.equal(expected, 5);
  assert.equal(await attr(page, '[data-testid=grad-bars]', 'data-bars'), expected);
  assert.equal(await page.locator('[data-testid=grad-bars] .recharts-bar-rectangle').count(), expected);

  // Evaluation: the matrix counts every validation image once; a cell lists exactly its images.
  await waitForState(page, 'completed');
  await page.click('[data-testid=dash-tab-evaluation]');
  await page.waitForSelector('[data-testid=confusion]');
  assert.equal(await attr(page, '[data-testid=confusion]', 'data-total'), 200);
  assert.equal(Number(await page.locator('[data-testid=confusion-total]').innerText()), 200);
  const cells = page.locator('[data-testid^=cm-cell-]');
  let sum = 0;
  for (const c of await cells.all()) sum += Number(await c.getAttribute('data-count'));
  assert.equal(sum, 200);
  const off = page.locator('[data-testid^=cm-cell-].off:not(.zero)');
  const cell = (await off.count()) > 0 ? off.first() : page.locator('[data-testid^=cm-cell-].diag:not(.zero)').first();
  const count = Number(await cell.getAttribute('data-count'));
  assert.ok(count >= 1 && count <= 64);
  await cell.click();
  await until('the cell images', async () => (await attr(page, '[data-testid=cell-samples]', 'data-count')) >= 0);
  assert.equal(await attr(page, '[data-testid=cell-samples]', 'data-count'), count);
  assert.equal(await page.locator('[data-testid=cell-sample]').count(), count);
});

test('a 20-layer plain sigmoid network warns of a vanishing gradient; its residual + BatchNorm twin does not', async () => {
  const host = await freshHost();
  mkdirSync(join(host.home, 'projects'), { recursive: true });
  writeFileSync(join(host.home, 'projects', 'sigmoid-plain.netsmith.json'), serializeProject(sigmoidNet(false)));
  writeFileSync(join(host.home, 'projects', 'sigmoid-residual.netsmith.json'), serializeProject(sigmoidNet(true)));
  const page = await app(host);
  const settings = { epochs: 1, trainLimit: 640, valLimit: 100, probeEvery: 2, batch: 32 };

  await openProject(page, 'sigmoid-plain.netsmith.json');
  await startTraining(page, settings);
  await waitForState(page, 'completed');
  await page.click('[data-testid=dash-tab-gradients]');
  const warning = page.locator('[data-testid=diag-vanishing]');
  await warning.waitFor();
  assert.match(await warning.innerText(), /input end is .* smaller than at the output end/);
  // The fixes from the notes, each linked to nodes of the graph.
  for (const f of ['relu', 'he-init', 'batchnorm', 'residual']) assert.equal(await warning.locator(`[data-testid=fix-${f}]`).count(), 1, f);
  assert.ok((await warning.locator('[data-testid^=node-link-]').count()) > 0);
  assert.equal(await page.locator('[data-testid=diag-none]').count(), 0);
  // The graph is coloured where the gradient vanished: the first dense layer, in the editor.
  await warning.locator('[data-testid=node-link-dense_1]').first().click();
  await page.waitForSelector('[data-testid=canvas]');
  await page.waitForSelector('[data-testid=node-dense_1][data-overlay=vanished]');
  assert.equal(await page.locator('[data-testid=node-classify_1]').getAttribute('data-overlay'), 'ok');

  await openProject(page, 'sigmoid-residual.netsmith.json');
  await startTraining(page, settings);
  await waitForState(page, 'completed');
  await page.click('[data-testid=dash-tab-gradients]');
  await page.waitForSelector('[data-testid=grad-bars]');
  await page.locator('[data-testid=diag-none]').waitFor();
  assert.equal(await page.locator('[data-testid=diag-vanishing]').count(), 0);
  assert.equal(await page.locator('[data-testid=diag-exploding]').count(), 0);
  assert.equal(await attr(page, '[data-testid=grad-bars]', 'data-bars'), 22);

  // Runs: both runs listed; picking both overlays their curves and lists the graph differences.
  await page.click('[data-testid=ws-runs]');
  await until('both runs listed', async () => (await page.locator('[data-testid=run-row]').count()) === 2);
  for (const pick of await page.locator('[data-testid=run-pick]').all()) await pick.check();
  await page.waitForSelector('[data-testid=compare-lines][data-lines="2"]');
  assert.match(await page.locator('[data-testid=graph-diff]').innerText(), /20 × .*norm\/batchnorm/);
});

test('pausing stops the step counter and resuming continues it', async () => {
  const page = await app(await freshHost());
  await newFromTemplate(page, 'lenet_mnist');
  await startTraining(page, { epochs: 20, trainLimit: 8000, valLimit: 100, probeEvery: 20 });
  await until('a few steps', async () => (await stepCounter(page)) > 5);
  await page.click('[data-testid=run-pause]');
  await waitForState(page, 'paused', 30_000);
  await page.waitForTimeout(800); // a step in flight when the pause arrived may still report
  const paused = await stepCounter(page);
  await page.waitForTimeout(2500);
  assert.equal(await stepCounter(page), paused, 'no step while paused');
  assert.equal(await page.locator('[data-testid=run-eta]').innerText(), 'paused');
  await page.click('[data-testid=run-resume]');
  await waitForState(page, 'running', 30_000);
  await until('steps after resuming', async () => (await stepCounter(page)) > paused);
  assert.ok((await stepCounter(page)) > paused);
  await page.click('[data-testid=run-stop]');
  await waitForState(page, 'stopped', 60_000);
});
