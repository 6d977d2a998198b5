import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../../../../src/main/engine/compile/compile';
import { createDataset } from '../../../../src/main/engine/data/array-dataset';
import { BatchIterator } from '../../../../src/main/engine/data/batch';
import { batchToTensors, disposeBatchTensors } from '../../../../src/main/engine/data/tensors';
import { TASK_ADAPTERS } from '../../../../src/main/engine/train/tasks';
import { crossEntropy } from '../../../../src/main/engine/train/losses';
import { trainConfigSchema } from '../../../../src/shared/training/config';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import { assertClose, useCpu } from '../train/approx';

before(useCpu);

// Two 4×4 validation images, 4 classes (class 3 never appears).
// image 0, truth      predicted        image 1: all background, predicted all background
//   0 0 1 1           0 0 1 1
//   0 0 1 1           0 1 1 1
//   2 2 0 0           2 2 2 0
//   2 2 0 0           0 2 0 0
const truth = [
  [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 0, 0, 2, 2, 0, 0],
  new Array<number>(16).fill(0),
];
const predicted = [
  [0, 0, 1, 1, 0, 1, 1, 1, 2, 2, 2, 0, 0, 2, 0, 0],
  new Array<number>(16).fill(0),
];
// Confusion (rows truth): t0 [22, 1, 1, 0], t1 [0, 4, 0, 0], t2 [1, 0, 3, 0], t3 [0, 0, 0, 0].
// IoU: 22/25, 4/5, 3/5, – → mIoU 0.76; Dice: 44/47, 8/9, 6/8; pixel accuracy 29/32.

const dataset = createDataset(
  { id: 'hand', name: 'hand-made', task: 'segmentation', classes: ['background', 'a', 'b', 'c'], source: 'test' },
  {
    shape: [4, 4, 3],
    images: Uint8Array.from({ length: 3 * 48 }, (_, i) => (i * 37) % 256),
    labels: Int32Array.from([1, -1, 1]),
    masks: Uint8Array.from([...truth[0], ...truth[1], ...truth[0]]),
    splits: { train: Int32Array.from([2]), val: Int32Array.from([0, 1]), test: new Int32Array(0) },
  },
);

function segModel(classes: number): tf.LayersModel {
  const b = new GraphBuilder({ name: 'seg', task: 'segmentation', input: [4, 4, 3] });
  b.add('head/segment', { classes }, b.input());
  return compile(b.build(), { seed: 1 }).model;
}

/** Answers each predict() with logits whose argmax is the next image's `predicted` mask. */
function stub(real: tf.LayersModel): tf.LayersModel {
  const queue = predicted.map((m) => tf.tidy(() => tf.oneHot(tf.tensor1d(m, 'int32'), 4).mul(10).reshape([1, 4, 4, 4])));
  return { outputs: real.outputs, predict: () => queue.shift()! } as unknown as tf.LayersModel;
}

describe('segmentation adapter', () => {
  it('reports pixel accuracy, IoU and Dice per class and their means on a hand-made mask', async () => {
    const real = segModel(4);
    const adapter = TASK_ADAPTERS.segmentation!(dataset, trainConfigSchema.parse({}), real);
    assert.equal(adapter.metric, 'mIoU');
    const e = await adapter.evaluate(stub(real), dataset, 'val', { batchSize: 1 });
    const s = e.segmentation!;
    assertClose(s.pixelAccuracy, 29 / 32, 1e-12, 'pixel accuracy');
    assertClose(e.accuracy, 29 / 32, 1e-12, 'accuracy');
    assert.deepEqual(s.perClassIoU.slice(0, 3).map((v) => +v!.toFixed(12)), [22 / 25, 4 / 5, 3 / 5].map((v) => +v.toFixed(12)));
    assert.equal(s.perClassIoU[3], null, 'a class absent from the truth has no IoU');
    assertClose(s.mIoU, (22 / 25 + 4 / 5 + 3 / 5) / 3, 1e-12, 'mIoU');
    assertClose(e.headline, s.mIoU, 0, 'headline');
    assertClose(s.meanDice, (44 / 47 + 8 / 9 + 6 / 8) / 3, 1e-12, 'mean Dice');
    assert.deepEqual(e.confusion, [[22, 1, 1, 0], [0, 4, 0, 0], [1, 0, 3, 0], [0, 0, 0, 0]]);
    assert.ok(Number.isFinite(e.loss) && e.loss > 0);
    const [first] = e.samples!;
    assert.equal(e.samples!.length, 2);
    assert.deepEqual([...Buffer.from(first.mask!.truth, 'base64')], truth[0]);
    assert.deepEqual([...Buffer.from(first.mask!.predicted, 'base64')], predicted[0]);
  });

  it('refuses a head whose class count differs from the dataset', () => {
    assert.throws(() => TASK_ADAPTERS.segmentation!(dataset, trainConfigSchema.parse({}), segModel(3)), /3 channels per pixel but hand-made has 4 classes/);
  });

  it('trains on cross-entropy plus Dice: equal to CE alone with diceWeight 0, finite and falling', () => {
    const model = segModel(4);
    const t = batchToTensors(new BatchIterator(dataset, 'train', { batchSize: 1 }).batch(0, 0));
    const plain = TASK_ADAPTERS.segmentation!(dataset, trainConfigSchema.parse({ segmentation: { diceWeight: 0 } }), model);
    const logits = model.predict(t.x) as tf.Tensor;
    const ce = tf.tidy(() => plain.stepLoss([logits], t).loss.dataSync()[0]);
    assertClose(ce, tf.tidy(() => crossEntropy(logits, t.masks!).dataSync()[0]), 1e-6, 'CE');
    const adapter = TASK_ADAPTERS.segmentation!(dataset, trainConfigSchema.parse({}), model);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const optimizer = tf.train.adam(0.1);
    const losses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { value, grads } = tf.variableGrads(() => adapter.stepLoss([model.apply(t.x, { training: true }) as tf.Tensor], t).loss, variables);
      losses.push(value.dataSync()[0]);
      optimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
      tf.dispose([value, ...Object.values(grads)]);
    }
    assert.ok(losses.every(Number.isFinite));
    assert.ok(losses[19] < losses[0] * 0.7, `${losses[0]} → ${losses[19]}`);
    tf.dispose(logits);
    disposeBatchTensors(t);
  });
});
