// End-to-end tests of exports from the UI: a tiny real run exported as ONNX from the Runs workspace, a clear
// message for a run without a checkpoint, and the picture of the graph being edited as an SVG download.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import type { RunSummary } from '../../src/shared/api';
import { serializeProject } from '../../src/renderer/core/project';
import { templateById } from '../../src/shared/templates';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
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

async function api<T>(host: Host, method: string, arg?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, { method: 'POST', headers: { 'x-netsmith-token': host.token, 'content-type': 'application/json' }, body: arg === undefined ? '' : JSON.stringify(arg) });
  const reply = (await res.json()) as { result?: T; error?: { message: string } };
  if (reply.error) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result as T;
}

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeout = 180_000): Promise<T> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('export a finished run as ONNX from the Runs workspace; a run without a checkpoint gets a clear message', async () => {
  const host = await startHost();
  hosts.push(host);
  const lenet = templateById('lenet_mnist')!.build();
  // A run that never reached a checkpoint (stopped before its first epoch ended).
  const now = new Date().toISOString();
  mkdirSync(join(host.home, 'runs', 'unfinished'), { recursive: true });
  writeFileSync(
    join(host.home, 'runs', 'unfinished', 'run.json'),
    JSON.stringify({ id: 'unfinished', name: 'unfinished', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: now, state: 'stopped', dataset: 'mnist', epoch: 0, epochs: 1, step: 3, fallbackOps: [], checkpoints: {}, config: {}, graph: lenet }),
  );
  // A tiny real run: one epoch of 256 MNIST images.
  const started = await api<RunSummary>(host, 'startRun', { project: serializeProject(lenet), dataset: 'mnist', config: { epochs: 1, batchSize: 64, trainLimit: 256, valLimit: 64, probeEvery: 0 } });
  await until('the run to complete', async () => (await api<RunSummary[]>(host, 'listRuns')).find((r) => r.id === started.id && r.state === 'completed'));

  const page = await app(host);
  await page.click('[data-testid=ws-runs]');
  const row = page.locator(`[data-testid=run-row][data-run="${started.id}"]`);
  await row.waitFor({ timeout: 60_000 });
  await row.locator('[data-testid=run-export]').click();
  const dialog = page.locator('[data-testid=export-dialog]');
  await dialog.waitFor({ timeout: 60_000 });
  // The run list loads after the dialog opens; the run whose button was pressed is preselected.
  await until('the run to be preselected', async () => (await dialog.locator('[data-testid=export-run]').inputValue()) === started.id, 20_000);
  await dialog.locator('[data-testid=export-format-onnx] input').check();
  assert.match(await dialog.locator('[data-testid=export-destination]').innerText(), /exports\//);
  await dialog.locator('[data-testid=export-go]').click();
  const onnx = dialog.locator('[data-testid=export-file][data-name="model.onnx"]');
  await onnx.waitFor({ timeout: 120_000 });
  assert.match(await onnx.innerText(), /model\.onnx\s+[\d.]+ KiB/);
  assert.match(await dialog.locator('[data-testid=export-result]').innerText(), /Exported ONNX \(checkpoint \w+\) to runs\/.+\/exports\/onnx-/);
  if (SHOTS) await dialog.screenshot({ path: join(SHOTS, 'expui-dialog-success.png') });
  // The file comes to the browser as a download, byte for byte what the host wrote.
  const [download] = await Promise.all([page.waitForEvent('download'), onnx.locator('[data-testid=export-file-download]').click()]);
  assert.equal(download.suggestedFilename(), 'model.onnx');
  const bytes = readFileSync((await download.path())!);
  const dirName = (await dialog.locator('[data-testid=export-result] .mono').first().innerText()).split('/').pop()!;
  assert.equal(Buffer.compare(bytes, readFileSync(join(host.home, 'runs', started.id, 'exports', dirName, 'model.onnx'))), 0);
  // The class names and preprocessing travel with the model.
  assert.deepEqual(await Promise.all((await dialog.locator('[data-testid=export-file]').all()).map((r) => r.getAttribute('data-name'))), ['README.md', 'labels.txt', 'model-info.json', 'model.onnx']);
  const exported = join(host.home, 'runs', started.id, 'exports', dirName);
  assert.equal(readFileSync(join(exported, 'labels.txt'), 'utf8'), '0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n');
  // Download all: one zip, its files in one folder named after the run and format, byte for byte.
  const [zipDownload] = await Promise.all([page.waitForEvent('download'), dialog.locator('[data-testid=export-download-all]').click()]);
  assert.equal(zipDownload.suggestedFilename(), `${started.id}-onnx.zip`);
  const zipped = unzipSync(readFileSync((await zipDownload.path())!));
  assert.deepEqual(Object.keys(zipped).sort(), ['README.md', 'labels.txt', 'model-info.json', 'model.onnx'].map((n) => `${started.id}-onnx/${n}`));
  for (const name of ['README.md', 'labels.txt', 'model-info.json', 'model.onnx']) assert.equal(Buffer.compare(Buffer.from(zipped[`${started.id}-onnx/${name}`]), readFileSync(join(exported, name))), 0, name);
  if (SHOTS) await dialog.screenshot({ path: join(SHOTS, 'expui-dialog-zip.png') });

  // The run without a checkpoint: the exporter's message, nothing written.
  await dialog.locator('[data-testid=export-run]').selectOption('unfinished');
  await dialog.locator('[data-testid=export-go]').click();
  const error = dialog.locator('[data-testid=export-error]');
  await error.waitFor();
  assert.match(await error.innerText(), /run unfinished has no best checkpoint yet \(state: stopped\)/);
  if (SHOTS) await dialog.screenshot({ path: join(SHOTS, 'expui-dialog-error.png') });
  await dialog.locator('[data-testid=export-format-graph] input').check();
  await dialog.locator('[data-testid=export-go]').click();
  await dialog.locator('[data-testid=export-file][data-name="network.svg"]').waitFor();
  assert.equal(await dialog.locator('[data-testid=export-file]').count(), 2);
});

test('the picture of the graph being edited downloads as SVG (and PNG), from the command palette', async () => {
  const host = await startHost();
  hosts.push(host);
  const page = await app(host);
  await page.click('[data-testid=ws-editor]');
  await page.click('[data-testid="tool-file.newFromTemplate"]');
  await page.click('[data-testid=template-resnet18]');
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=templates-dialog]', { state: 'detached' });

  await page.click('[data-testid=tool-palette]');
  await page.keyboard.type('network picture');
  await page.keyboard.press('Enter');
  const dialog = page.locator('[data-testid=picture-dialog]');
  await dialog.waitFor({ timeout: 60_000 });
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'expui-picture-dialog.png') });
  const [svgDownload] = await Promise.all([page.waitForEvent('download'), dialog.locator('[data-testid=picture-svg]').click()]);
  assert.match(svgDownload.suggestedFilename(), /^resnet-18-network\.svg$|-network\.svg$/);
  const svg = readFileSync((await svgDownload.path())!, 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  for (const name of ['conv1', 'layer1.0.conv1', 'layer4.1.relu2', 'ResNet-18']) assert.ok(svg.includes(name), name);
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), dialog.locator('[data-testid=picture-png]').click()]);
  assert.match(pngDownload.suggestedFilename(), /-network\.png$/);
  const png = readFileSync((await pngDownload.path())!);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  const width = png.readUInt32BE(16);
  const svgWidth = Number(/width="(\d+)"/.exec(svg)![1]);
  assert.equal(width, svgWidth * 2, 'the PNG is drawn at 2×');
});
