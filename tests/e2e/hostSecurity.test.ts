import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { metaCsp } from '../../src/main/util/csp';
import { openBrowser, readyApp, startHost, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;

let host: Host;
before(async () => {
  host = await startHost();
});
after(async () => {
  await host?.stop();
});

/** A tiny class-folder dataset outside the home folder: 2 classes × 12 solid 16×16 PNGs. */
function tinyDataset(): string {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-e2e-roots-'));
  for (const [name, rgb] of [['red', [220, 40, 40]], ['blue', [40, 60, 220]]] as const) {
    mkdirSync(join(dir, name));
    for (let i = 0; i < 12; i++) {
      const png = new PNG({ width: 16, height: 16 });
      for (let p = 0; p < 256; p++) png.data.set([rgb[0] - i * 3, rgb[1] + i * 2, rgb[2], 255], p * 4);
      writeFileSync(join(dir, name, `${i}.png`), PNG.sync.write(png));
    }
  }
  return dir;
}

test('the built page carries the same CSP in its <meta> as the build wrote from csp.ts', () => {
  const html = readFileSync(join(import.meta.dirname, '../../out/renderer/index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  assert.ok(meta, 'a CSP meta is in the built index.html');
  assert.equal(meta[1], metaCsp());
  assert.match(meta[1], /script-src 'self';/);
  assert.match(meta[1], /object-src 'none'/);
});

test('the page works on localhost too (Host check and meta CSP allow it), without CSP violations', async () => {
  const url = host.url.replace('127.0.0.1', 'localhost');
  const session = await openBrowser('about:blank');
  try {
    const { page } = session;
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.goto(url, { waitUntil: 'load' });
    await readyApp(page);
    // The Train panel lists the host's datasets: a call over the WebSocket to ws://localhost:PORT answered.
    await page.click('[data-testid=ws-training]');
    await page.locator('[data-testid=train-dataset] option[value=mnist]').waitFor({ state: 'attached', timeout: 20_000 });
    await page.waitForTimeout(500);
    assert.deepEqual(problems, []);
  } finally {
    await session.close();
  }
});

test('a dataset folder outside the home folder is refused until the user allows it', async () => {
  const folder = tinyDataset();
  const session = await openBrowser(host.url);
  try {
    const { page } = session;
    await readyApp(page);
    await page.click('[data-testid=ws-training]');
    await page.waitForSelector('[data-testid=train-panel]');
    await page.selectOption('[data-testid=train-dataset]', '__folder');
    await page.fill('[data-testid=train-folder]', folder);
    await page.press('[data-testid=train-folder]', 'Enter');
    const error = page.locator('[data-testid=train-error]');
    await error.filter({ hasText: /outside the folders this lab may read/ }).waitFor({ timeout: 20_000 });
    assert.ok(!(await error.textContent())!.includes(` ${folder}`), 'no absolute path in the message');
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.locator('[data-testid=train-panel]').screenshot({ path: join(SHOTS, 'dataset-folder-outside-roots.png') });
    }
    await page.click('[data-testid=train-allow-folder]');
    await page.locator('[data-testid=train-error]').waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByText(/red/).first().waitFor({ timeout: 30_000 });
    if (SHOTS) await page.locator('[data-testid=train-panel]').screenshot({ path: join(SHOTS, 'dataset-folder-allowed-preview.png') });
    const state = JSON.parse(readFileSync(join(host.home, 'state.json'), 'utf8')) as { datasetRoots: string[] };
    assert.equal(state.datasetRoots.length, 1);
  } finally {
    await session.close();
  }
});
