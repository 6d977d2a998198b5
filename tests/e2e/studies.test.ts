// End-to-end test of the study experiments (in-process training loops): their gallery cards show the notes they
// come from; threshold-metrics, l1-sparsity and class-imbalance run from the UI and show their study charts and verdicts.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { EXPERIMENTS } from '../../src/shared/experiments';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  for (const h of hosts) await h.stop().catch(() => undefined);
});

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/studies-${name}.png`, fullPage });
}

async function runStudy(page: Page, id: string): Promise<string> {
  const back = page.locator('[data-testid=exp-back]');
  if (await back.isVisible().catch(() => false)) await back.click();
  await page.click(`[data-testid=exp-card][data-experiment=${id}]`);
  await page.waitForSelector(`[data-testid=exp-detail][data-experiment=${id}]`);
  await page.click('[data-testid=exp-start]');
  const verdict = page.locator('[data-testid=exp-verdict]');
  await verdict.waitFor({ timeout: 120_000 });
  return (await verdict.getAttribute('data-direction')) ?? '';
}

test('studies: gallery cards with their notes; threshold-metrics, l1-sparsity and class-imbalance run from the UI with their charts', { timeout: 300_000 }, async () => {
  const host = await startHost();
  hosts.push(host);
  const session = await openBrowser(host.url);
  sessions.push(session);
  const { page } = session;
  await page.setViewportSize({ width: 1400, height: 1000 });
  await readyApp(page);
  await page.keyboard.press('Control+Shift+Digit4');
  await page.waitForSelector('[data-testid=exp-card]');
  assert.equal(await page.locator('[data-testid=exp-card]').count(), EXPERIMENTS.length);
  for (const [id, notes] of [['class-imbalance', '000, 001, 003, 004'], ['threshold-metrics', '001, 002, 003, 004'], ['dead-relu', '000, 001, 002, 004'], ['bn-train-eval', '004'], ['l1-sparsity', '000, 002, 004']]) {
    const card = page.locator(`[data-testid=exp-card][data-experiment=${id}]`);
    assert.equal(await card.locator('[data-testid=exp-card-notes]').innerText(), `from notes ${notes}`);
  }
  await page.locator('[data-testid=exp-card][data-experiment=class-imbalance]').scrollIntoViewIfNeeded();
  await shot(page, 'gallery');

  assert.equal(await runStudy(page, 'threshold-metrics'), 'supports');
  assert.match(await page.locator('[data-testid=exp-verdict-text]').innerText(), /Majority rule: accuracy 9\d\.\d%, AP \d\.\d%/);
  await page.waitForSelector('[data-testid=exp-chart-pr] .recharts-line');
  assert.equal(await page.locator('[data-testid=exp-chart-roc] .recharts-line').count(), 3);
  const table = page.locator('[data-testid=exp-threshold-table]');
  const at05 = await table.innerText();
  // Moving the threshold changes precision/recall in the table.
  await page.locator('[data-testid=exp-threshold-slider]').fill('0.2');
  const at02 = await table.innerText();
  assert.notEqual(at02, at05);
  await page.locator('[data-testid=exp-chart-pr]').scrollIntoViewIfNeeded();
  await shot(page, 'threshold-metrics');

  assert.equal(await runStudy(page, 'l1-sparsity'), 'supports');
  assert.match(await page.locator('[data-testid=exp-verdict-text]').innerText(), /\(proximal\): \d+\.\d% exactly 0/);
  await page.waitForSelector('[data-testid=exp-chart-weight-hist] .recharts-line');
  await page.locator('[data-testid=exp-chart-weight-hist]').scrollIntoViewIfNeeded();
  await shot(page, 'l1-sparsity');
  await page.locator('[data-testid=exp-verdict]').scrollIntoViewIfNeeded();
  await shot(page, 'l1-sparsity-verdict');

  await runStudy(page, 'class-imbalance');
  assert.match(await page.locator('[data-testid=exp-verdict-text]').innerText(), /No remedy: rare digits \d+\.\d%, common digits \d+\.\d% recall/);
  await page.waitForSelector('[data-testid=exp-chart-class-recall] .recharts-bar-rectangle');
  await page.locator('[data-testid=exp-chart-class-recall]').scrollIntoViewIfNeeded();
  await shot(page, 'class-imbalance');
});
