// End-to-end tests of the editor through the real headless host (`serve`) and Debian's Chromium.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { formatShape } from '../../src/shared/blocks/shapeMath';
import { analyze } from '../../src/shared/graph/analyze';
import { restore } from '../../src/shared/graph/restore';
import type { GraphDoc } from '../../src/shared/graph/types';
import { templateById } from '../../src/shared/templates';
import { formatCount } from '../../src/renderer/core/format';
import { setParam } from '../../src/renderer/core/graphOps';
import { createGroup, setRepeat } from '../../src/renderer/core/groups';
import { openBrowser, startHost, type BrowserSession, type Host } from './harness';

let host: Host;
const sessions: BrowserSession[] = [];
before(async () => {
  host = await startHost();
});
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  await host?.stop();
});

/** A fresh page on the editor, ready (recovery offer answered). */
async function editor(url = host.url): Promise<Page> {
  const session = await openBrowser(url);
  sessions.push(session);
  const { page } = session;
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('dialog', (d) => void d.accept());
  await ready(page);
  return page;
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid=app][data-ready=true]');
  const recover = page.locator('[data-testid=recover-discard]');
  if (await recover.isVisible()) await recover.click();
}

/** The template as the editor loads it (through restore). */
function templateDoc(id: string): GraphDoc {
  const r = restore(templateById(id)!.build());
  assert.ok(r.ok);
  return r.graph;
}

async function newFromTemplate(page: Page, id: string): Promise<void> {
  await page.click('[data-testid="tool-file.newFromTemplate"]');
  await page.click(`[data-testid=template-${id}]`);
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=templates-dialog]', { state: 'detached' });
}

