import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  binaryCrossEntropy,
  crossEntropy,
  defaultLossConfig,
  diceLoss,
  focalLoss,
  huber,
  makeLoss,
  type LossConfigInput,
  meanAbsoluteError,
  meanSquaredError,
  smoothL1,
} from '../../../../src/main/engine/train/losses';
import { boxLoss, boxLossPerBox } from '../../../../src/main/engine/train/boxLosses';
import { assertAllClose, assertClose, useCpu, value } from './approx';

// Expected values marked "torch" come from tests/unit/engine/train/torch_reference.py (PyTorch 1.13,
// torchvision 0.14, float64); the others are worked out in the comments.

const logits = () => tf.tensor2d([
  [2, 1, 0.1],
  [0.5, 2.5, -1],
]);
const labels = () => tf.tensor1d([0, 2], 'int32');
const soft = () => tf.tensor2d([
  [0.7, 0.3, 0],
  [0, 0.4, 0.6],
]);
const weights = [1, 2, 0.5];

before(useCpu);

describe('crossEntropy', () => {
  it('matches the hand computation', () => {
    // row 1: logsumexp(2, 1, .1) = ln(7.389056 + 2.718282 + 1.105171) = 2.417030 → −ln p0 = 0.417030
    // row 2: logsumexp(.5, 2.5, −1) = ln(1.648721 + 12.182494 + 0.367879) = 2.653178 → −ln p2 = 3.653178
    // mean = 2.035104
    assertClose(value(crossEntropy(logits(), labels())), 2.035104112, 1e-6);
  });

  it('applies label smoothing as y(1−α) + α/K', () => {
    assertClose(value(crossEntropy(logits(), labels(), { labelSmoothing: 0.1 })), 2.000104112, 1e-6); // torch
    // smoothing a one-hot by hand gives the same as passing the smoothed distribution with α = 0
    const smoothed = tf.tensor2d([
      [0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3],
      [0.1 / 3, 0.1 / 3, 0.9 + 0.1 / 3],
    ]);
    assertClose(value(crossEntropy(logits(), smoothed)), 2.000104112, 1e-6);
  });

  it('weights classes like torch (divides by the summed weights of the targets)', () => {
    // (1·0.417030 + 0.5·3.653178) / (1 + 0.5) = 1.495746
    assertClose(value(crossEntropy(logits(), labels(), { classWeights: weights })), 1.49574608, 1e-6);
    assertClose(value(crossEntropy(logits(), labels(), { classWeights: weights, labelSmoothing: 0.1 })), 1.539409889, 1e-6); // torch
  });

  it('accepts soft labels (mixup/cutmix), with and without weights and smoothing', () => {
    assertClose(value(crossEntropy(logits(), soft())), 1.485104112, 1e-6); // torch
    assertClose(value(crossEntropy(logits(), soft(), { classWeights: weights, labelSmoothing: 0.2 })), 1.234111646, 1e-6); // torch
  });

  it('gives the same value from probabilities', () => {
    assertClose(value(crossEntropy(tf.softmax(logits()), labels(), { fromLogits: false })), 2.035104112, 1e-5);
  });

  it('has the gradient (softmax − target)/N', () => {
    const g = tf.grad((x: tf.Tensor) => crossEntropy(x, labels(), { labelSmoothing: 0.1 }))(logits());
    assertAllClose(g.dataSync(), [-0.1371660972, 0.1045498187, 0.03261627854, 0.04139060067, 0.4123217386, -0.4537123393], 1e-5); // torch
  });

  it('works per pixel on (N, H, W, K) maps', () => {
    const x = tf.tensor4d([2, 1, 0.1, 0.5, 2.5, -1], [1, 1, 2, 3]);
    const y = tf.tensor3d([0, 2], [1, 1, 2], 'int32');
    assertClose(value(crossEntropy(x, y)), 2.035104112, 1e-6);
  });

  it('rejects a target of the wrong shape', () => {
    assert.throws(() => crossEntropy(logits(), tf.tensor1d([0, 1, 2])), /target shape/);
  });
});

describe('binaryCrossEntropy', () => {
  const x = () => tf.tensor2d([
    [0.5, -1],
    [2, 0],
  ]);
  const y = () => tf.tensor2d([
    [1, 0],
    [0, 1],
  ]);

  it('matches BCEWithLogits and BCE on probabilities', () => {
    // terms: softplus(−.5) = .474077, softplus(−1) = .313262, softplus(2) = 2.126928, softplus(0) = .693147
    // mean = 3.607414/4 = .901853
    assertClose(value(binaryCrossEntropy(x(), y())), 0.9018534658, 1e-6);
    assertClose(value(binaryCrossEntropy(tf.sigmoid(x()), y(), { fromLogits: false })), 0.9018534658, 1e-5);
  });

  it('weights positives per class (pos_weight)', () => {
    assertClose(value(binaryCrossEntropy(x(), y(), { posWeight: [2, 0.5] })), 0.9337293143, 1e-6); // torch
  });

  it('is stable for large logits', () => {
    const v = value(binaryCrossEntropy(tf.tensor1d([100, -100]), tf.tensor1d([0, 1])));
    assertClose(v, 100, 1e-6);
  });
});

