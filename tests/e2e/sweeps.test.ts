// End to end: a sweep defined in the Train panel (space editor with a block parameter, a bad range refused),
// its trials watched in the sweep view (parallel coordinates, best trial, sensitivity), and the best trial's
// run opened in the normal dashboards.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  for (const h of hosts) await h.stop().catch(() => undefined);
});

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/sweep-${name}.png`, fullPage: false });
}

test('sweeps: define a sweep in the UI, watch its trials, open the best one', { timeout: 420_000 }, async () => {
  const host = await startHost();
  hosts.push(host);
  const session = await openBrowser(host.url);
  sessions.push(session);
  const { page } = session;
  await page.setViewportSize({ width: 1400, height: 900 });
  await readyApp(page);
  await newFromTemplate(page, 'lenet_mnist');

  // Short trials: the Train panel's settings are every trial's base.
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', '2');
  await page.fill('[data-testid=train-batch]', '32');
  await page.fill('[data-testid=train-limit]', '600');
  await page.fill('[data-testid=val-limit]', '300');
  await page.fill('[data-testid=train-probe-every]', '0');
  await page.locator('[data-testid=train-epochs]').press('Tab');

  await page.locator('[data-testid=sweep-new]:not([disabled])').click({ timeout: 30_000 });
  await page.waitForSelector('[data-testid=sweep-dialog]');
  const lr = page.locator('[data-testid=sweep-row][data-key=lr]');
  assert.equal(await lr.locator('[data-testid=sweep-row-on]').isChecked(), true);
  // A bad range is refused with a clear message, and Start is off.
  await lr.locator('[data-testid=sweep-row-lo]').fill('-1');
  await page.locator('[data-testid=sweep-error]').filter({ hasText: 'logUniform: both ends must be above 0' }).waitFor();
  assert.equal(await page.locator('[data-testid=sweep-start]').isDisabled(), true);
  await lr.locator('[data-testid=sweep-row-lo]').fill('1e-4');
  await lr.locator('[data-testid=sweep-row-hi]').fill('0.3');
  // A block parameter, addressed by label.param.
  await page.selectOption('[data-testid=sweep-add-key]', 'conv1.filters');
  await page.click('[data-testid=sweep-add]');
  const filters = page.locator('[data-testid=sweep-row][data-key="conv1.filters"]');
  await filters.locator('[data-testid=sweep-row-lo]').fill('4');
  await filters.locator('[data-testid=sweep-row-hi]').fill('12');
  await page.selectOption('[data-testid=sweep-strategy]', 'random');
  await page.fill('[data-testid=sweep-trials]', '4');
  await page.fill('[data-testid=sweep-parallel]', '2');
  assert.equal(await page.locator('[data-testid=sweep-error]').count(), 0);
  await shot(page, 'dialog');
  await page.click('[data-testid=sweep-start]');
  await page.waitForSelector('[data-testid=sweep-dialog]', { state: 'detached' });

  // The sweep view follows the trials live.
  const view = page.locator('[data-testid=sweep-view]');
  await view.waitFor();
  await page.locator('[data-testid=sweep-trial]').first().waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=sweep-trial][data-state=running]').first().waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=sweep-best-value]').waitFor({ timeout: 180_000 });
  await shot(page, 'running');
  await page.locator('[data-testid=sweep-view][data-state=completed]').waitFor({ timeout: 300_000 });
  assert.equal(await page.locator('[data-testid=sweep-progress]').innerText(), '4');
  assert.equal(await page.locator('[data-testid=sweep-trial]').count(), 4);
  assert.equal(await page.locator('[data-testid=sweep-line]').count(), 4);
  assert.equal(await page.locator('[data-testid=sweep-sens-row]').count(), 2);
  const rows = page.locator('[data-testid=sweep-trial]');
  const states = await Promise.all(Array.from({ length: 4 }, (_, i) => rows.nth(i).getAttribute('data-state')));
  assert.ok(states.every((s) => s === 'completed' || s === 'pruned'), String(states));
  const best = await page.locator('[data-testid=sweep-trial].best td').first().innerText();
  await shot(page, 'completed');

  // The best trial opens as a normal run in the dashboards.
  await page.click('[data-testid=sweep-open-best]');
  await page.waitForSelector('[data-testid=sweep-view]', { state: 'detached' });
  const head = page.locator('[data-testid=dash-head]');
  await head.waitFor();
  await head.filter({ hasText: `Trial ${best} · Sweep` }).waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=dash-tab-curves]').waitFor();
  await shot(page, 'best-run');

  // The sweep is listed in the Train panel and reopens.
  await page.click('[data-testid=sweep-open]');
  await view.waitFor();
});
