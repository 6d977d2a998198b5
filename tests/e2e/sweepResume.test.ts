// End to end: a sweep stopped and resumed from the sweep view; then its host killed with SIGKILL mid-sweep, a new
// host started on the same home lists it as interrupted, and Resume in the UI finishes it without training a finished
// trial again.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { sweepDocSchema, type SweepDoc } from '../../src/shared/sweeps/types';
import { newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const home = mkdtempSync(join(tmpdir(), 'netsmith-e2e-sweep-resume-'));
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  for (const h of hosts) await h.stop().catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
});

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/sweep-${name}.png`, fullPage: false });
}

const sweepOnDisk = (): SweepDoc => {
  const [id] = readdirSync(join(home, 'sweeps'));
  return sweepDocSchema.parse(JSON.parse(readFileSync(join(home, 'sweeps', id, 'sweep.json'), 'utf8')));
};

test('sweeps: Stop and Resume in the sweep view; a host killed mid-sweep leaves it interrupted, and Resume finishes it', { timeout: 600_000 }, async () => {
  const host = await startHost({ home });
  hosts.push(host);
  let session = await openBrowser(host.url);
  sessions.push(session);
  let page = session.page;
  await page.setViewportSize({ width: 1400, height: 900 });
  await readyApp(page);
  await newFromTemplate(page, 'lenet_mnist');
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  if (!(await page.locator('[data-testid=train-limit]').isVisible())) await page.click('[data-testid=tp-advanced] .tp-section-head');
  await page.fill('[data-testid=train-epochs]', '3');
  await page.fill('[data-testid=train-batch]', '32');
  await page.fill('[data-testid=train-limit]', '800');
  await page.fill('[data-testid=val-limit]', '200');
  await page.fill('[data-testid=train-probe-every]', '0');
  await page.locator('[data-testid=train-epochs]').press('Tab');

  await page.locator('[data-testid=sweep-new]:not([disabled])').click({ timeout: 30_000 });
  await page.waitForSelector('[data-testid=sweep-dialog]');
  const lr = page.locator('[data-testid=sweep-row][data-key=lr]');
  await lr.locator('[data-testid=sweep-row-lo]').fill('1e-3');
  await lr.locator('[data-testid=sweep-row-hi]').fill('1e-2');
  await page.selectOption('[data-testid=sweep-strategy]', 'random');
  await page.fill('[data-testid=sweep-trials]', '3');
  await page.fill('[data-testid=sweep-parallel]', '1');
  await page.locator('[data-testid=sweep-prune]').selectOption('none');
  await page.click('[data-testid=sweep-start]');
  await page.waitForSelector('[data-testid=sweep-dialog]', { state: 'detached' });

  // Stop once the first trial has trained an epoch: the sweep is stopped, its trial interrupted, and Resume is offered.
  await page.locator('[data-testid=sweep-trial][data-state=running]', { hasText: 'ep)' }).first().waitFor({ timeout: 120_000 });
  await page.click('[data-testid=sweep-stop]');
  await page.locator('[data-testid=sweep-view][data-state=stopped]').waitFor({ timeout: 120_000 });
  await page.locator('[data-testid=sweep-trial][data-state=interrupted]').first().waitFor();
  assert.equal(await page.locator('[data-testid=sweep-stop]').count(), 0);
  assert.equal(sweepOnDisk().state, 'stopped');
  await shot(page, 'stopped');
  const trialsAtStop = await page.locator('[data-testid=sweep-trial]').count();

  // Resume: the interrupted trial continues its run, then the others start.
  await page.click('[data-testid=sweep-resume]');
  await page.locator('[data-testid=sweep-view][data-state=running]').waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=sweep-stop]').waitFor();
  await shot(page, 'resumed');
  assert.equal(await page.locator('[data-testid=sweep-trial]').count(), trialsAtStop, 'no trial was added for the one in flight');

  // Kill the host (SIGKILL) once a trial has finished and the next one trains.
  await page.locator('[data-testid=sweep-trial][data-state=completed]').first().waitFor({ timeout: 180_000 });
  await page.locator('[data-testid=sweep-trial][data-state=running]').first().waitFor({ timeout: 60_000 });
  await host.kill();
  await session.close();
  const atKill = sweepOnDisk();
  assert.equal(atKill.state, 'running', 'sweep.json is whole and still says running');
  const finished = atKill.results.filter((t) => t.state === 'completed');
  assert.ok(finished.length >= 1 && atKill.results.some((t) => t.state === 'running'), JSON.stringify(atKill.results.map((t) => t.state)));

  // A new host on the same home: the sweep is listed as interrupted.
  const host2 = await startHost({ home });
  hosts.push(host2);
  session = await openBrowser(host2.url);
  sessions.push(session);
  page = session.page;
  await page.setViewportSize({ width: 1400, height: 900 });
  await readyApp(page);
  await page.click('[data-testid=ws-training]');
  const item = page.locator(`[data-testid=sweep-list] li:has([data-sweep="${atKill.id}"])`);
  await item.locator('.pill.state-interrupted').waitFor({ timeout: 30_000 });
  await page.click(`[data-testid=sweep-open][data-sweep="${atKill.id}"]`);
  await page.locator('[data-testid=sweep-view][data-state=interrupted]').waitFor();
  await page.locator('[data-testid=sweep-trial][data-state=interrupted]').first().waitFor();
  await shot(page, 'interrupted-after-kill');

  // Resume finishes it: every trial completed, the finished ones with their own runs, not trained again.
  await page.click('[data-testid=sweep-resume]');
  await page.locator('[data-testid=sweep-view][data-state=completed]').waitFor({ timeout: 300_000 });
  assert.equal(await page.locator('[data-testid=sweep-view] [data-testid=sweep-trial]').count(), 3);
  assert.equal(await page.locator('[data-testid=sweep-trial][data-state=completed]').count(), 3);
  assert.equal(await page.locator('[data-testid=sweep-progress]').innerText(), '3');
  await shot(page, 'completed-after-resume');
  const done = sweepOnDisk();
  assert.equal(done.state, 'completed');
  for (const t of finished) {
    assert.equal(done.results[t.index].runId, t.runId, `trial ${t.index + 1} kept its run`);
    assert.deepEqual(done.results[t.index].curve, t.curve, `trial ${t.index + 1} was not trained again`);
  }
  const runs = readdirSync(join(home, 'runs'), { withFileTypes: true }).filter((d) => d.isDirectory());
  assert.equal(runs.length, 3 + done.results.reduce((n, t) => n + t.restarts, 0), 'one run per trial (plus any restarted from scratch)');
});
