// End-to-end tests of the Experiments workspace: the gallery, a computed and a trained experiment run from
// the UI on the headless host (verdicts computed by the engine from the runs), a user experiment saved from
// two of those runs, and the last verdicts shown again after a reload.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

async function app(host: Host): Promise<Page> {
  const session = await openBrowser(host.url);
  sessions.push(session);
  const { page } = session;
  await readyApp(page);
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/exp-${name}.png`, fullPage: false });
}

async function openCard(page: Page, id: string): Promise<void> {
  const back = page.locator('[data-testid=exp-back]');
  if (await back.isVisible().catch(() => false)) await back.click();
  await page.click(`[data-testid=exp-card][data-experiment=${id}]`);
  await page.waitForSelector(`[data-testid=exp-detail][data-experiment=${id}]`);
}

test('experiments: gallery, a computed and a trained experiment with verdicts, a saved comparison, verdicts kept after a reload', { timeout: 330_000 }, async () => {
  const host = await startHost();
  hosts.push(host);
  const page = await app(host);

  // Ctrl+Shift+4 opens the gallery: one card per guided experiment, none of the user's yet.
  await page.keyboard.press('Control+Shift+Digit4');
  await page.waitForSelector('[data-testid=app][data-workspace=experiments]');
  await page.waitForSelector('[data-testid=exp-card]');
  assert.equal(await page.locator('[data-testid=exp-card]').count(), EXPERIMENTS.length);
  assert.equal(await page.locator('[data-testid=exp-saved-card]').count(), 0);
  const rfCard = page.locator('[data-testid=exp-card][data-experiment=receptive-field]');
  assert.match(await rfCard.innerText(), /Receptive field/i);
  assert.match(await rfCard.innerText(), /Not run yet/);

  // The computed experiment: its verdict comes from the graphs' receptive fields and parameter counts.
  await openCard(page, 'receptive-field');
  assert.match(await page.locator('[data-testid=exp-formula]').innerText(), /RF/);
  await page.click('[data-testid=exp-start]');
  const rfVerdict = page.locator('[data-testid=exp-verdict]');
  await rfVerdict.waitFor({ timeout: 30_000 });
  assert.equal(await rfVerdict.getAttribute('data-direction'), 'supports');
  const rfText = await page.locator('[data-testid=exp-verdict-text]').innerText();
  assert.match(rfText, /Three 3×3 convs reach 7×7 like one 7×7 \(7×7\) with [\d,]+ instead of [\d,]+ parameters/);
  const rfTable = await page.locator('[data-testid=exp-measures]').innerText();
  assert.match(rfTable, /receptive field/);
  assert.equal(await page.locator('[data-testid=rf-fig]').count(), 5);
  await shot(page, 'receptive-field');

  // A trained experiment: three variants train one after another; progress shows live, then the verdict.
  await openCard(page, 'initialization');
  await page.click('[data-testid=exp-start]');
  await page.waitForSelector('[data-testid=exp-running]', { timeout: 20_000 });
  await page.waitForSelector('[data-testid=exp-variant-row][data-state=training]', { timeout: 30_000 });
  assert.match(await page.locator('[data-testid=exp-verdict-empty]').innerText(), /verdict is computed when every variant has finished/);
  const initVerdict = page.locator('[data-testid=exp-verdict]');
  await initVerdict.waitFor({ timeout: 150_000 });
  assert.equal(await page.locator('[data-testid=exp-variant-row][data-state=completed]').count(), 3);
  const initText = await page.locator('[data-testid=exp-verdict-text]').innerText();
  assert.match(initText, /Activation std of the last ReLU layer over the first, at initialisation: He normal [\d.e-]+ .*Validation accuracy after 1 epoch: He normal \d+\.\d%/);
  assert.ok(['supports', 'contradicts', 'inconclusive'].includes((await initVerdict.getAttribute('data-direction')) ?? ''));
  // Numbers in the measured table, and one line per variant in the per-layer chart.
  const rows = await page.locator('[data-testid=exp-measures] tbody tr').allInnerTexts();
  assert.equal(rows.length, 3);
  for (const r of rows) assert.match(r, /\d/);
  await page.locator('[data-testid=exp-chart-layers-activation] .recharts-line-curve').nth(2).waitFor();
  assert.equal(await page.locator('[data-testid=exp-chart-layers-activation] .recharts-line-curve').count(), 3);
  await shot(page, 'initialization');

  // Save a comparison of two of its runs; the engine evaluates it from their logs.
  await page.click('[data-testid=exp-back]');
  await page.click('[data-testid=exp-save-open]');
  await page.waitForSelector('[data-testid=exp-save-run]');
  await page.fill('[data-testid=exp-save-title]', 'He vs small init');
  const runs = page.locator('[data-testid=exp-save-run]');
  const names = await runs.allInnerTexts();
  const he = names.findIndex((n) => /He normal/.test(n));
  const small = names.findIndex((n) => /std 0\.01/.test(n));
  assert.ok(he >= 0 && small >= 0, `runs listed: ${names.join(' | ')}`);
  await runs.nth(he).locator('input').check();
  await runs.nth(small).locator('input').check();
  await page.selectOption('[data-testid=exp-save-expected]', { index: 1 });
  await page.click('[data-testid=exp-save-confirm]');
  await page.waitForSelector('[data-testid=exp-detail][data-experiment=he-vs-small-init]');
  const userVerdict = page.locator('[data-testid=exp-verdict]');
  await userVerdict.waitFor({ timeout: 30_000 });
  assert.match(await page.locator('[data-testid=exp-verdict-text]').innerText(), /Final validation accuracy: .*\d+\.\d%/);
  assert.ok(['supports', 'contradicts'].includes((await userVerdict.getAttribute('data-direction')) ?? ''), 'with an expected best, the verdict takes a side');
  await shot(page, 'saved');

  // After a reload the gallery shows each experiment's last verdict (read back from the host's store).
  await page.reload();
  await page.waitForSelector('[data-testid=app][data-ready=true]');
  await page.click('[data-testid=ws-experiments]');
  await page.waitForSelector('[data-testid=exp-card][data-experiment=receptive-field] [data-testid=verdict-badge]', { timeout: 20_000 });
  assert.equal(await page.locator('[data-testid=exp-card][data-experiment=receptive-field] [data-testid=verdict-badge]').getAttribute('data-direction'), 'supports');
  await page.waitForSelector('[data-testid=exp-card][data-experiment=initialization] [data-testid=verdict-badge]');
  await page.waitForSelector('[data-testid=exp-saved-card][data-experiment=he-vs-small-init] [data-testid=verdict-badge]');
  await shot(page, 'gallery');

  // Deleting the saved comparison (after a confirmation) leaves the gallery without it.
  await page.click('[data-testid=exp-saved-card][data-experiment=he-vs-small-init]');
  await page.click('[data-testid=exp-delete]');
  await page.click('[data-testid=confirm-ok]');
  await page.waitForSelector('[data-testid=exp-gallery]');
  assert.equal(await page.locator('[data-testid=exp-saved-card]').count(), 0);

  // "Open variants as projects" writes one project per variant on the host and opens the first in the editor.
  await openCard(page, 'receptive-field');
  await page.click('[data-testid=exp-projects]');
  await page.waitForSelector('[data-testid=app][data-workspace=editor]', { timeout: 20_000 });
  for (const v of ['stack3x3', 'single7x7', 'stack5x5', 'pooled', 'dilated']) assert.ok(existsSync(join(host.home, 'projects', 'experiments', 'receptive-field', `${v}.netsmith.json`)), v);
  await page.locator('[data-testid=doc-title]', { hasText: /receptive-field|stack3x3/ }).waitFor({ timeout: 10_000 });

  // Reload mid-run: the card and the detail page show the run's state at once (runningExperiments), the
  // finished variant as completed; Stop from the command palette; the gallery keeps the last complete verdict.
  await page.keyboard.press('Control+Shift+Digit4');
  await openCard(page, 'initialization');
  await page.click('[data-testid=exp-start]');
  await page.waitForSelector('[data-testid=exp-variant-row][data-state=completed]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid=exp-variant-row][data-state=training]', { timeout: 20_000 });
  await page.reload();
  await page.waitForSelector('[data-testid=app][data-ready=true]');
  await page.click('[data-testid=ws-experiments]');
  await page.waitForSelector('[data-testid=exp-card][data-experiment=initialization] [data-testid=exp-card-running]', { timeout: 5_000 });
  assert.match(await page.locator('[data-testid=exp-card][data-experiment=initialization]').innerText(), /Running · [12]\/3 variants/);
  await shot(page, 'gallery-running');
  await openCard(page, 'initialization');
  await page.waitForSelector('[data-testid=exp-running]', { timeout: 5_000 });
  assert.ok((await page.locator('[data-testid=exp-variant-row][data-state=pending]').count()) <= 1, 'earlier variants do not show as pending');
  assert.ok((await page.locator('[data-testid=exp-variant-row][data-state=completed]').count()) >= 1, 'the variant that finished before the reload shows as completed');
  await shot(page, 'detail-reloaded');
  await page.click('[data-testid=tool-palette]');
  await page.keyboard.type('stop the open experiment');
  await page.waitForSelector('[data-testid="command-experiment.stop"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid=exp-start]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid=exp-partial]', { timeout: 10_000 });
  await shot(page, 'detail-stopped');
  await page.click('[data-testid=exp-show-complete]');
  await page.waitForSelector('[data-testid=exp-stopped-later]');
  assert.equal(await page.locator('[data-testid=exp-partial]').count(), 0);
  assert.equal(await page.locator('[data-testid=exp-variant-row][data-state=completed]').count(), 3, 'the last complete verdict with its three variants');
  await page.click('[data-testid=exp-back]');
  const initCard = page.locator('[data-testid=exp-card][data-experiment=initialization]');
  await initCard.locator('[data-testid=exp-card-stopped]').waitFor({ timeout: 10_000 });
  assert.match(await initCard.innerText(), /a later attempt was stopped/);
  assert.equal(await initCard.locator('[data-testid=verdict-badge]').count(), 1, 'the last complete verdict stays on the card');
  await shot(page, 'gallery-stopped');
});