describe('focalLoss', () => {
  const x = () => tf.tensor2d([
    [0.5, -1],
    [2, 0],
  ]);
  const y = () => tf.tensor2d([
    [1, 0],
    [0, 1],
  ]);

  it('binary: −α_t(1−p_t)^γ log p_t like torchvision.sigmoid_focal_loss', () => {
    assertClose(value(focalLoss(x(), y())), 0.3286918123, 1e-6); // torch, α = .25, γ = 2
    assertClose(value(focalLoss(x(), y(), { alpha: null, gamma: 1.5 })), 0.5392310052, 1e-6); // torch
  });

  it('binary with γ = 0 and no α is BCE', () => {
    assertClose(value(focalLoss(x(), y(), { alpha: null, gamma: 0 })), 0.9018534658, 1e-6);
  });

  it('is positive (the notes drop the minus sign)', () => {
    assert.ok(value(focalLoss(x(), y())) > 0);
  });

  it('multiclass: softmax form, optional per-class α', () => {
    assertClose(value(focalLoss(logits(), labels(), { mode: 'multiclass' })), 1.757412456, 1e-6); // torch
    assertClose(value(focalLoss(logits(), labels(), { mode: 'multiclass', alpha: weights })), 0.8908293137, 1e-6); // torch
    assertClose(value(focalLoss(logits(), labels(), { mode: 'multiclass', gamma: 0 })), 2.035104112, 1e-6); // = CE
  });

  it('keeps a finite gradient when p_t reaches 1 with γ < 1', () => {
    const g = tf.grad((z: tf.Tensor) => focalLoss(z, tf.tensor1d([0], 'int32'), { mode: 'multiclass', gamma: 0.5 }))(tf.tensor2d([[200, 0, 0]]));
    for (const v of g.dataSync()) assert.ok(Number.isFinite(v));
  });
});

describe('regression losses', () => {
  // d = [.2, −1.5, 2, .4]
  const p = () => tf.tensor1d([0.2, -1.5, 3, 0.4]);
  const t = () => tf.tensor1d([0, 0, 1, 0]);

  it('MSE and L1', () => {
    assertClose(value(meanSquaredError(p(), t())), (0.04 + 2.25 + 4 + 0.16) / 4); // 1.6125
    assertClose(value(meanAbsoluteError(p(), t())), (0.2 + 1.5 + 2 + 0.4) / 4); // 1.025
  });

  it('smooth L1: 0.5d² if |d| < β else |d| − 0.5 (β = 1)', () => {
    // .02, 1.0, 1.5, .08 → 2.6/4 = .65
    assertClose(value(smoothL1(p(), t())), 0.65);
    // β = .5: .04, 1.25, 1.75, .16 → .8
    assertClose(value(smoothL1(p(), t(), 0.5)), 0.8);
  });

  it('Huber(δ) = δ·smoothL1(β = δ)', () => {
    // δ = 2: .02, 1.125, 2 (= 2·(2 − 1)), .08 → 3.225/4 = .80625
    assertClose(value(huber(p(), t(), 2)), 0.80625);
  });
});

describe('box losses on (cx, cy, w, h)', () => {
  // pair 1 overlaps (IoU 12/28), pair 2 is disjoint, pair 3 partly overlapping and off-centre
  const pred = () => tf.tensor2d([
    [5, 5, 4, 6],
    [10, 10, 2, 2],
    [0, 0, 4, 4],
  ]);
  const target = () => tf.tensor2d([
    [6, 5, 4, 4],
    [20, 20, 4, 2],
    [0.5, 0, 2, 3],
  ]);

  it('IoU loss 1 − I/U (hand: pair 1 has I = 3·4 = 12, U = 24 + 16 − 12 = 28)', () => {
    const per = boxLossPerBox(pred(), target(), 'iou').dataSync();
    assertClose(per[0], 1 - 12 / 28, 1e-6);
    assertClose(per[1], 1, 1e-6);
    assertClose(value(boxLoss(pred(), target(), 'iou')), 0.7321428584, 1e-6);
  });

  it('GIoU, DIoU, CIoU match torchvision', () => {
    assertClose(value(boxLoss(pred(), target(), 'giou')), 1.062057388, 1e-6);
    assertClose(value(boxLoss(pred(), target(), 'diou')), 0.9532040512, 1e-6);
    assertClose(value(boxLoss(pred(), target(), 'ciou')), 0.9540384944, 1e-6);
  });

  it('CIoU treats α as a constant in the gradient, like torchvision', () => {
    const g = tf.grad((b: tf.Tensor) => boxLoss(b, target(), 'ciou'))(pred());
    assertAllClose(
      g.dataSync(),
      [-0.07806035577, 0, -0.004014765062, 0.01944351407, -0.003606583039, -0.004967557769, -0.00972147575, -0.007290708366, -0.01041666663, 0, 0.03076325671, 0.03043465919],
      2e-5,
    );
  });

  it('CIoU gradient with very different aspect ratios (a differentiated α would give −0.1919, 0.0460)', () => {
    const p = tf.tensor2d([[0, 0, 1, 4]]);
    const t = tf.tensor2d([[0.5, 0, 4, 1]]);
    assertClose(value(boxLoss(p, t, 'ciou')), 1.033422965, 1e-6); // torch
    const g = tf.grad((b: tf.Tensor) => boxLoss(b, t, 'ciou'))(p);
    assertAllClose(g.dataSync(), [-0.03125, 0, -0.1549820352, 0.03679238331], 1e-5); // torch
  });

  it('is 0 for identical boxes', () => {
    for (const v of ['iou', 'giou', 'diou', 'ciou'] as const) assertClose(value(boxLoss(target(), target(), v)), 0, 1e-6, v);
  });
});