const text = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]`).innerText();

async function dragBetween(page: Page, from: string, to: string): Promise<void> {
  const a = (await page.locator(from).boundingBox())!;
  const b = (await page.locator(to).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2 + 20, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function setField(page: Page, testId: string, value: string): Promise<void> {
  const f = page.locator(`[data-testid="${testId}"]`);
  await f.fill(value);
  await f.press('Enter'); // commits and leaves the field
}

/** Waits until the status bar shows this project path, saved (no dirty marker). */
async function pathIs(page: Page, path: string): Promise<void> {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page.locator('[data-testid=status-path]').filter({ hasText: new RegExp(`^${escaped}$`) }).waitFor();
}

async function selectNode(page: Page, id: string, add = false): Promise<void> {
  await page.locator(`[data-testid="node-${id}"] .block-title`).click({ modifiers: add ? ['Control'] : [] });
}

test('a project from a template shows its totals', async () => {
  const page = await editor();
  await newFromTemplate(page, 'resnet_cifar');
  const t = analyze(templateDoc('resnet_cifar')).totals;
  assert.equal(await text(page, 'total-params'), formatCount(t.params));
  assert.match(await text(page, 'total-flops'), /MFLOPs/);
  assert.equal(await text(page, 'error-count'), '0');
  assert.match(await page.title(), /ResNet/);
  assert.equal(await page.locator('.block-node').count(), templateDoc('resnet_cifar').nodes.length);
});

test('drag a Conv2D from the palette, connect it, see the edge shape', async () => {
  const page = await editor();
  const canvas = (await page.locator('[data-testid=canvas]').boundingBox())!;
  const input = (await page.locator('[data-testid=node-input_1]').boundingBox())!;
  await page.dragAndDrop('[data-testid="palette-block-core/conv2d"]', '[data-testid=canvas]', {
    targetPosition: { x: input.x - canvas.x + input.width / 2, y: input.y - canvas.y + input.height + 120 },
  });
  await page.waitForSelector('[data-testid=node-conv2d_1]');
  // Unconnected, it has no shape and an error.
  assert.equal(await page.getAttribute('[data-testid=node-conv2d_1]', 'data-error'), 'true');
  await dragBetween(page, '[data-testid=handle-input_1-out-out]', '[data-testid=handle-conv2d_1-in-in]');
  await page.waitForSelector('[data-testid^=edge-label-]');
  assert.equal(await page.locator('[data-testid^=edge-label-]').first().innerText(), '28×28×1');
  assert.equal(await text(page, 'shape-conv2d_1'), '28×28×32');
  // Connected, its one problem is the classifier's head: a feature map is not a vector of class scores.
  const problems = await page.locator('[data-testid=problem][data-node-id=conv2d_1]').allInnerTexts();
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /Add Global Average Pool \(or Flatten\) and a Classify head after 'conv2d_1'/);
});

test('changing the stride in the inspector updates the shapes downstream; undo and redo', async () => {
  const page = await editor();
  await newFromTemplate(page, 'resnet_cifar');
  const doc = templateDoc('resnet_cifar');
  const before = analyze(doc).nodes;
  const after = analyze(setParam(doc, 'conv2d_1', 'stride', 2)).nodes;
  await selectNode(page, 'conv2d_1');
  await page.waitForSelector('[data-testid=node-inspector]');
  await setField(page, 'param-stride', '2');
  assert.equal(await text(page, 'shape-conv2d_1'), formatShape(after.conv2d_1.output!));
  assert.equal(await text(page, 'shape-relu_1'), formatShape(after.relu_1.output!));
  assert.equal(await text(page, 'shape-global_avgpool_1'), formatShape(after.global_avgpool_1.output!));
  assert.notEqual(formatShape(after.relu_1.output!), formatShape(before.relu_1.output!));
  assert.ok(await page.locator('[data-testid=dirty-marker]').isVisible());

  await page.locator('[data-testid=canvas] .react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+Z');
  assert.equal(await text(page, 'shape-relu_1'), formatShape(before.relu_1.output!));
  assert.equal(await page.locator('[data-testid=dirty-marker]').count(), 0, 'back to the saved state');
  await page.keyboard.press('Control+Shift+Z');
  assert.equal(await text(page, 'shape-relu_1'), formatShape(after.relu_1.output!));
});

test('a shape mismatch shows on the right node and in the problems list; clicking it selects the node', async () => {
  const page = await editor();
  await newFromTemplate(page, 'resnet_cifar');
  // Stride 2 on the residual branch only: the Add then gets 16×16 and 32×32 inputs.
  const broken = analyze(setParam(templateDoc('resnet_cifar'), 'conv2d_2', 'stride', 2));
  const bad = broken.issues.find((i) => i.severity === 'error' && i.code === 'shape')!;
  assert.equal(bad.nodeId, 'add_1');
  await selectNode(page, 'conv2d_2');
  await setField(page, 'param-stride', '2');
  await page.waitForSelector('[data-testid=node-add_1][data-error=true]');
  assert.equal(await page.getAttribute('[data-testid=node-conv2d_2]', 'data-error'), null, 'the conv itself is fine');
  assert.equal(await text(page, 'error-count'), String(broken.issues.filter((i) => i.severity === 'error').length));
  const problem = page.locator('[data-testid=problem][data-node-id=add_1]');
  assert.match(await problem.innerText(), /cannot add/);
  assert.ok((await page.locator('.shape-edge.error').count()) >= 2, 'the edges into the Add are red');
  await page.locator('[data-testid=canvas] .react-flow__pane').click({ position: { x: 20, y: 20 } });
  await problem.click();
  await page.waitForSelector('[data-testid=node-add_1].selected');
  assert.match(await page.locator('[data-testid=node-inspector] .inspector-name').innerText(), /Add/);
});

test('group blocks, repeat ×3: totals update', async () => {
  const page = await editor();
  await newFromTemplate(page, 'resnet_cifar');
  const doc = templateDoc('resnet_cifar');
  const g = createGroup(doc, ['batchnorm_1', 'relu_1'], 'BN-ReLU');
  assert.ok(g.ok);
  const expected = analyze(setRepeat(g.doc, g.id, 3)).totals.params;
  assert.notEqual(expected, analyze(doc).totals.params);
  await selectNode(page, 'batchnorm_1');
  await selectNode(page, 'relu_1', true);
  await page.waitForSelector('[data-testid=multi-inspector]');
  await page.keyboard.press('Control+G');
  await page.fill('[data-testid=prompt-input]', 'BN-ReLU');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=group-inspector]');
  await setField(page, 'group-repeat', '3');
  assert.equal(await text(page, 'total-params'), formatCount(expected));
  assert.equal(await page.locator('.block-copies').count(), 2, 'both blocks show ×3');
  // Collapse: one node with the name and ×3.
  await page.click('[data-testid=group-collapse]');
  const collapsed = page.locator('[data-testid^=group-node-]');
  await collapsed.waitFor();
  assert.match(await collapsed.innerText(), /BN-ReLU[\s\S]*×3/);
  assert.equal(await text(page, 'total-params'), formatCount(expected));
});

test('save, reload the page, reopen: the same graph', async () => {
  const page = await editor();
  await newFromTemplate(page, 'lenet_mnist');
  await selectNode(page, 'conv2d_1');
  await setField(page, 'param-filters', '8');
  const params = await text(page, 'total-params');
  await page.keyboard.press('Control+S');
  await page.fill('[data-testid=saveas-path]', 'e2e/lenet');
  await page.click('[data-testid=saveas-confirm]');
  await pathIs(page, 'e2e/lenet.netsmith.json');
  assert.equal(await page.locator('[data-testid=dirty-marker]').count(), 0);
  const saved = JSON.parse(readFileSync(join(host.home, 'projects', 'e2e/lenet.netsmith.json'), 'utf8')) as { format: string; graph: GraphDoc };
  assert.equal(saved.format, 'netsmith.project');
  assert.equal(saved.graph.nodes.find((n) => n.id === 'conv2d_1')!.params.filters, 8);

  // A reload reopens the project that was open in this tab.
  await page.reload();
  await ready(page);
  await pathIs(page, 'e2e/lenet.netsmith.json');
  assert.equal(await text(page, 'total-params'), params);
  assert.equal(await page.locator('[data-testid=dirty-marker]').count(), 0, 'reopened as saved');
  await page.click('[data-testid="tool-file.open"]');
  await page.dblclick('[data-testid="project-e2e/lenet.netsmith.json"]');
  await pathIs(page, 'e2e/lenet.netsmith.json');
  assert.equal(await text(page, 'total-params'), params);
  assert.equal(await text(page, 'shape-conv2d_1'), '28×28×8');

  await page.keyboard.press('Control+Shift+S');
  await page.fill('[data-testid=saveas-path]', 'e2e/lenet-again.netsmith.json');
  await page.click('[data-testid=saveas-confirm]');
  await pathIs(page, 'e2e/lenet-again.netsmith.json');
  const again = JSON.parse(readFileSync(join(host.home, 'projects', 'e2e/lenet-again.netsmith.json'), 'utf8')) as { graph: GraphDoc };
  assert.deepEqual(again.graph, saved.graph);
});

test('a request without the token is refused, and the page says why', async () => {
  const base = `http://127.0.0.1:${host.port}`;
  assert.equal((await fetch(`${base}/api/health`)).status, 401);
  assert.equal((await fetch(`${base}/api/health`, { headers: { 'x-netsmith-token': 'wrong' } })).status, 401);
  assert.equal((await fetch(`${base}/api/health`, { headers: { 'x-netsmith-token': host.token } })).status, 200);
  const page = await editor(`${base}/`);
  await page.waitForSelector('[data-testid=toast-error]');
  assert.match(await page.locator('[data-testid=toast-error]').innerText(), /token/);
  assert.match(await text(page, 'statusbar'), /Offline/);
});
