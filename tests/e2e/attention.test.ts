// End-to-end tests of attention maps: a tiny real ViT run on the shapes set, its maps through the API (a validation
// sample and an uploaded PNG), clear errors (a CNN run, not an image), and the maps in the Runs workspace's
// Predict panel, which renders AttentionView for networks with attention blocks.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunSummary } from '../../src/shared/api';
import type { AttentionMaps } from '../../src/shared/attention';
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

async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeout = 240_000): Promise<T> {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('attention maps of a tiny ViT run: API (sample, upload, errors) and the Predict panel', async () => {
  const host = await startHost();
  hosts.push(host);
  const config = { epochs: 1, batchSize: 64, trainLimit: 128, valLimit: 64, probeEvery: 0 };
  const vit = await api<RunSummary>(host, 'startRun', { project: serializeProject(templateById('vit_tiny_cifar')!.build()), dataset: 'shapes', config });
  const cnn = await api<RunSummary>(host, 'startRun', { project: serializeProject(templateById('resnet_cifar')!.build()), dataset: 'shapes', config: { ...config, trainLimit: 64 } });
  const done = (id: string) => until(`run ${id} to complete`, async () => (await api<RunSummary[]>(host, 'listRuns')).find((r) => r.id === id && r.state === 'completed'));
  await done(vit.id);

  // A validation sample: 2 encoder layers × 4 heads over the 8×8 patch grid (32×32, patch 4), and the rollout.
  const maps = await api<AttentionMaps>(host, 'attentionMaps', { id: vit.id, image: { sampleIndex: 2 } });
  assert.deepEqual(maps.grid, [8, 8]);
  assert.equal(maps.query, 'cls');
  assert.deepEqual(maps.layers.map((l) => [l.name, l.heads.length, l.heads[0].length, l.heads[0][0].length]), [
    ['encoder.layers.encoder_layer_0', 4, 8, 8],
    ['encoder.layers.encoder_layer_1', 4, 8, 8],
  ]);
  for (const l of maps.layers) for (const h of l.heads) assert.ok(h.flat().reduce((a, b) => a + b, 0) <= 1 + 1e-6);
  assert.equal(maps.rollout.length, 8);
  assert.match(maps.image, /^data:image\/png;base64,/);
  assert.ok(maps.classes && maps.label !== undefined && maps.predicted !== undefined);
  // The same picture uploaded as a PNG: the same maps (the upload goes through the dataset's preprocessing).
  const upload = await api<AttentionMaps>(host, 'attentionMaps', { id: vit.id, image: { dataUrl: maps.image }, layer: 1 });
  assert.deepEqual(upload.layers.map((l) => l.name), ['encoder.layers.encoder_layer_1']);
  for (let k = 0; k < 4; k++) upload.layers[0].heads[k].flat().forEach((v, i) => assert.ok(Math.abs(v - maps.layers[1].heads[k].flat()[i]) < 1e-6));
  // Clear errors.
  await assert.rejects(api(host, 'attentionMaps', { id: vit.id, image: { dataUrl: 'data:text/plain;base64,aGVsbG8=' } }), /not an image/);
  await done(cnn.id);
  await assert.rejects(api(host, 'attentionMaps', { id: cnn.id, image: { sampleIndex: 0 } }), /this network has no attention layers/);
  await assert.rejects(api(host, 'attentionMaps', { id: 'nope', image: { sampleIndex: 0 } }), /no run 'nope'/);

  // The Predict panel renders the maps for the ViT run.
  const page = await app(host);
  await page.click('[data-testid=ws-runs]');
  const row = page.locator(`[data-testid=run-row][data-run="${vit.id}"]`);
  await row.waitFor();
  await row.locator('[data-testid=run-predict]').click();
  await page.locator('[data-testid=predict-sample]').nth(2).click();
  const view = page.locator('[data-testid=attention-view]');
  await view.waitFor({ timeout: 120_000 });
  await page.waitForSelector('[data-testid=attention-view][data-busy="0"]');
  assert.equal(await view.locator('[data-testid=attention-layer] option').count(), 2);
  assert.equal(await view.locator('[data-testid=attention-head] option').count(), 5, 'mean of heads + 4 heads');
  assert.equal(await view.locator('[data-testid=attention-heads] .attn-tile').count(), 5);
  const heat = view.locator('[data-testid=attention-heat]');
  assert.deepEqual(await heat.evaluate((c) => [(c as unknown as { width: number }).width, (c as unknown as { height: number }).height]), [8, 8]);
  await view.locator('[data-testid=attention-head]').selectOption('2');
  await view.locator('[data-testid=attention-rollout]').check();
  assert.equal(await view.locator('[data-testid=attention-layer]').isDisabled(), true);
  await view.locator('[data-testid=attention-opacity]').fill('0.8');
  assert.equal(await heat.evaluate((c) => (c as unknown as { style: { opacity: string } }).style.opacity), '0.8');
  if (SHOTS) await page.locator('[data-testid=predict-attention]').screenshot({ path: join(SHOTS, 'vit-attention-e2e.png') });
});
