// Dropout masks follow the run's seed once the worker seeds Math.random (tfjs seeds unseeded random ops from it).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { seedMathRandom } from '../../../../src/main/engine/train/seedRandom';

const original = Math.random;
after(() => {
  Math.random = original;
});

function mask(): number[] {
  return tf.tidy(() => Array.from(tf.dropout(tf.ones([64]), 0.5).dataSync()));
}

test('the same seed gives the same dropout masks; another seed or replica gives others', async () => {
  await tf.setBackend('cpu');
  seedMathRandom('run', 42);
  const a = [mask(), mask()];
  seedMathRandom('run', 42);
  const b = [mask(), mask()];
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0], a[1], 'successive steps draw new masks');
  seedMathRandom('run', 43);
  assert.notDeepEqual(mask(), a[0]);
  seedMathRandom('replica', 42, 1);
  assert.notDeepEqual(mask(), a[0]);
  assert.ok(a[0].every((v) => v === 0 || v === 2), 'inverted dropout scales kept units by 1/(1 − p)');
});
