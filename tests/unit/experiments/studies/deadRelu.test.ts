import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationOf } from '../../../../src/shared/experiments/catalog/activationsStudy';
import { runStudy } from './run';

test('dead-relu (seed 42, 2,000 images, 3 epochs at lr 0.2): ReLU units die, Leaky ReLU and GELU units do not; tanh saturates', async () => {
  const r = await runStudy('dead-relu', { trainLimit: 2000, valLimit: 300, epochs: 3 }, 42, ['relu', 'leaky_relu', 'gelu', 'tanh']);
  const s = Object.fromEntries(r.variants.map((v) => [v.variant, activationOf(v)!]));
  assert.ok(r.variants.every((v) => v.state === 'completed'), r.variants.map((v) => `${v.variant}: ${v.error ?? v.state}`).join('; '));
  assert.equal(s.relu.deadOverTime[0].step, 0);
  assert.ok(s.relu.maxDead > s.relu.deadOverTime[0].dead + 0.01, `ReLU dead units: ${s.relu.deadOverTime[0].dead} at step 0, peak ${s.relu.maxDead}`);
  assert.equal(s.leaky_relu.maxDead, 0);
  assert.ok(s.gelu.maxDead < s.relu.maxDead / 2, `GELU ${s.gelu.maxDead} vs ReLU ${s.relu.maxDead}`);
  assert.ok(s.tanh.finalSaturated! > 0.05, `tanh saturated ${s.tanh.finalSaturated}`);
  assert.equal(s.relu.finalSaturated, null);
});
