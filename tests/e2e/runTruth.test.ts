// End-to-end: a broken head is refused in the editor (on the node, with the fix; Start off with the reason); a
// failed run shows its error and fix where the charts would be; a reload mid-training keeps the open graph;
// gradient colours do not spill onto another network.
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { GraphBuilder } from '../../src/shared/graph/builder';
import type { GraphDoc } from '../../src/shared/graph/types';
import { serializeProject } from '../../src/renderer/core/project';
import { newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  for (const h of hosts) await h.stop().catch(() => undefined);
});

async function freshHost(): Promise<Host> {
  const h = await startHost();
  hosts.push(h);
  return h;
}

async function app(host: Host): Promise<Page> {
  const session = await openBrowser(host.url);
  sessions.push(session);
  await readyApp(session.page);
  return session.page;
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Input 28×28×1 → Dense(10) named dense_1: a classifier whose output is a 28×28×10 map. */
function denseOnImage(): GraphDoc {
  const b = new GraphBuilder({ name: 'Dense on pixels', input: [28, 28, 1] });
  b.add('core/dense', { units: 10 }, b.input(), { id: 'dense_1' });
  return b.build();
}

function writeProject(host: Host, path: string, doc: GraphDoc): void {
  const file = join(host.home, 'projects', path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, serializeProject(doc));
}

async function openProject(page: Page, path: string): Promise<void> {
  await page.click('[data-testid=ws-editor]');
  await page.click('[data-testid="tool-file.open"]');
  await page.dblclick(`[data-testid="project-${path}"]`);
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=open-dialog]', { state: 'detached' });
}

async function fillRun(page: Page, s: { epochs: number; trainLimit: number; valLimit: number; probeEvery: number }): Promise<void> {
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', String(s.epochs));
  await page.fill('[data-testid=train-batch]', '64');
  await page.fill('[data-testid=train-limit]', String(s.trainLimit));
  await page.fill('[data-testid=val-limit]', String(s.valLimit));
  await page.fill('[data-testid=train-probe-every]', String(s.probeEvery));
}

const HEAD_FIX = "Add Flatten or Global Average Pool before 'dense_1'";

test("a classifier head that is not a vector is flagged on its node with the fix, and Start is off with the reason", async () => {
  const host = await freshHost();
  writeProject(host, 'e2e/dense-on-pixels.netsmith.json', denseOnImage());
  const page = await app(host);
  await openProject(page, 'e2e/dense-on-pixels.netsmith.json');

  const problem = page.locator('[data-testid=problem][data-node-id=dense_1]');
  await problem.waitFor();
  const message = await problem.innerText();
  assert.match(message, /a classifier outputs one vector of class scores per sample, but 'dense_1' outputs 28×28×10/);
  assert.ok(message.includes(HEAD_FIX), message);
  await page.locator('[data-testid=node-issue-dense_1]').waitFor();
  assert.match((await page.locator('[data-testid=node-dense_1]').getAttribute('class')) ?? '', /has-error/);
  await shot(page, 'head-validation-editor');

  // The Training workspace: Start is disabled and says why.
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  const blocked = page.locator('[data-testid=start-blocked]');
  await blocked.waitFor();
  assert.ok((await blocked.innerText()).includes(HEAD_FIX));
  assert.equal(await page.locator('[data-testid=train-start]').isDisabled(), true);
  assert.match((await page.locator('[data-testid=train-start]').getAttribute('title')) ?? '', /Start is off/);
  await shot(page, 'head-validation-start-off');

  // "Show in the editor" goes back to the block.
  await page.click('[data-testid=start-blocked-show]');
  await page.waitForSelector('[data-testid=node-dense_1].selected');

  // Fixing the graph (Flatten before the Dense) clears the problem and turns Start on.
  const b = new GraphBuilder({ name: 'Dense on pixels', input: [28, 28, 1] });
  b.add('core/dense', { units: 10 }, b.add('reshape/flatten', {}, b.input()), { id: 'dense_1' });
  writeProject(host, 'e2e/fixed.netsmith.json', b.build());
  await openProject(page, 'e2e/fixed.netsmith.json');
  await page.waitForSelector('[data-testid=problem][data-node-id=dense_1]', { state: 'detached' });
  await page.click('[data-testid=ws-training]');
  await page.locator('[data-testid=train-start]:not([disabled])').waitFor();
  assert.equal(await page.locator('[data-testid=start-blocked]').count(), 0);
});

