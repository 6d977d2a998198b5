// End-to-end: a run whose host died mid-training shows as interrupted after the next start, and the Runs
// list resumes it from its checkpoint to the end.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RunRegistry } from '../../src/main/service/runs/registry';
import { templateById } from '../../src/shared/templates';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS ?? '/tmp/shots';
let host: Host;
let session: BrowserSession;
let runId: string;
let stderr = '';
let staleTemp = '';

before(async () => {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-e2e-recovery-'));
  // A LeNet run of 3 short epochs, cut off after its first checkpoint ...
  const registry = new RunRegistry(join(home, 'runs'));
  const run = await registry.startRun({ project: JSON.stringify(templateById('lenet_mnist')!.build()), dataset: 'mnist', config: { epochs: 3, batchSize: 64, trainLimit: 640, valLimit: 256, probeEvery: 50, backend: 'wasm', workers: 1 } });
  runId = run.id;
  const file = join(registry.runDir(run.id), 'run.json');
  while (!JSON.parse(readFileSync(file, 'utf8')).checkpoints?.last) await new Promise((r) => setTimeout(r, 100));
  await registry.kill(run.id);
  await registry.wait(run.id);
  await registry.dispose();
  // ... as a kill -9 of its host leaves it: run.json still says running, for a process that is gone.
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), state: 'running', error: undefined, pid: dead }));
  staleTemp = join(home, `.state.json.${dead}.0123456789ab.tmp`);
  writeFileSync(staleTemp, '{"recent":');
  host = await startHost({ home });
  stderr = host.stderr();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

test('an interrupted run is listed as such after a restart and resumes from the Runs list', { timeout: 240_000 }, async () => {
  // The seeded one, plus any checkpoint write the kill cut off.
  assert.match(stderr, /recovered: 1 run interrupted by the last session marked resumable \(.+\); \d+ leftover temp files? of unfinished saves removed/);
  assert.equal(existsSync(staleTemp), false);
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  await page.click('[data-testid=ws-runs]');
  const row = page.locator(`[data-testid=run-row][data-run="${runId}"]`);
  await row.locator('.pill.state-interrupted').waitFor();
  assert.equal(await row.locator('.pill').textContent(), 'interrupted');
  await page.screenshot({ path: join(SHOTS, 'runs-interrupted-after-restart.png') });

  await row.locator('[data-testid=run-resume-row]').click();
  await row.locator('.pill.state-completed').waitFor({ timeout: 180_000 });
  assert.match((await row.textContent()) ?? '', /3\/3/);
  assert.equal(await row.locator('[data-testid=run-resume-row]').count(), 0);
  await page.screenshot({ path: join(SHOTS, 'runs-resumed-completed.png') });
  const lines = readFileSync(join(host.home, 'runs', runId, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; after?: string });
  assert.equal(lines.filter((l) => l.type === 'resume' && l.after === 'interrupted').length, 1);
});

test('saving when the recent-projects list cannot be written: saved, with a warning instead of a failure', { timeout: 120_000 }, async () => {
  // The recent list lives in state.json; a folder in its place makes every update of it fail.
  mkdirSync(join(host.home, 'state.json'), { recursive: true });
  const s = await openBrowser(host.url);
  try {
    const { page } = s;
    await readyApp(page);
    await page.click('[data-testid="tool-file.newFromTemplate"]');
    await page.click('[data-testid=template-lenet_mnist]');
    const confirm = page.locator('[data-testid=confirm-ok]');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await page.waitForSelector('[data-testid=templates-dialog]', { state: 'detached' });
    await page.keyboard.press('Control+S');
    await page.fill('[data-testid=saveas-path]', 'kept/lenet');
    await page.click('[data-testid=saveas-confirm]');
    const toast = page.locator('[data-testid=toast-info]').filter({ hasText: 'Saved, but the recent-projects list could not be updated' });
    await toast.waitFor();
    assert.equal(await toast.innerText(), 'kept/lenet.netsmith.json: Saved, but the recent-projects list could not be updated (file system error EISDIR)');
    assert.equal(await page.locator('[data-testid=toast-error]').count(), 0);
    assert.equal(await page.locator('[data-testid=dirty-marker]').count(), 0, 'the document is marked saved');
    await page.screenshot({ path: join(SHOTS, 'save-with-recent-list-warning.png') });
    assert.equal(JSON.parse(readFileSync(join(host.home, 'projects', 'kept', 'lenet.netsmith.json'), 'utf8')).format, 'netsmith.project');
  } finally {
    await s.close();
  }
});
