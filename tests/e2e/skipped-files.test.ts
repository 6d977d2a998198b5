// End-to-end: a messy image folder (a corrupt JPEG, a stray text file, a decompression bomb) in the Train panel:
// the dataset summary lists each skipped file with its reason; after a short run, the run's page lists them too.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MESSY_SKIPPED, messyFolder } from '../unit/engine/data/messy';
import { chooseFolderDataset, newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
let host: Host | undefined;
let session: BrowserSession | undefined;
let folder: string | undefined;
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function listed(scope: ReturnType<BrowserSession['page']['locator']>): Promise<string[][]> {
  const items = scope.locator('[data-testid=skipped-file]');
  const out: string[][] = [];
  for (let i = 0; i < (await items.count()); i++) {
    const item = items.nth(i);
    out.push([await item.locator('.skipped-path').innerText(), await item.locator('.skipped-reason').innerText()]);
  }
  return out;
}

test('the Train panel and the run page list the files a folder import skipped, each with its reason', { timeout: 300_000 }, async () => {
  folder = messyFolder();
  host = await startHost();
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);

  await newFromTemplate(page, 'lenet_mnist');

  await chooseFolderDataset(page, folder);
  const preview = page.locator('[data-testid=dataset-preview]');
  const summary = preview.locator('[data-testid=skipped-files]');
  await summary.waitFor();
  assert.match(await summary.locator('summary').innerText(), /4 files were skipped while importing/);
  assert.deepEqual(await listed(summary), MESSY_SKIPPED);
  assert.equal(await preview.locator('[data-testid=dataset-class]').count(), 2);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.locator('[data-testid=train-panel]').screenshot({ path: join(SHOTS, 'train-panel-skipped-files.png') });
  }

  // A short run on the folder: its page in the Runs workspace lists the same files.
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', '1');
  await page.fill('[data-testid=train-batch]', '8');
  await page.fill('[data-testid=train-limit]', '16');
  await page.fill('[data-testid=val-limit]', '8');
  await page.fill('[data-testid=train-probe-every]', '0');
  await page.locator('[data-testid=train-start]:not([disabled])').click({ timeout: 30_000 });
  await page.locator('[data-testid=run-state]').filter({ hasText: /^completed$/ }).waitFor({ timeout: 180_000 });

  await page.click('[data-testid=ws-runs]');
  await page.locator('[data-testid=run-row]').first().waitFor();
  await page.locator('[data-testid=run-expand]').first().click();
  const onRun = page.locator('[data-testid=run-skipped-files]');
  await onRun.waitFor({ timeout: 30_000 });
  assert.deepEqual(await listed(onRun), MESSY_SKIPPED);
  if (SHOTS) {
    await page.screenshot({ path: join(SHOTS, 'run-page-skipped-files.png') });
    await onRun.screenshot({ path: join(SHOTS, 'run-page-skipped-list.png') });
  }
});