describe('diceLoss', () => {
  it('matches the per-class batch formula', () => {
    const x = tf.tensor4d([2, 0, -1, 0.5, 1.5, 0, 0, 0, 3, 1, -1, 0.5], [1, 2, 2, 3]);
    const y = tf.tensor3d([0, 1, 2, 0], [1, 2, 2], 'int32');
    assertClose(value(diceLoss(x, y)), 0.2710530583, 1e-6); // torch
    assertClose(value(diceLoss(x, y, { smooth: 1 })), 0.1919406613, 1e-6); // torch
  });

  it('is 0 for a perfect hard prediction and 1 for a disjoint one (binary, K = 1)', () => {
    // A = {0, 1}, B = {0, 1}: 1 − 2·2/(2 + 2) = 0; A = {0, 1}, B = {2, 3}: 1 − 0/4 = 1
    const mask = tf.tensor2d([[1, 1, 0, 0]]);
    assertClose(value(diceLoss(mask.reshape([1, 4, 1]), mask, { fromLogits: false })), 0, 1e-6);
    assertClose(value(diceLoss(mask.reshape([1, 4, 1]), tf.tensor2d([[0, 0, 1, 1]]), { fromLogits: false })), 1, 1e-6);
  });
});

describe('makeLoss', () => {
  it('builds each kind from its config with defaults', () => {
    assert.deepEqual(defaultLossConfig('cross_entropy'), { name: 'cross_entropy', fromLogits: true, labelSmoothing: 0 });
    assert.equal(defaultLossConfig('focal').gamma, 2);
    assert.equal(defaultLossConfig('box').variant, 'ciou');
    const ce = makeLoss({ name: 'cross_entropy', labelSmoothing: 0.1 });
    assertClose(value(ce(logits(), labels())), 2.000104112, 1e-6);
    const sl1 = makeLoss({ name: 'smooth_l1' });
    assertClose(value(sl1(tf.tensor1d([0.2, -1.5, 3, 0.4]), tf.tensor1d([0, 0, 1, 0]))), 0.65);
  });

  it('rejects invalid configs', () => {
    assert.throws(() => makeLoss({ name: 'cross_entropy', labelSmoothing: 2 }));
    assert.throws(() => makeLoss({ name: 'nope' } as never));
  });

  it('does not leak tensors, for any kind', () => {
    const cls: [LossConfigInput, tf.Tensor, tf.Tensor][] = [
      [{ name: 'cross_entropy', labelSmoothing: 0.1, classWeights: weights }, logits(), labels()],
      [{ name: 'bce', posWeight: 2 }, logits(), soft()],
      [{ name: 'focal' }, logits(), soft()],
      [{ name: 'focal', mode: 'multiclass', alpha: weights }, logits(), labels()],
      [{ name: 'mse' }, logits(), soft()],
      [{ name: 'l1' }, logits(), soft()],
      [{ name: 'smooth_l1' }, logits(), soft()],
      [{ name: 'huber', delta: 2 }, logits(), soft()],
      [{ name: 'box', variant: 'ciou' }, tf.tensor2d([[5, 5, 4, 6]]), tf.tensor2d([[6, 5, 4, 4]])],
      [{ name: 'dice' }, logits(), labels()],
    ];
    for (const [config, p, t] of cls) {
      const loss = makeLoss(config);
      const before = tf.memory().numTensors;
      const v = value(loss(p, t));
      assert.ok(Number.isFinite(v), config.name);
      assert.equal(tf.memory().numTensors, before, config.name);
    }
  });
});
