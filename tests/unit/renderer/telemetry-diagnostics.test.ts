import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LayerProbe } from '../../../src/shared/training/telemetry';
import { bnGap, diagnose, fitVerdict, gradientDiagnostic, gradientEnds, gradientFlow, gradientFlowRecent } from '../../../src/shared/training/diagnostics';

const weights = (norms: number[], prefix = 'dense'): LayerProbe[] => norms.map((g, i) => ({ node: `${prefix}_${i + 1}`, layer: `${prefix}_${i + 1}`, kind: 'weights', gradNorm: g, weightNorm: 1 }));
const sigmoid = (n: number): LayerProbe[] =>
  Array.from({ length: n }, (_, i) => ({ node: `sigmoid_${i + 1}`, layer: `sigmoid_${i + 1}`, kind: 'activation', activation: { mean: 0.5, std: 0.1, hist: { min: 0, max: 1, counts: [1] }, saturatedFraction: 0.1 } }));

// Per-layer gradient norms measured on a 20-layer sigmoid MLP and on its residual+BN twin (step 0, MNIST).
const PLAIN = [1.5e-12, 4.2e-13, 5.9e-13, 2.7e-12, 1.3e-11, 5e-11, 2.4e-10, 1.1e-9, 4.8e-9, 1.7e-8, 8e-8, 4.6e-7, 1.9e-6, 9.1e-6, 3.4e-5, 1.4e-4, 6.9e-4, 2.5e-3, 1.1e-2, 4.3e-2, 1.8e-1, 6e-1];
const RESIDUAL = [19, 0.46, 0.4, 0.42, 0.42, 0.41, 0.4, 0.37, 0.35, 0.36, 0.38, 0.4, 0.37, 0.35, 0.41, 0.47, 0.39, 0.37, 0.34, 0.38, 0.38, 48];

test('gradient ends are geometric means of the first and last quarter', () => {
  const { inputEnd, outputEnd } = gradientEnds([1e-4, 1e-2, 1, 1, 1, 1, 1, 100]);
  assert.ok(Math.abs(inputEnd - 1e-3) < 1e-12);
  assert.ok(Math.abs(outputEnd - 10) < 1e-9);
});

test('a plain deep sigmoid network has a vanishing gradient; its residual+BN twin does not', () => {
  const plain = gradientFlow(weights(PLAIN));
  assert.equal(plain.status, 'vanishing');
  assert.ok(plain.orders < -8);
  assert.ok(plain.affected.length >= 15);
  assert.equal(plain.affected[0].node, 'dense_1', 'starts at the input end');
  const res = gradientFlow(weights(RESIDUAL));
  assert.equal(res.status, 'ok');
  assert.deepEqual(res.affected, []);
});

test('the vanishing diagnostic links the notes\' fixes to nodes', () => {
  const probe = [...weights(PLAIN), ...sigmoid(20)];
  const d = gradientDiagnostic(gradientFlow(probe), probe, { hasResidual: false, init: 'auto' })!;
  assert.equal(d.id, 'vanishing');
  assert.equal(d.severity, 'error');
  const ids = d.fixes.map((f) => f.id);
  assert.deepEqual(ids, ['relu', 'he-init', 'batchnorm', 'residual']);
  assert.equal(d.fixes[0].nodes.length, 20, 'ReLU: every sigmoid node');
  assert.ok(d.fixes[1].nodes.includes('dense_1'));
  // With BN and residuals already in the graph, those fixes are not offered.
  const withBn: LayerProbe[] = [...probe, { node: 'bn', layer: 'bn', kind: 'batchnorm' }];
  const d2 = gradientDiagnostic(gradientFlow(withBn), withBn, { hasResidual: true, init: 'he_normal' })!;
  assert.deepEqual(d2.fixes.map((f) => f.id), ['relu']);
});

