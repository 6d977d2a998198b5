// The runner's task losses (python/netsmith_runner/tasks.py) against the lab's TF.js ones on the same numbers:
// the detection loss of detectionLoss.ts (every box loss, BCE and focal objectness, BCE and softmax classes,
// the ignore-IoU rule, hard negative mining, anchor-based and anchor-free heads) and segmentationLoss (cross-entropy or focal, Dice,
// logits coarser than the mask), value and gradient with respect to the head's outputs. The targets are the
// lab's (detectionTargets, from assignTargets), as the PyTorch engine sends them. Debian's torch, as in CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../../../../src/main/engine/data/batch';
import type { GtBox } from '../../../../src/main/engine/detect/assign';
import { priorTable, type DetectionLevel } from '../../../../src/main/engine/detect/levels';
import { PYTHON_ROOT } from '../../../../src/main/engine/torch/discover';
import { detectionTargets } from '../../../../src/main/engine/torch/tasks';
import { DetectionLoss, type DetectionLossOptions } from '../../../../src/main/engine/train/tasks/detectionLoss';
import { segmentationLoss } from '../../../../src/main/engine/train/tasks/segmentation';
import { lossConfig } from '../../../../src/main/engine/train/configMap';
import { LossConfigSchema } from '../../../../src/main/engine/train/losses';
import { trainConfigSchema } from '../../../../src/shared/training/config';
import { useCpu } from '../train/approx';

await useCpu();

const PYTHON = '/usr/bin/python3';
const HARNESS = `
import json, sys, torch
from netsmith_runner.tasks import DetectionLoss, SegmentationLoss
torch.set_default_dtype(torch.float32)
req = json.load(sys.stdin)
outs = [torch.tensor(o['data'], dtype=torch.float32).reshape(o['shape']).requires_grad_(True) for o in req['outputs']]
if req['kind'] == 'detection':
    fn = DetectionLoss(req['cfg'], torch.device('cpu'))
    loss, metric = fn(outs, fn.targets(req['targets']))
else:
    fn = SegmentationLoss(req['cfg'])
    loss, metric = fn(outs, torch.tensor(req['masks'], dtype=torch.long).reshape(req['maskShape']))
loss.backward()
print(json.dumps({'loss': loss.item(), 'metric': metric.item(), 'grads': [o.grad.reshape(-1).tolist() for o in outs]}))
`;

interface PyResult {
  loss: number;
  metric: number;
  grads: number[][];
}

function runPython(request: unknown): PyResult {
  const out = execFileSync(PYTHON, ['-c', HARNESS], { input: JSON.stringify(request), env: { ...process.env, PYTHONPATH: PYTHON_ROOT }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as PyResult;
}

/** A seeded pseudo-random stream (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const image = { h: 64, w: 64 };
const classes = 4;

/** Four images with 0–3 boxes each (one empty image), plus two boxes sharing a centre cell. */
function boxes(): Batch['boxes'] {
  const r = rng(11);
  const list = Array.from({ length: 4 }, (_, n) =>
    Array.from({ length: n === 2 ? 0 : 1 + (n % 3) }, () => ({ cls: Math.floor(r() * classes), x: 0.15 + 0.7 * r(), y: 0.15 + 0.7 * r(), w: 0.06 + 0.4 * r(), h: 0.06 + 0.4 * r() })),
  );
  list[3].push({ ...list[3][0], w: list[3][0].w * 0.7, cls: (list[3][0].cls + 1) % classes });
  return list;
}

function fakeBatch(): Batch {
  const b = boxes()!;
  return { size: b.length, shape: [64, 64, 3], numClasses: classes, x: new Float32Array(0), labels: new Int32Array(b.length), y: new Float32Array(0), soft: false, boxes: b, indices: new Int32Array(b.length) };
}

const gtOf = (batch: Batch): GtBox[][] => batch.boxes!.map((bs) => bs.map((b) => ({ cls: b.cls, box: [Math.fround(b.x), Math.fround(b.y), Math.fround(b.w), Math.fround(b.h)] as [number, number, number, number] })));

const LEVELS: Record<string, DetectionLevel[]> = {
  anchors: [
    { output: 0, stride: 8, gridH: 8, gridW: 8, classes, anchors: [[6, 8], [14, 12], [24, 30]] },
    { output: 1, stride: 16, gridH: 4, gridW: 4, classes, anchors: [[30, 22], [40, 44]] },
  ],
  'anchor-free': [{ output: 0, stride: 8, gridH: 8, gridW: 8, classes, anchors: [] }],
};

function detectionCase(kind: keyof typeof LEVELS, opts: DetectionLossOptions, seed: number): void {
  const levels = LEVELS[kind];
  const batch = fakeBatch();
  const r = rng(seed);
  const outputs = levels.map((l) => {
    const shape = [batch.size, l.gridH, l.gridW, Math.max(1, l.anchors.length) * (5 + classes)];
    return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (r() - 0.5) * 3), shape);
  });
  const priors = levels.map((l) => tf.tensor2d(priorTable(l), [priorTable(l).length / 4, 4]));
  const lab = new DetectionLoss(levels, image, priors, opts);
  const gt = gtOf(batch);
  const { value, grads } = tf.valueAndGrads((...outs: tf.Tensor[]) => lab.computeFor(outs, gt).loss)(outputs);
  const metric = lab.computeFor(outputs, gt).meanIoU.dataSync()[0];
  const py = runPython({
    kind: 'detection',
    cfg: {
      image,
      levels: levels.map((l) => ({ ...l, priors: Array.from(priorTable(l)) })),
      options: { boxLoss: opts.boxLoss, objectness: opts.objectness, classLoss: opts.classLoss, weights: opts.weights, ignoreIoU: opts.ignoreIoU, focalAlpha: opts.focalAlpha ?? 0.25, focalGamma: opts.focalGamma ?? 2, hardNegativeRatio: opts.hardNegativeRatio ?? 0 },
    },
    targets: detectionTargets(batch, levels, image, opts.anchorRatio),
    outputs: outputs.map((o) => ({ shape: o.shape, data: Array.from(o.dataSync()) })),
  });
  const want = value.dataSync()[0];
  assert.ok(Math.abs(py.loss - want) / want < 1e-5, `loss ${py.loss} (torch) vs ${want} (tf.js)`);
  assert.ok(Math.abs(py.metric - metric) < 1e-5, `mean IoU ${py.metric} vs ${metric}`);
  grads.forEach((g, i) => assertGradClose(py.grads[i], g.dataSync() as Float32Array, `output ${i}`));
  tf.dispose([value, ...grads, ...outputs, ...priors]);
}

