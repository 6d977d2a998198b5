import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultScheduleConfig,
  learningRateAt,
  makeSchedule,
  sampleSchedule,
  ScheduleConfigSchema,
  type ScheduleConfigInput,
} from '../../../../src/main/engine/train/schedules';
import { assertClose } from './approx';

const at = (config: ScheduleConfigInput, step: number, total: number, perEpoch = 1) =>
  learningRateAt(ScheduleConfigSchema.parse(config), step, total, perEpoch);

describe('schedules', () => {
  it('constant', () => {
    assert.equal(at({ name: 'constant', lr: 0.01 }, 500, 1000), 0.01);
  });

  it('step decay: lr·γ^⌊epoch/stepSize⌋', () => {
    const c = { name: 'step', lr: 0.1, stepSize: 2, gamma: 0.5 } as const;
    assertClose(at(c, 0, 100, 10), 0.1);
    assertClose(at(c, 19, 100, 10), 0.1); // epoch 1
    assertClose(at(c, 20, 100, 10), 0.05); // epoch 2
    assertClose(at(c, 45, 100, 10), 0.025); // epoch 4
  });

  it('exponential: lr·γ^epoch', () => {
    assertClose(at({ name: 'exponential', lr: 1, gamma: 0.9 }, 12, 100, 5), 0.81); // epoch 2
    assertClose(at({ name: 'exponential', lr: 1, gamma: 0.9 }, 3, 100), 0.729); // per step
  });

  it('cosine with linear warmup', () => {
    const c = { name: 'cosine', lr: 1, warmupSteps: 10 } as const;
    assertClose(at(c, 0, 110), 0);
    assertClose(at(c, 5, 110), 0.5);
    assertClose(at(c, 10, 110), 1);
    assertClose(at(c, 35, 110), 0.5 * (1 + Math.cos(Math.PI / 4))); // progress ¼ → .853553
    assertClose(at(c, 60, 110), 0.5); // progress ½
    assertClose(at(c, 110, 110), 0);
    assertClose(at({ ...c, minLr: 0.1 }, 60, 110), 0.55);
    assertClose(at({ ...c, warmupStartFactor: 0.1 }, 0, 110), 0.1);
  });

  it('one-cycle matches torch OneCycleLR (steps 0, 10, 29, 30, 64, 99 of 100)', () => {
    // torch_reference.py: .04, .2951639485, 1, .9994965353, .500002, 4e-6
    const c = { name: 'onecycle', maxLr: 1 } as const;
    const expected: [number, number][] = [
      [0, 0.04],
      [10, 0.2951639485],
      [29, 1],
      [30, 0.9994965353],
      [64, 0.500002],
      [99, 4e-6],
    ];
    for (const [step, lr] of expected) assertClose(at(c, step, 100), lr, 1e-9, `step ${step}`);
  });

  it('samples evenly spaced points for the preview, ends included', () => {
    const pts = sampleSchedule({ name: 'cosine', lr: 1 }, 101, 5);
    assert.deepEqual(
      pts.map((p) => p.step),
      [0, 25, 50, 75, 100],
    );
    assertClose(pts[2].lr, 0.5 * (1 + Math.cos((Math.PI * 50) / 101))); // progress = step/totalSteps
    assert.equal(sampleSchedule({ name: 'constant' }, 3, 10).length, 3);
  });

  it('validates inputs and has defaults', () => {
    assert.throws(() => makeSchedule({ name: 'step', gamma: 2 }, 10));
    assert.throws(() => makeSchedule({ name: 'constant' }, 0));
    assert.throws(() => makeSchedule({ name: 'constant' }, 10)(-1));
    assert.deepEqual(defaultScheduleConfig('onecycle'), { name: 'onecycle', maxLr: 0.01, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 });
  });
});
