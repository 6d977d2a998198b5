// Stop mid-epoch and resume: the steps go on from the exact next batch with the schedule's learning rate, as
// an uninterrupted run with the same seed; a checkpoint that does not fit restarts its epoch and says so.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { adaptToDataset } from '../../../../src/shared/graph/adapt';
import { templateById } from '../../../../src/shared/templates';
import { trainConfigSchema } from '../../../../src/shared/training/config';
import { makeSchedule } from '../../../../src/shared/training/schedules';
import { scheduleConfig } from '../../../../src/shared/training/schedulePreview';
import { selectBackend } from '../../../../src/main/engine/backend/select';
import { compile } from '../../../../src/main/engine/compile/compile';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { resumePoint, train, type Checkpoint, type EpochInfo, type ResumeInfo, type StepInfo } from '../../../../src/main/engine/train/trainer';

describe('resume after a stop mid-epoch', () => {
  let dataset: Dataset;
  before(async () => {
    await selectBackend({ prefer: 'wasm' });
    dataset = (await loadDataset('mnist', { seed: 1 })).dataset;
  });

  // 10 steps per epoch, 2 epochs, a cosine schedule with warmup: the LR differs at every step.
  const config = trainConfigSchema.parse({
    epochs: 2,
    batchSize: 32,
    trainLimit: 320,
    valLimit: 64,
    probeEvery: 0,
    workers: 1,
    seed: 7,
    optimizer: { name: 'adam', lr: 0.002 },
    schedule: { name: 'cosine', warmupEpochs: 1 },
  });
  const graph = () => adaptToDataset(templateById('lenet_mnist')!.build(), { name: 'mnist', shape: [28, 28, 1], classes: 10 }).graph;

  it('continues at the exact next step with the same learning rates and losses as an uninterrupted run', { timeout: 180_000 }, async () => {
    const whole: StepInfo[] = [];
    const wholeEpochs: EpochInfo[] = [];
    const a = compile(graph(), { seed: 3 });
    await train({ model: a.model, dataset, config, hooks: { step: (s) => whole.push(s), epoch: (e) => wholeEpochs.push(e) } });
    a.model.dispose();
    assert.deepEqual(whole.map((s) => s.step), Array.from({ length: 20 }, (_, i) => i + 1));

    // The same run, stopped after step 13 (epoch 2, batch 3 of 10).
    const b = compile(graph(), { seed: 3 });
    const before: StepInfo[] = [];
    let final: Checkpoint | undefined;
    const stopped = await train({
      model: b.model,
      dataset,
      config,
      hooks: {
        step: (s) => before.push(s),
        gate: async () => (before.length >= 13 ? 'stop' : 'continue'),
        checkpoint: async (c) => {
          if (c.reason === 'final') final = c;
        },
      },
    });
    assert.equal(stopped.reason, 'stopped');
    assert.ok(final);
    assert.equal(final.epoch, 1, 'one epoch completed');
    assert.equal(final.step, 13);
    assert.equal(final.partial?.batches, 3, 'the checkpoint knows 3 batches of epoch 2 are done');

    // Resume on the stopped model's weights with the checkpoint's optimizer state and progress.
    const after: StepInfo[] = [];
    const afterEpochs: EpochInfo[] = [];
    let resumed: ResumeInfo | undefined;
    await train({
      model: b.model,
      dataset,
      config,
      resume: { epoch: final.epoch, step: final.step, optimizer: final.optimizer, partial: final.partial },
      hooks: { step: (s) => after.push(s), epoch: (e) => afterEpochs.push(e), resumed: (r) => (resumed = r) },
    });
    b.model.dispose();

    assert.ok(resumed);
    assert.equal(resumed.exact, true);
    assert.equal(resumed.step, 13);
    assert.equal(resumed.batchInEpoch, 3);
    assert.match(resumed.message, /Resumed exactly after step 13 \(epoch 2, batch 3 of 10\)/);
    const steps = [...before, ...after].map((s) => s.step);
    assert.deepEqual(steps, Array.from({ length: 20 }, (_, i) => i + 1), 'every step once, in order');
    assert.deepEqual(after.map((s) => s.epoch), Array(7).fill(1), 'the resumed steps are in the second epoch (0-based 1)');
    const schedule = makeSchedule(scheduleConfig(config, 10), 20, 10);
    for (const s of [...before, ...after]) {
      const w = whole[s.step - 1];
      assert.equal(s.lr, w.lr, `lr at step ${s.step}`);
      // The learning rate follows the schedule at the global step (not a spent schedule after the resume).
      assert.equal(s.lr, schedule(s.step - 1));
      assert.ok(Math.abs(s.loss - w.loss) < 1e-4, `loss at step ${s.step}: ${s.loss} vs ${w.loss}`);
    }
    assert.equal(afterEpochs.length, 1);
    assert.equal(afterEpochs[0].epoch, 2);
    assert.ok(Math.abs(afterEpochs[0].train.loss - wholeEpochs[1].train.loss) < 1e-4, "the resumed epoch's train loss counts its first 3 batches too");
    assert.ok(Math.abs(afterEpochs[0].val.loss - wholeEpochs[1].val.loss) < 1e-3, 'the same validation loss at the end');
  });
});

describe('resumePoint', () => {
  const opt = { name: 'adam' as never, step: 0, slots: {} };
  it('at an epoch boundary: the next epoch from its first batch', () => {
    const p = resumePoint({ epoch: 2, step: 20, optimizer: opt }, 10);
    assert.deepEqual([p.epoch, p.step, p.info.batchInEpoch, p.info.exact], [2, 20, 0, true]);
    assert.equal(p.partial, undefined);
  });
  it('mid-epoch without stored sums (an older checkpoint): still exact, the position from the step', () => {
    const p = resumePoint({ epoch: 1, step: 14, optimizer: opt }, 10);
    assert.deepEqual([p.epoch, p.step, p.info.batchInEpoch, p.info.exact], [1, 14, 4, true]);
  });
  it('a checkpoint that does not fit the epoch length restarts the epoch and says so', () => {
    const p = resumePoint({ epoch: 1, step: 35, optimizer: opt, partial: { batches: 15, lossSum: 1, accSum: 1, seen: 1 } }, 10);
    assert.deepEqual([p.epoch, p.step, p.info.batchInEpoch, p.info.exact], [1, 10, 0, false]);
    assert.equal(p.partial, undefined);
    assert.match(p.info.message, /does not fit this run's 10 steps per epoch: epoch 2 restarts from its first batch at step 10/);
  });
});
