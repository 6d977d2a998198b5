// Hard negative mining in the detection loss (detectionLoss.ts, hardNegativeRatio): the mask, and the loss value
// against a by-hand sum of BCE terms over the positives and each image's hardest negatives.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { assignTargets, type GtBox } from '../../../../src/main/engine/detect/assign';
import { priorTable, type DetectionLevel } from '../../../../src/main/engine/detect/levels';
import { DetectionLoss, hardNegativeMask, type DetectionLossOptions } from '../../../../src/main/engine/train/tasks/detectionLoss';
import { assertClose, useCpu } from '../train/approx';

before(useCpu);

describe('hardNegativeMask', () => {
  it('keeps the positives and the k highest-loss negatives of each image', () => {
    const terms = tf.tensor2d([
      [0.5, 0.1, 0.9, 0.3, 2.0],
      [0.2, 0.4, 0.6, 0.8, 0.0],
    ]);
    const y = tf.tensor2d([
      [0, 0, 0, 0, 1],
      [0, 0, 0, 0, 0],
    ]);
    const mask = hardNegativeMask(terms, y, [2, 3]);
    assert.deepEqual(Array.from(mask.dataSync()), [1, 0, 1, 0, 1, 0, 1, 1, 1, 0]);
    tf.dispose([terms, y, mask]);
  });

  it('keeps every negative when k exceeds them, and every tie at the k-th value', () => {
    const terms = tf.tensor2d([[0.3, 0.3, 0.1, 0.7]]);
    const y = tf.tensor2d([[0, 0, 0, 1]]);
    assert.deepEqual(Array.from(hardNegativeMask(terms, y, [10]).dataSync()), [1, 1, 1, 1]);
    assert.deepEqual(Array.from(hardNegativeMask(terms, y, [1]).dataSync()), [1, 1, 0, 1]);
  });

  it('passes no gradient', () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(hardNegativeMask(t, tf.zeros([1, 3]), [1]).mul(t)))(tf.tensor2d([[1, 2, 3]]));
    // d/dt Σ mask·t = mask (the mask itself is a constant)
    assert.deepEqual(Array.from(g.dataSync()), [0, 0, 1]);
  });
});

describe('detection loss with hard negative mining', () => {
  // One anchor-free 4×4 head at stride 16 on 64×64 images: 16 predictions per image, 1 class.
  const level: DetectionLevel = { output: 0, stride: 16, gridH: 4, gridW: 4, classes: 1, anchors: [] };
  const image = { h: 64, w: 64 };
  const gt: GtBox[][] = [[{ cls: 0, box: [0.5, 0.5, 0.2, 0.2] }], [{ cls: 0, box: [0.2, 0.2, 0.15, 0.15] }, { cls: 0, box: [0.8, 0.8, 0.15, 0.15] }]];
  const objLogits = Array.from({ length: 32 }, (_, i) => Math.sin(i * 1.7) * 3);
  const raw = new Float32Array(32 * 6);
  objLogits.forEach((v, i) => (raw[i * 6 + 4] = v));
  const softplus = (x: number): number => Math.log1p(Math.exp(x));
  const withLoss = async <T>(o: Partial<DetectionLossOptions>, f: (loss: DetectionLoss, out: tf.Tensor) => T | Promise<T>): Promise<T> => {
    const priors = tf.tensor2d(priorTable(level), [16, 4]);
    const loss = new DetectionLoss([level], image, [priors], { boxLoss: 'iou', objectness: 'bce', classLoss: 'bce', weights: { box: 0, obj: 1, cls: 0 }, ignoreIoU: 1, anchorRatio: 1, ...o });
    const out = tf.tensor4d(raw, [2, 4, 4, 6]);
    const v = await f(loss, out);
    tf.dispose([priors, out]);
    return v;
  };
  const lossWith = (o: Partial<DetectionLossOptions>): Promise<number> => withLoss(o, (loss, out) => loss.computeFor([out], gt).loss.dataSync()[0]);
  const [positives] = assignTargets(gt, [level], image);
  const positiveRows = new Set(positives.map((p) => p.row));
  const perImage = [0, 1].map((n) => positives.filter((p) => p.image === n).length);

  /** Σ BCE over the positives and the k_n highest-loss negatives of each image, over the positives' count. */
  function byHand(ratio: number): number {
    let sum = 0;
    for (let n = 0; n < 2; n++) {
      const negatives: number[] = [];
      for (let j = 0; j < 16; j++) {
        const row = n * 16 + j;
        if (positiveRows.has(row)) sum += softplus(objLogits[row]) - objLogits[row];
        else negatives.push(softplus(objLogits[row]));
      }
      const k = ratio > 0 ? Math.round(ratio * Math.max(1, perImage[n])) : negatives.length;
      sum += negatives
        .sort((a, b) => b - a)
        .slice(0, k)
        .reduce((a, b) => a + b, 0);
    }
    return sum / positives.length;
  }

  it('equals the by-hand sum over the positives and each image’s hardest negatives', async () => {
    assert.ok(perImage[0] >= 1 && perImage[1] >= 2, `positives per image ${perImage}`);
    for (const ratio of [0, 1, 2, 3]) assertClose(await lossWith({ hardNegativeRatio: ratio }), byHand(ratio), 1e-5, `ratio ${ratio}`);
    assert.ok((await lossWith({ hardNegativeRatio: 1 })) < (await lossWith({})), 'mining leaves easy negatives out');
  });

  it('objectnessParts splits the objectness loss into positives, hard and easy negatives', async () => {
    for (const ratio of [0, 2]) {
      const parts = await withLoss({ hardNegativeRatio: ratio }, (loss, out) => loss.objectnessParts([out], gt, 0.1));
      assertClose((parts.positives + parts.hardNegatives + parts.easyNegatives) / positives.length, byHand(ratio), 1e-5, `sum at ratio ${ratio}`);
      assert.equal(parts.counts.positives, positives.length);
      assert.equal(parts.counts.positives + parts.counts.hardNegatives + parts.counts.easyNegatives, 32);
      const easy = objLogits.filter((v, row) => !positiveRows.has(row) && 1 / (1 + Math.exp(-v)) < 0.1);
      assert.equal(parts.counts.easyNegatives, easy.length);
      if (ratio === 0) assertClose(parts.easyNegatives, easy.reduce((a, v) => a + softplus(v), 0), 1e-5, 'easy negatives’ BCE');
    }
  });
});
