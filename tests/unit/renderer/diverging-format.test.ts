import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LayerProbe } from '../../../src/shared/training/telemetry';
import { diagnose, divergence, fitVerdict } from '../../../src/shared/training/diagnostics';
import { formatNumber, formatPercent, formatTick } from '../../../src/renderer/core/format';
import { axisNote, axisTicks, niceCeil, valueAxis } from '../../../src/renderer/core/axis';

// A real run: LeNet on MNIST with Adam at learning rate 100 (npm run cli -- train lenet_mnist --dataset mnist
// --epochs 2 --limit 1024 --lr 100): its step losses and the per-layer gradient norms of its probes.
const LOSSES = [3.92758, 2.61498e7, 1.26272e7, 333450, 76505.1, 810.496, 695.8];
const PROBES = [
  [2.38, 4.41, 13.1, 8.65, 6.07],
  [0, 0, 0, 6.13e4, 5.74e4],
  [0, 0, 0, 0, 200],
];
const EPOCHS = [
  { epoch: 1, trainLoss: 1266936844932325, valLoss: 416785.9355 },
  { epoch: 2, trainLoss: 188165.3682, valLoss: 706.0799 },
];
const layers = (norms: number[]): LayerProbe[] => norms.map((g, i) => ({ node: `n${i + 1}`, layer: `n${i + 1}`, kind: 'weights', gradNorm: g, weightNorm: 1 }));
const overall = (norms: number[]) => Math.sqrt(norms.reduce((s, n) => s + n * n, 0));

test('an exploding run is diagnosed from its loss: "Diverging", never "Vanishing gradient" or "Underfitting"', () => {
  // The latest probe: the first three layers get no gradient at all (their ReLUs died), the last one 200.
  const probes = [layers(PROBES[2])];
  const chance = Math.log(10);
  // Without the loss, the dead early layers (zero gradient) looked like a vanishing gradient: the old badge.
  const blind = diagnose({ probes, epochs: [], context: { lr: 100 } });
  assert.equal(blind[0]?.id, 'vanishing');
  const all = diagnose({ probes, epochs: EPOCHS, chanceLoss: chance, context: { lr: 100, clip: 'none', hasBatchNorm: false }, losses: LOSSES, gradNorms: PROBES.map(overall) });
  const ids = all.map((d) => d.id);
  assert.equal(ids[0], 'exploding');
  assert.ok(!ids.includes('vanishing') && !ids.includes('underfitting'), ids.join(', '));
  const d = all[0];
  assert.equal(d.title, 'Diverging: exploding loss');
  assert.equal(d.severity, 'error');
  assert.match(d.message, /rose from 3\.9 to 2\.6e7 at learning rate 100 \(now 700\)/);
  assert.deepEqual(d.fixes.map((f) => f.id), ['lower-lr', 'clipping', 'batchnorm']);
});

test('divergence: NaN loss, a blown-up loss, or gradients growing while the loss stalls; a healthy run is not flagged', () => {
  assert.equal(divergence([2.3, 2.1, NaN]).reason, 'non-finite');
  assert.equal(divergence(LOSSES).reason, 'loss');
  const stalled = divergence([2.3, 2.3, 2.31, 2.3, 2.32], [0.5, 0.6, 4, 80]);
  assert.equal(stalled.reason, 'gradient');
  assert.equal(stalled.gradGrowth, 160);
  const healthy = Array.from({ length: 200 }, (_, i) => 2.3 * Math.exp(-i / 60) + 0.05 * Math.sin(i));
  assert.equal(divergence(healthy, [1, 2, 1.5, 3]).diverging, false);
  // A noisy start (first loss above chance, then falling) is not divergence either.
  assert.equal(divergence([9, 4, 3, 2.5, 2, 1.5], [], Math.log(10)).diverging, false);
});

test('the epoch verdict calls losses far above chance "diverging", not "underfitting"', () => {
  const v = fitVerdict(EPOCHS, { chanceLoss: Math.log(10) });
  assert.equal(v.status, 'diverging');
  assert.match(v.message, /at epoch 1 the losses reached train 1\.3e15, validation 4\.2e5 \(guessing gives 2\.3\)/);
  assert.equal(fitVerdict([{ epoch: 1, trainLoss: NaN, valLoss: NaN }]).status, 'diverging');
});

test('one number formatter: exponent notation for huge and tiny values, NaN and ∞ as such', () => {
  assert.equal(formatNumber(787138710526251106304), '7.87e20', 'the "787138710526251106304k" loss');
  assert.equal(formatNumber(188165.3682), '188k');
  assert.equal(formatNumber(12345), '12.3k');
  assert.equal(formatNumber(2_500_000), '2.5e6');
  assert.equal(formatNumber(0.45678), '0.457');
  assert.equal(formatNumber(1), '1');
  assert.equal(formatNumber(-3.5e-5), '-3.5e-5');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(NaN), 'NaN');
  assert.equal(formatNumber(Infinity), '∞');
  assert.equal(formatNumber(-Infinity), '−∞');
  assert.equal(formatNumber(undefined), '—');
  assert.equal(formatTick(1e21), '1e21');
  assert.equal(formatNumber(1266936844932325), '1.27e15');
  assert.equal(formatPercent(0.103), '10.3%');
  assert.equal(formatPercent(NaN), 'NaN');
});

test('loss axes: round tops, clamped above outliers with a note, NaN/∞ ignored, widths that fit the labels', () => {
  assert.deepEqual([niceCeil(2.31), niceCeil(0.0007), niceCeil(180), niceCeil(2.6e7)], [2.5, 0.001, 200, 5e7]);
  const calm = valueAxis([2.3, 1.9, 1.2, 0.8]);
  assert.deepEqual(calm.domain, [0, 2.5]);
  assert.equal(calm.clipped, 0);
  assert.equal(axisNote(calm), '');
  // A diverging run that recovers: most points near 1, three in the millions.
  const spiky = valueAxis([...Array.from({ length: 60 }, (_, i) => 1 + i / 100), 2.6e7, 1.3e7, 3.3e5]);
  assert.deepEqual(spiky.domain, [0, 5]);
  assert.equal(spiky.clipped, 3);
  assert.equal(axisNote(spiky), '3 points above 5 are clipped (largest 2.6e7).');
  // All of it huge: no clamping, exponent labels and an axis wide enough for them.
  const huge = valueAxis([1.27e15, 4.2e5, 1.9e5, 7e2, NaN, Infinity]);
  assert.deepEqual(huge.domain, [0, 2e15]);
  assert.equal(huge.nonFinite, 2);
  assert.match(axisNote(huge), /2 are NaN\/∞ and not drawn/);
  assert.ok(huge.width >= formatTick(2e15).length * 6.5, `width ${huge.width}`);
  assert.deepEqual(valueAxis([]).domain, [0, 1]);
  assert.deepEqual(valueAxis([-0.3, 0.2]).domain, [-0.5, 0.2]);
});

test('axis ticks are round numbers, so their labels are exact', () => {
  assert.deepEqual(axisTicks(0, 2.5), [0, 0.5, 1, 1.5, 2, 2.5]);
  assert.deepEqual(axisTicks(0, 2e15), [0, 5e14, 1e15, 1.5e15, 2e15]);
  assert.deepEqual(axisTicks(-0.5, 0.2), [-0.4, -0.2, 0, 0.2]);
  assert.deepEqual(valueAxis([0.0004, 0.0009]).ticks, [0, 0.0002, 0.0004, 0.0006, 0.0008, 0.001]);
});