test('exploding gradients: large norms, growth towards the input, or non-finite', () => {
  assert.equal(gradientFlow(weights([5e3, 1, 1, 1])).status, 'exploding');
  assert.equal(gradientFlow(weights([300, 100, 1, 1, 1, 1, 1, 0.5])).status, 'exploding');
  const nan = gradientFlow(weights([NaN, 1, 1]));
  assert.equal(nan.status, 'exploding');
  const d = gradientDiagnostic(nan, weights([NaN, 1, 1]), { clip: 'none' })!;
  assert.match(d.message, /not finite/);
  assert.deepEqual(d.fixes.map((f) => f.id).slice(0, 2), ['clipping', 'lower-lr']);
  assert.equal(gradientFlow(weights([1, 0.5, 0.3, 0.8])).status, 'ok');
  assert.equal(gradientFlow(weights([1])).status, 'unknown');
});

test('the recent verdict is the median: one odd probe does not flip it', () => {
  const v = gradientFlowRecent([weights(PLAIN), weights(RESIDUAL), weights(PLAIN)]);
  assert.equal(v.status, 'vanishing');
  const w = gradientFlowRecent([weights(RESIDUAL), weights(PLAIN), weights(RESIDUAL)]);
  assert.equal(w.status, 'ok');
});

test('overfitting: validation loss turns up while training loss keeps falling', () => {
  const rows = [2, 1.2, 0.8, 0.6, 0.5, 0.4].map((t, i) => ({ epoch: i + 1, trainLoss: t, valLoss: [2.1, 1.3, 0.95, 0.9, 0.97, 1.05][i] }));
  const v = fitVerdict(rows);
  assert.equal(v.status, 'overfitting');
  assert.equal(v.turnEpoch, 4);
  assert.ok(Math.abs(v.gap - 0.65) < 1e-9);
  // Both falling: fine.
  assert.equal(fitVerdict(rows.slice(0, 4)).status, 'ok');
  // Validation noise of +1 % is not overfitting.
  assert.equal(fitVerdict([{ epoch: 1, trainLoss: 1, valLoss: 1 }, { epoch: 2, trainLoss: 0.8, valLoss: 0.9 }, { epoch: 3, trainLoss: 0.7, valLoss: 0.909 }, { epoch: 4, trainLoss: 0.6, valLoss: 0.905 }]).status, 'ok');
});

test('underfitting: both losses stay high relative to chance', () => {
  const chance = Math.log(10);
  const rows = [{ epoch: 1, trainLoss: 2.3, valLoss: 2.31 }, { epoch: 2, trainLoss: 2.29, valLoss: 2.3 }];
  assert.equal(fitVerdict(rows, { chanceLoss: chance }).status, 'underfitting');
  assert.equal(fitVerdict(rows.slice(0, 1), { chanceLoss: chance }).status, 'ok', 'needs two epochs');
  assert.equal(fitVerdict([{ epoch: 1, trainLoss: 0.5, valLoss: 0.6 }, { epoch: 2, trainLoss: 0.3, valLoss: 0.4 }], { chanceLoss: chance }).status, 'ok');
});

test('BatchNorm gap: batch vs running statistics', () => {
  const same = bnGap({ runningMean: [0, 1], runningVar: [1, 4], batchMean: [0, 1], batchVar: [1, 4] });
  assert.ok(same.meanShift < 1e-9 && same.varShift < 1e-6);
  const off = bnGap({ runningMean: [0, 0], runningVar: [1, 1], batchMean: [1, -1], batchVar: [Math.E, Math.E] });
  assert.ok(Math.abs(off.meanShift - 1) < 1e-4);
  assert.ok(Math.abs(off.varShift - 1) < 1e-4);
});

test('diagnose gathers verdicts, most severe first', () => {
  const probe: LayerProbe[] = [
    ...weights(PLAIN),
    { node: 'relu_1', layer: 'relu_1', kind: 'activation', activation: { mean: 0, std: 0, hist: { min: 0, max: 0, counts: [1] }, deadFraction: 0.7 } },
  ];
  const d = diagnose({ probes: [probe], epochs: [{ epoch: 1, trainLoss: 2.3, valLoss: 2.3 }, { epoch: 2, trainLoss: 2.3, valLoss: 2.3 }], chanceLoss: Math.log(10) });
  assert.deepEqual(d.map((x) => x.id), ['vanishing', 'dead-relu', 'underfitting']);
  assert.deepEqual(d[1].nodes, ['relu_1']);
});
