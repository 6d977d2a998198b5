// End-to-end: an .onnx model opens in the UI as a project with its weights. A bad file dropped on the window is
// streamed to the host (POST /api/upload) and gives the importer's message; File → Open of a host path opens a LeNet
// export with its blocks and shapes; its head is changed and it trains one epoch on MNIST, starting from the
// imported model folder (the run's log says so); the same file chosen with File → Open → From this computer… is
// streamed and imported into a second folder, and so is a 99 MiB model (over the old 90 MiB one-request limit).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { compile } from '../../src/main/engine/compile/compile';
import { exportOnnx } from '../../src/main/engine/export/onnx/export';
import { GraphBuilder } from '../../src/shared/graph/builder';
import type { GraphDoc } from '../../src/shared/graph/types';
import { templateById } from '../../src/shared/templates';
import { classify, dense, finish } from '../../src/shared/templates/layers';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const work = mkdtempSync(join(tmpdir(), 'netsmith-e2e-onnx-'));
let host: Host | undefined;
let session: BrowserSession | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

/** Drops a file on the window as a desktop file manager would. */
async function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  // Runs in the page (a string: this file is compiled without the DOM types).
  await page.evaluate(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(${JSON.stringify([...bytes])})], ${JSON.stringify(name)}));
    const target = document.querySelector('.react-flow') ?? document.body;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  })()`);
}

/** File → Open → From this computer…: the browser's file chooser. */
async function openFromComputer(page: Page, file: string): Promise<void> {
  await page.click('[data-testid="tool-file.open"]');
  await page.waitForSelector('[data-testid=open-dialog]');
  const chooser = page.waitForEvent('filechooser');
  await page.click('[data-testid=open-upload]');
  const confirm = page.locator('[data-testid=confirm-ok]');
  await Promise.race([chooser, confirm.waitFor({ timeout: 30_000 }).then(() => confirm.click())]);
  await (await chooser).setFiles(file);
}

function exported(graph: GraphDoc): Uint8Array {
  const { model } = compile(graph, { seed: 5 });
  const bytes = exportOnnx(graph, model).bytes;
  model.dispose();
  return bytes;
}

const block = (page: Page, label: string) => page.locator('.block-node', { has: page.locator('.block-label', { hasText: new RegExp(`^${label}$`) }) });

test('open an .onnx (File → Open and drop): blocks with shapes, change the head, train one epoch from its weights', { timeout: 600_000 }, async () => {
  await tf.setBackend('cpu');
  const file = join(work, 'lenet.onnx');
  writeFileSync(file, exported(templateById('lenet_mnist')!.build()));

  host = await startHost();
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  // Every file from this computer goes to the host streamed (POST /api/upload), never as base64 in an API call.
  const uploads: string[] = [];
  let largestFrame = 0;
  page.on('request', (r) => {
    if (r.url().includes('/api/upload')) uploads.push(r.url());
  });
  page.on('websocket', (ws) => ws.on('framesent', (f) => void (largestFrame = Math.max(largestFrame, f.payload.length))));

  // A broken file dropped on the window: the importer's message, no stack trace, the document untouched.
  await dropFile(page, 'broken.onnx', new TextEncoder().encode('this is not an ONNX model'));
  const error = page.locator('[data-testid=toast-error]').filter({ hasText: 'broken.onnx' });
  await error.waitFor({ timeout: 60_000 });
  const message = await error.innerText();
  assert.match(message, /cannot import broken\.onnx: /);
  assert.doesNotMatch(message, /\bat \S+:\d+|Error:|\/tmp\//);
  assert.equal(uploads.length, 1);
  assert.match(uploads[0], /\/api\/upload\?name=broken\.onnx$/);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'onnx-drop-broken-file-error.png') });
  }

  // File → Open, a host path to the .onnx typed in the dialog.
  await page.click('[data-testid="tool-file.open"]');
  await page.waitForSelector('[data-testid=open-dialog]');
  await page.fill('[data-testid=open-dialog] input', file);
  await page.locator('[data-testid=open-onnx-hint]').waitFor();
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'onnx-open-dialog-path.png') });
  await page.click('[data-testid=open-confirm]');
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.locator('[data-testid=toast-success]').filter({ hasText: /Opened lenet: its weights are kept in .*models\/lenet-1/ }).waitFor({ timeout: 60_000 });
  await block(page, 'fc2').waitFor();
  // Blocks with shapes: the convolutions' maps and the dense widths.
  // (the convolutions come unnamed from the file: the block ids name them)
  assert.equal(await page.locator('[data-testid=shape-conv2d_1]').innerText(), '28×28×6');
  assert.equal(await page.locator('[data-testid=shape-conv2d_2]').innerText(), '10×10×16');
  assert.equal(await block(page, 'fc2').locator('.shape-badge').innerText(), '84');
  assert.equal(await block(page, 'fc3').locator('.shape-badge').innerText(), '10');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=graph-weights]').filter({ hasText: 'lenet' }).waitFor();
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'onnx-opened-lenet-blocks-shapes.png') });

  // Change the head: fc2 84 → 64 units (fc2 and fc3 start fresh, the convolutions from the file's weights).
  await block(page, 'fc2').locator('.block-title').dispatchEvent('click');
  await page.locator('[data-testid=node-inspector]').waitFor();
  await page.fill('[data-testid=param-units]', '64');
  await page.press('[data-testid=param-units]', 'Enter');
  await block(page, 'fc2').locator('.shape-badge', { hasText: /^64$/ }).waitFor();
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'onnx-head-changed.png') });

  // Train one epoch on MNIST.
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  await page.locator('[data-testid=train-dataset] option[value=mnist]').waitFor({ state: 'attached', timeout: 30_000 });
  await page.selectOption('[data-testid=train-dataset]', 'mnist');
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', '1');
  await page.fill('[data-testid=train-batch]', '32');
  await page.fill('[data-testid=train-limit]', '256');
  await page.fill('[data-testid=val-limit]', '64');
  await page.locator('[data-testid=train-start]:not([disabled])').click({ timeout: 30_000 });
  await page.locator('[data-testid=run-state]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 300_000 });
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'onnx-trained-one-epoch.png') });

  const models = join(host.home, 'models');
  const runs = join(host.home, 'runs');
  const [id] = readdirSync(runs).filter((n) => !n.startsWith('.'));
  const record = JSON.parse(readFileSync(join(runs, id, 'run.json'), 'utf8')) as { config: { initFrom?: string } };
  assert.equal(record.config.initFrom, join(models, 'lenet-1'));
  const log = readFileSync(join(runs, id, 'metrics.jsonl'), 'utf8');
  const line = /Initialised from [^"]*/.exec(log)?.[0] ?? '';
  // Everything from the file but the changed head: fc2 (84→64) and fc3's kernel (its input 84→64).
  assert.match(line, /^Initialised from model folder lenet: loaded 7 of 10 tensors; skipped fc2 \(120×84 in the source, 120×64 here\), fc3 \(84×10 in the source, 64×10 here\)\.$/);

  // The same file chosen with File → Open → From this computer…: streamed, imported into a second folder (the first is kept).
  await page.click('[data-testid=ws-editor]');
  await openFromComputer(page, file);
  await page.locator('[data-testid=toast-success]').filter({ hasText: /models\/lenet-2/ }).waitFor({ timeout: 60_000 });
  await block(page, 'fc2').locator('.shape-badge', { hasText: /^84$/ }).waitFor();
  assert.deepEqual(readdirSync(models).sort(), ['lenet-1', 'lenet-2']);
  assert.match(uploads.at(-1)!, /\/api\/upload\?name=lenet\.onnx$/);

  // A 99 MiB model (28×28×1 → flatten → dense 32,768 → 10), over the old 90 MiB limit of one base64 request.
  const b = new GraphBuilder({ name: 'wide', input: [28, 28, 1] });
  classify(b, dense(b, b.add('reshape/flatten', {}, b.input(), { label: 'flatten' }), 32_768, 'wide'), 10, 'head');
  const big = join(work, 'wide.onnx');
  writeFileSync(big, exported(finish(b)));
  // Every text the toasts show, recorded in the page (the upload's progress toast can come and go between polls).
  await page.evaluate(`(() => {
    const seen = (window.toastTexts = []);
    const root = document.querySelector('.toasts');
    new MutationObserver(() => root.querySelectorAll('.toast').forEach((t) => seen.push(t.textContent))).observe(root, { subtree: true, childList: true, characterData: true });
  })()`);
  await openFromComputer(page, big);
  await page.locator('[data-testid=toast-success]').filter({ hasText: /Opened wide: .*models\/wide-1/ }).waitFor({ timeout: 180_000 });
  const texts = (await page.evaluate('window.toastTexts')) as string[];
  assert.ok(texts.some((t) => /^Uploading wide\.onnx \(99\.\d MiB\)… 100%$/.test(t)), `the upload shows its progress: ${[...new Set(texts)].join(' | ')}`);
  await block(page, 'wide').locator('.shape-badge', { hasText: /^32768$|^32,768$/ }).waitFor();
  assert.match(uploads.at(-1)!, /\/api\/upload\?name=wide\.onnx$/);
  assert.ok(statSync(big).size > 90 * 1024 ** 2, `${statSync(big).size} bytes`);
  assert.deepEqual(readdirSync(join(host.home, 'uploads')), [], 'each upload is removed once imported');
  assert.ok(largestFrame < 1024 ** 2, `API calls (WebSocket) carry no file contents: the largest frame sent was ${largestFrame} bytes`);
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'onnx-opened-99mib-model-streamed.png') });
});
