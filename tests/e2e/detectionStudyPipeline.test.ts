// End-to-end test of the detection-anchors and detection-hard-negatives studies: their gallery cards show their
// notes, they run from the UI and show their charts (recall by size, mAP with/without NMS, training targets; easy
// negatives' loss share, recall vs false positives) with a verdict that quotes the numbers.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  for (const h of hosts) await h.stop().catch(() => undefined);
});

async function shot(page: Page, selector: string, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function runFromGallery(page: Page, id: string): Promise<void> {
  const back = page.locator('[data-testid=exp-back]');
  if (await back.isVisible().catch(() => false)) await back.click();
  const card = page.locator(`[data-testid=exp-card][data-experiment=${id}]`);
  await card.waitFor();
  assert.equal(await card.locator('[data-testid=exp-card-notes]').innerText(), 'from notes 000, 001, 004');
  await card.click();
  await page.waitForSelector(`[data-testid=exp-detail][data-experiment=${id}]`);
  await page.click('[data-testid=exp-start]');
  await page.locator('[data-testid=exp-verdict]').waitFor({ timeout: 1_500_000 });
}

test('detection-anchors and detection-hard-negatives: cards with their notes; run from the UI with their charts and verdicts', { timeout: 3_000_000 }, async () => {
  const host = await startHost();
  hosts.push(host);
  const session = await openBrowser(host.url);
  sessions.push(session);
  const { page } = session;
  await page.setViewportSize({ width: 1400, height: 1000 });
  await readyApp(page);
  await page.keyboard.press('Control+Shift+Digit4');

  await runFromGallery(page, 'detection-anchors');
  assert.match(await page.locator('[data-testid=exp-verdict-text]').innerText(), /Anchor-based \(3 k-means anchors\): mAP@0\.5 \d+\.\d%.*negatives per positive.*Anchor-free/);
  assert.equal(await page.locator('[data-testid=exp-chart-size-recall] .recharts-bar-rectangle').count() > 0, true);
  await page.waitForSelector('[data-testid=exp-chart-heads-nms] .recharts-bar-rectangle');
  assert.equal(await page.locator('[data-testid=exp-chart-assignment] [data-testid=hbar-row]').count(), 6);
  await shot(page, '[data-testid=exp-chart-size-recall]', 'detection-anchors-charts');
  await shot(page, '[data-testid=exp-chart-heads-nms]', 'detection-anchors-nms-targets');
  await shot(page, '[data-testid=exp-verdict]', 'detection-anchors-verdict');

  await runFromGallery(page, 'detection-hard-negatives');
  assert.match(await page.locator('[data-testid=exp-verdict-text]').innerText(), /BCE, all negatives: mAP@0\.5 \d+\.\d%.*false positives per image at recall/);
  await page.waitForSelector('[data-testid=exp-chart-easy-share] .recharts-line');
  assert.equal(await page.locator('[data-testid=exp-chart-froc] .recharts-line').count(), 3);
  assert.equal(await page.locator('[data-testid=exp-chart-fp-threshold] .recharts-line').count(), 3);
  await shot(page, '[data-testid=exp-chart-easy-share]', 'detection-hard-negatives-charts');
  await shot(page, '[data-testid=exp-chart-froc]', 'detection-hard-negatives-froc');
  await shot(page, '[data-testid=exp-verdict]', 'detection-hard-negatives-verdict');
});
