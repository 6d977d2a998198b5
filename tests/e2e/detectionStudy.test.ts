// End-to-end test of the detection-nms study: its gallery card shows its notes, it runs from the UI and shows the
// mAP-vs-NMS-threshold and duplicates charts with a verdict.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  for (const h of hosts) await h.stop().catch(() => undefined);
});

test('detection-nms: card with its notes; runs from the UI with its NMS sweep charts and verdict', { timeout: 420_000 }, async () => {
  const host = await startHost();
  hosts.push(host);
  const session = await openBrowser(host.url);
  sessions.push(session);
  const { page } = session;
  await page.setViewportSize({ width: 1400, height: 1000 });
  await readyApp(page);
  await page.keyboard.press('Control+Shift+Digit4');
  const card = page.locator('[data-testid=exp-card][data-experiment=detection-nms]');
  await card.waitFor();
  assert.equal(await card.locator('[data-testid=exp-card-notes]').innerText(), 'from notes 000, 001, 004');
  await card.click();
  await page.waitForSelector('[data-testid=exp-detail][data-experiment=detection-nms]');
  await page.click('[data-testid=exp-start]');
  const verdict = page.locator('[data-testid=exp-verdict]');
  await verdict.waitFor({ timeout: 360_000 });
  assert.equal(await verdict.getAttribute('data-direction'), 'supports');
  assert.match(await page.locator('[data-testid=exp-verdict-text]').innerText(), /No NMS: mAP@0\.5 \d+\.\d%.*duplicates/);
  await page.waitForSelector('[data-testid=exp-chart-nms-sweep] .recharts-line');
  await page.waitForSelector('[data-testid=exp-chart-nms-duplicates] .recharts-line');
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.locator('[data-testid=exp-chart-nms-sweep]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/detection-nms-charts.png` });
    await verdict.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/detection-nms-verdict.png` });
  }
});
