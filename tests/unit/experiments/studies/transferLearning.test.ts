import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transferOf } from '../../../../src/shared/experiments/catalog/transferLearning';
import { runStudy } from './run';

test('transfer-learning (seed 42, 50 labels, 15 epochs): fine-tuned and frozen backbones beat scratch; frozen trains fewer parameters, faster', async () => {
  const r = await runStudy('transfer-learning', {}, 42);
  const s = Object.fromEntries(r.variants.map((v) => [v.variant, transferOf(v)!]));
  for (const [id, m] of Object.entries(s)) {
    assert.equal(m.labelled, 50, id);
    assert.ok(m.accuracy > 0.6, `${id}: task B accuracy ${m.accuracy}`);
  }
  assert.ok(s.frozen.trainable < s.finetune.trainable, 'the frozen backbone is not trained');
  assert.equal(s.scratch.trainable, s.finetune.trainable);
  assert.equal(s.frozen.trainable, s.frozen_bn_train.trainable);
  assert.ok(s.frozen.trainSeconds < s.scratch.trainSeconds, `frozen ${s.frozen.trainSeconds}s vs scratch ${s.scratch.trainSeconds}s`);
  assert.ok(s.finetune.sourceSeconds > 0 && s.scratch.sourceSeconds === 0);
  assert.ok(s.finetune.accuracy > s.scratch.accuracy && s.frozen.accuracy > s.scratch.accuracy, `scratch ${s.scratch.accuracy}, fine-tune ${s.finetune.accuracy}, frozen ${s.frozen.accuracy}`);
  assert.equal(r.verdict.effect?.direction, 'supports');
  assert.match(r.verdict.text, /From scratch: \d+\.\d%/);
});