test('a run that fails before its first step shows its error and fix in place of the waiting charts', { timeout: 180_000 }, async () => {
  const host = await freshHost();
  const page = await app(host);
  await newFromTemplate(page, 'lenet_mnist');
  await fillRun(page, { epochs: 1, trainLimit: 640, valLimit: 64, probeEvery: 0 });
  await page.selectOption('[data-testid=train-dataset]', '__folder');
  // Inside the home folder (an allowed dataset root), so the host accepts it and the run fails on the missing folder.
  await page.fill('[data-testid=train-folder]', join(homedir(), 'netsmith-e2e-no-such-photos'));
  await page.press('[data-testid=train-folder]', 'Enter');
  await page.locator('[data-testid=train-start]:not([disabled])').click();
  await page.locator('[data-testid=run-state]').filter({ hasText: /^failed$/ }).waitFor({ timeout: 120_000 });
  const failure = page.locator('[data-testid=run-failure]');
  await failure.waitFor();
  assert.match(await page.locator('[data-testid=run-failure-message]').innerText(), /Dataset folder not found: .*netsmith-e2e-no-such-photos/);
  assert.match(await page.locator('[data-testid=run-failure-fix]').innerText(), /one subfolder per class/);
  assert.equal(await page.getByText('Waiting for the first steps…').count(), 0, 'no chart waits for steps that will never come');
  await shot(page, 'failed-run-live');
});

test("a failed run from before the head check shows the engine's error with the head fix from its graph", async () => {
  const host = await freshHost();
  // A run record as an older version left it: it started, then failed on the loss's shape check.
  const id = '20261203-120000-abcdef';
  const dir = join(host.home, 'runs', id);
  mkdirSync(dir, { recursive: true });
  const now = new Date().toISOString();
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({
      id, name: 'Dense on pixels · mnist', createdAt: now, updatedAt: now, state: 'failed', dataset: 'mnist', epoch: 0, epochs: 3, step: 0,
      error: 'target shape [32,10] must equal the prediction shape [32,28,28,10] or drop its last axis (class ids)',
      fallbackOps: [], checkpoints: {}, config: { epochs: 3, batchSize: 32 }, graph: denseOnImage(),
    }),
  );
  writeFileSync(join(dir, 'metrics.jsonl'), '');
  const page = await app(host);
  await page.click('[data-testid=ws-runs]');
  await page.locator(`[data-testid=run-row][data-run="${id}"] [data-testid=run-open]`).click();
  const failure = page.locator('[data-testid=run-failure]');
  await failure.waitFor();
  assert.match(await page.locator('[data-testid=run-failure-message]').innerText(), /target shape \[32,10\] must equal the prediction shape \[32,28,28,10\]/);
  assert.ok((await page.locator('[data-testid=run-failure-fix]').innerText()).includes(HEAD_FIX));
  assert.equal(await page.getByText('Waiting for the first steps…').count(), 0);
  await shot(page, 'failed-run-head-fix');
});

test('reloading the page mid-training brings back the same graph; gradient colours stay off another network', { timeout: 240_000 }, async () => {
  const host = await freshHost();
  const page = await app(host);
  await newFromTemplate(page, 'lenet_mnist');
  const nodes = await page.locator('.react-flow__node').count();
  assert.ok(nodes > 5);
  await fillRun(page, { epochs: 3, trainLimit: 6400, valLimit: 200, probeEvery: 2 });
  await page.locator('[data-testid=train-start]:not([disabled])').click();
  await page.locator('[data-testid=run-state]').filter({ hasText: /running/ }).waitFor({ timeout: 60_000 });

  // The run trains this graph: its gradient colours show on the canvas.
  await page.click('[data-testid=ws-editor]');
  await page.waitForSelector('[data-testid=node-conv2d_1][data-overlay]', { timeout: 60_000 });

  await page.reload();
  await readyApp(page);
  await page.click('[data-testid=ws-editor]');
  await page.waitForSelector('[data-testid=node-conv2d_1]');
  assert.equal(await page.locator('.react-flow__node').count(), nodes, 'the same graph after the reload');
  assert.match(await page.locator('[data-testid=run-status-state]').innerText(), /running|paused|queued/, 'the run goes on and is shown');
  await page.waitForSelector('[data-testid=node-conv2d_1][data-overlay]', { timeout: 60_000 });
  await shot(page, 'reload-same-graph');

  // Another network with blocks of the same ids and types: no colours from the LeNet run, no legend.
  await newFromTemplate(page, 'cnn_small');
  await page.waitForSelector('.react-flow__node');
  assert.equal(await page.locator('.react-flow__node [data-overlay]').count() + (await page.locator('[data-overlay]').count()), 0, 'no gradient colours on another network');
  assert.equal(await page.locator('[data-testid=heat-legend]').count(), 0);
  await shot(page, 'overlay-cleared-other-template');
  await page.click('[data-testid=run-status]');
  const stop = page.locator('[data-testid=run-stop]');
  if (await stop.isVisible().catch(() => false)) await stop.click();
});