/** Gradients agree element-wise within 1e-5 of the largest element. */
function assertGradClose(got: number[], want: Float32Array, what: string): void {
  assert.equal(got.length, want.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    worst = Math.max(worst, Math.abs(got[i] - want[i]));
  }
  assert.ok(scale > 0, `${what}: a zero gradient tests nothing`);
  assert.ok(worst <= 1e-5 * scale, `${what}: gradient differs by ${worst} (largest element ${scale})`);
}

const base: DetectionLossOptions = { boxLoss: 'ciou', objectness: 'bce', classLoss: 'bce', weights: { box: 5, obj: 1, cls: 3 }, ignoreIoU: 0.5, anchorRatio: 4 };
const cases: [string, keyof typeof LEVELS, Partial<DetectionLossOptions>][] = [
  ['the defaults (CIoU, BCE objectness with ignore IoU 0.5, BCE classes, anchor ratio 4)', 'anchors', {}],
  ['GIoU, focal objectness (α 0.3, γ 1.5), softmax classes', 'anchors', { boxLoss: 'giou', objectness: 'focal', classLoss: 'ce', focalAlpha: 0.3, focalGamma: 1.5 }],
  ['DIoU, no ignore rule, best anchor only', 'anchors', { boxLoss: 'diou', ignoreIoU: 1, anchorRatio: 1 }],
  ['IoU loss, a low ignore threshold (many ignored negatives)', 'anchors', { boxLoss: 'iou', ignoreIoU: 0.05 }],
  ['smooth L1 on the encoded offsets', 'anchors', { boxLoss: 'smooth_l1' }],
  ['an anchor-free head (centre sampling), CIoU', 'anchor-free', {}],
  ['an anchor-free head, smooth L1 on the log side distances, softmax classes', 'anchor-free', { boxLoss: 'smooth_l1', classLoss: 'ce' }],
  ['hard negative mining (3 negatives per positive, over both heads)', 'anchors', { hardNegativeRatio: 3 }],
  ['hard negative mining (ratio 2.5) with focal objectness on an anchor-free head', 'anchor-free', { hardNegativeRatio: 2.5, objectness: 'focal' }],
];
cases.forEach(([name, kind, o], i) => {
  test(`detection loss, ${name}: the runner's value and gradient equal the lab's`, { timeout: 120_000 }, () => detectionCase(kind, { ...base, ...o }, 100 + i));
});

function segmentationCase(loss: Record<string, unknown>, diceWeight: number, logitSize: number, seed: number): void {
  const config = trainConfigSchema.parse({ loss, segmentation: { diceWeight } });
  const k = 3;
  const [n, h, w] = [2, 16, 16];
  const r = rng(seed);
  const masks = Int32Array.from({ length: n * h * w }, (_, i) => (Math.floor(i / w) % h < 5 ? 0 : Math.floor(r() * k)));
  const logits = tf.tensor(Float32Array.from({ length: n * logitSize * logitSize * k }, () => (r() - 0.5) * 4), [n, logitSize, logitSize, k]);
  const maskTensor = tf.tensor3d(masks, [n, h, w], 'int32');
  const lab = segmentationLoss(config);
  const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => lab(x, maskTensor))(logits);
  const py = runPython({
    kind: 'segmentation',
    cfg: { pixel: LossConfigSchema.parse(lossConfig(config, 'segmentation')), diceWeight },
    outputs: [{ shape: logits.shape, data: Array.from(logits.dataSync()) }],
    masks: Array.from(masks),
    maskShape: [n, h, w],
  });
  const want = value.dataSync()[0];
  assert.ok(Math.abs(py.loss - want) / want < 1e-5, `loss ${py.loss} (torch) vs ${want} (tf.js)`);
  assertGradClose(py.grads[0], grad.dataSync() as Float32Array, 'logits');
  tf.dispose([value, grad, logits, maskTensor]);
}

for (const [name, loss, dice, size] of [
  ['cross-entropy + Dice', { name: 'cross_entropy' }, 1, 16],
  ['cross-entropy with label smoothing, no Dice', { name: 'cross_entropy', labelSmoothing: 0.1 }, 0, 16],
  ['multiclass focal (γ 2) + 0.5 Dice', { name: 'focal', focalGamma: 2 }, 0.5, 16],
  ['cross-entropy + Dice on logits at half the mask size (bilinear resize, as tf.image.resizeBilinear)', { name: 'cross_entropy' }, 1, 8],
  ['cross-entropy on logits at 6/16 of the mask size', { name: 'cross_entropy' }, 0, 6],
] as const) {
  test(`segmentation loss, ${name}: the runner's value and gradient equal the lab's`, { timeout: 120_000 }, () => segmentationCase(loss, dice, size, 7));
}
