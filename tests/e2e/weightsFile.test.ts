// End-to-end: "Load weights…" on a torchvision-layout graph (ResNet-18). ImageNet weights with nothing in
// torchvision's cache and no network answer that they are offline and ask for a file; a .pth chosen through the
// dialog's file input is uploaded to the host, imported into a model folder and becomes the graph's weights; a file
// that is not a checkpoint and one of another architecture get their clear messages in the dialog.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const PYTHON = '/usr/bin/python3';
const HAS_TORCHVISION = spawnSync(PYTHON, ['-c', 'import torchvision'], { stdio: 'ignore' }).status === 0;
const FIXTURE = join(import.meta.dirname, '../fixtures/torchvision_state.py');
const work = mkdtempSync(join(tmpdir(), 'netsmith-e2e-weights-file-'));
let host: Host | undefined;
let session: BrowserSession | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

function checkpoint(name: string): string {
  const dir = join(work, name);
  const r = spawnSync(PYTHON, [FIXTURE, name, dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return join(dir, 'state.pth');
}

test('Load weights: ImageNet weights offline ask for a file; a .pth picked through the file input is imported', { timeout: 600_000, skip: HAS_TORCHVISION ? false : 'Debian python3-torchvision is not installed' }, async () => {
  const r18 = checkpoint('resnet18');
  const mnv2 = checkpoint('mobilenet_v2');
  writeFileSync(join(work, 'notes.pth'), 'hello, not a model');
  // An empty torchvision cache and no network: the real torchvision lookup fails, offline.
  const torchHome = join(work, 'torch-home');
  mkdirSync(torchHome);
  host = await startHost({ env: { TORCH_HOME: torchHome } });
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  await newFromTemplate(page, 'resnet18');
  await page.keyboard.press('Escape');
  await page.click('[data-testid=graph-weights-load]');
  const dialog = page.locator('[data-testid=load-weights-dialog]');
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /A torchvision resnet18 state dict: \.pth, \.pt or \.safetensors, up to 2 GiB \(uploaded to the host\)/);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await dialog.screenshot({ path: join(SHOTS, 'load-weights-dialog.png') });
  }

  // ImageNet weights, offline.
  await page.click('[data-testid=weights-imagenet]');
  const error = page.locator('[data-testid=weights-error]');
  await error.waitFor({ timeout: 180_000 });
  const offline = await error.innerText();
  assert.match(offline, /^offline: https:\/\/download\.pytorch\.org\/models\/resnet18-f37072fd\.pth is not in the torchvision cache and cannot be downloaded/);
  assert.match(offline, /Choose a \.pth or \.safetensors file instead\.$/);
  // The file button is the way on: it is highlighted.
  assert.match((await page.getAttribute('[data-testid=weights-choose-file]', 'class')) ?? '', /primary/);
  assert.doesNotMatch(offline, /Traceback|at .*\.ts:\d+/);
  if (SHOTS) await dialog.screenshot({ path: join(SHOTS, 'load-weights-imagenet-offline.png') });

  // Not a checkpoint, then another architecture: clear messages, nothing loaded.
  await page.setInputFiles('[data-testid=weights-file-input]', join(work, 'notes.pth'));
  await page.locator('[data-testid=weights-error]', { hasText: 'notes.pth: not a PyTorch checkpoint (not a zip archive)' }).waitFor({ timeout: 120_000 });
  await page.setInputFiles('[data-testid=weights-file-input]', mnv2);
  await page.locator('[data-testid=weights-error]', { hasText: 'state.pth is not a torchvision resnet18 state dict' }).waitFor({ timeout: 120_000 });
  assert.match(await error.innerText(), /conv1\.weight: missing in the file/);
  if (SHOTS) await dialog.screenshot({ path: join(SHOTS, 'load-weights-wrong-architecture.png') });
  assert.equal(await page.locator('[data-testid=graph-weights]').innerText(), 'fresh (random initialisation)');

  // The right file: uploaded, imported, and the graph's runs start from it.
  await page.setInputFiles('[data-testid=weights-file-input]', r18);
  await dialog.waitFor({ state: 'detached', timeout: 240_000 });
  const weights = page.locator('[data-testid=graph-weights]');
  await weights.filter({ hasText: /model folder ResNet-18/ }).waitFor();
  assert.match(await weights.innerText(), /^model folder ResNet-18 \(state\.pth\)/);
  const models = readdirSync(join(host.home, 'models'));
  assert.deepEqual(models, ['resnet18-state-1']);
  assert.deepEqual(readdirSync(join(host.home, 'uploads')), [], 'the upload is removed once imported');
  if (SHOTS) await page.locator('[data-testid=inspector]').screenshot({ path: join(SHOTS, 'load-weights-imported.png') });
});
