import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent, SweepEvent } from '../../../src/shared/api';
import { LabService } from '../../../src/main/service/labService';
import { sweepsFor } from '../../../src/main/sweeps/service';
import { lenetMnist } from '../../../src/shared/templates/lenet';
import { FakeRuns } from './fakeRuns';

const home = mkdtempSync(join(tmpdir(), 'netsmith-sweep-svc-'));
after(() => rmSync(home, { recursive: true, force: true }));

test('LabService: start a sweep, follow its events, stop it, resume it to the end', async () => {
  const runs = new FakeRuns(150);
  const service = new LabService({ kind: 'browser', home, userHome: home, runs: runs as never, sweeps: sweepsFor(runs, home) });
  const events: SweepEvent[] = [];
  service.subscribe((e: LabEvent) => e.type === 'sweep' && events.push(e));
  const project = JSON.stringify(lenetMnist.build());
  await assert.rejects(service.startSweep({ project, dataset: 'mnist', space: { 'conv9.filters': { intUniform: [4, 8] } }, trials: 2 }), /conv9\.filters/);
  const started = await service.startSweep({ project, dataset: 'mnist', config: { epochs: 3 }, space: { lr: { logUniform: [1e-4, 1e-2] } }, trials: 4, strategy: 'random', pruner: { kind: 'none' } });
  assert.equal(started.state, 'running');
  assert.equal((started as unknown as { graph?: unknown }).graph, undefined, 'summaries carry no graph');
  await new Promise<void>((r) => {
    const t = setInterval(() => events.some((e) => e.phase === 'trial-epoch') && (clearInterval(t), r()), 10);
  });
  const stopped = await service.stopSweep({ id: started.id });
  assert.equal(stopped.state, 'stopped');
  assert.ok(stopped.results.some((t) => t.state === 'interrupted'));
  await assert.rejects(service.stopSweep({ id: started.id }), /not running/);
  const resumed = await service.resumeSweep({ id: started.id });
  assert.equal(resumed.state, 'running');
  await new Promise<void>((r) => {
    const t = setInterval(() => events.some((e) => e.phase === 'finished' && e.sweep.state === 'completed') && (clearInterval(t), r()), 10);
  });
  const done = await service.readSweep({ id: started.id });
  assert.equal(done.state, 'completed');
  assert.equal(done.results.length, 4);
  assert.ok(done.best && done.best.runId);
  assert.deepEqual((await service.listSweeps()).map((s) => s.id), [started.id]);
  await assert.rejects(service.resumeSweep({ id: started.id }), /finished all its trials/);
  await service.dispose();
});

test('LabService without a sweeps side answers no-engine', async () => {
  const service = new LabService({ kind: 'browser', home, userHome: home });
  await assert.rejects(service.listSweeps(), /sweeps need the training engine/);
  await service.dispose();
});