test('Stop mid-epoch then Resume: the steps go on from where they stopped, the total and ETA stay right, the log says so', { timeout: 240_000 }, async () => {
  const host = await freshHost();
  const page = await app(host);
  await newFromTemplate(page, 'lenet_mnist');
  // 3200 samples / 64 = 50 steps per epoch, 100 in all.
  await fillRun(page, { epochs: 2, trainLimit: 3200, valLimit: 100, probeEvery: 0 });
  await page.locator('[data-testid=train-start]:not([disabled])').click();
  const step = async () => Number(await page.locator('[data-testid=run-step]').innerText());
  const stats = () => page.locator('.tp-run-stats').innerText();
  const end = Date.now() + 120_000;
  while ((await step().catch(() => 0)) < 60 && Date.now() < end) await page.waitForTimeout(100);
  await page.click('[data-testid=run-stop]');
  await page.locator('[data-testid=run-state]').filter({ hasText: /^stopped$/ }).waitFor({ timeout: 60_000 });
  const stopped = await step();
  assert.ok(stopped > 50 && stopped < 100, `stopped mid-epoch 2 at step ${stopped}`);
  assert.match(await stats(), new RegExp(`step ${stopped}/100`));

  await page.click('[data-testid=run-resume]');
  await page.locator('[data-testid=run-state]').filter({ hasText: /^running$/ }).waitFor({ timeout: 60_000 });
  const until = Date.now() + 60_000;
  while ((await step()) <= stopped && Date.now() < until) await page.waitForTimeout(100);
  assert.ok((await step()) > stopped, 'steps after the resume');
  const running = await stats();
  assert.match(running, /epoch 1\/2/);
  assert.match(running, /step \d+\/100/, 'the step total is kept after the resume');
  assert.match(await page.locator('[data-testid=run-resume-note]').innerText(), new RegExp(`Resumed exactly after step ${stopped} \\(epoch 2, batch ${stopped - 50} of 50\\)`));
  await shot(page, 'resumed-run');
  await page.locator('[data-testid=run-state]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 120_000 });
  assert.match(await stats(), /epoch 2\/2[\s\S]*step 100\/100/, 'it ends at the planned step, not past it');
});

test('a run that fails after some steps keeps its charts and shows the error with its fix above them', { timeout: 180_000 }, async () => {
  const host = await freshHost();
  const page = await app(host);
  await newFromTemplate(page, 'lenet_mnist');
  await fillRun(page, { epochs: 1, trainLimit: 3200, valLimit: 64, probeEvery: 0 });
  await page.selectOption('[data-testid=train-optimizer]', 'sgd').catch(() => undefined);
  await page.fill('[data-testid=train-lr]', '30');
  await page.press('[data-testid=train-lr]', 'Enter');
  await page.locator('[data-testid=train-start]:not([disabled])').click();
  await page.locator('[data-testid=run-state]').filter({ hasText: /^failed$/ }).waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=run-failure]').waitFor();
  const message = await page.locator('[data-testid=run-failure-message]').innerText();
  assert.match(message, /became NaN\/Inf at step \d+/);
  assert.match(message, /Lower the learning rate/);
  assert.equal(await page.getByText('Waiting for the first steps…').count(), 0);
  await shot(page, 'failed-run-after-steps');
});
