import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { foldBatchNorm, foldedWeights, planBatchNormFolding } from '../../../../src/main/engine/export/fuseBatchNorm';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import { analyze, errorsOf } from '../../../../src/shared/graph/analyze';

const f32 = (...v: number[]): Float32Array => Float32Array.from(v);
const close = (a: ArrayLike<number>, b: number[], tol = 1e-6): void => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
};

describe('foldBatchNorm: W′ = W·γ/√(σ²+ε), b′ = (b − μ)·γ/√(σ²+ε) + β', () => {
  test('one channel, by hand', () => {
    // γ = 3, σ² + ε = 3.99 + 0.01 = 4 → s = 3/2 = 1.5. W = [2, −4] → [3, −6]; b′ = (0.5 − 0.25)·1.5 + 1 = 1.375.
    const bn = { gamma: f32(3), beta: f32(1), mean: f32(0.25), variance: f32(3.99), epsilon: 0.01 };
    const r = foldBatchNorm({ data: f32(2, -4), shape: [2, 1] }, { data: f32(0.5), shape: [1] }, bn);
    close(r.kernel.data, [3, -6]);
    assert.deepEqual(r.kernel.shape, [2, 1]);
    close(r.bias.data, [1.375]);
    // No conv bias: b′ = −μ·s + β = −0.375 + 1 = 0.625. A BatchNorm without affine: s = 1/2, b′ = −0.125.
    close(foldBatchNorm({ data: f32(2), shape: [1, 1, 1, 1] }, undefined, bn).bias.data, [0.625]);
    const plain = foldBatchNorm({ data: f32(2), shape: [1, 1, 1, 1] }, undefined, { mean: f32(0.25), variance: f32(3.99), epsilon: 0.01 });
    close(plain.kernel.data, [1]);
    close(plain.bias.data, [-0.125]);
  });

  test('the output channel is the fastest axis: conv [K, K, C_in, C_out] and depthwise [K, K, C, M] (channel c·M + m)', () => {
    const bn = { gamma: f32(1, 2, 3, 4), beta: f32(0, 0, 0, 0), mean: f32(0, 0, 0, 0), variance: f32(1, 1, 1, 1), epsilon: 0 };
    // Depthwise, C = 2, M = 2, K = 1: kernel[0, 0, c, m] feeds output channel c·2 + m.
    const dw = foldedWeights({ depthwise_kernel: { data: f32(1, 1, 1, 1), shape: [1, 1, 2, 2] } }, bn);
    close(dw.depthwise_kernel.data, [1, 2, 3, 4]);
    close(dw.bias.data, [0, 0, 0, 0]);
    // Conv 1×1, C_in = 2, C_out = 4.
    const conv = foldedWeights({ kernel: { data: new Float32Array(8).fill(1), shape: [1, 1, 2, 4] }, bias: { data: f32(1, 1, 1, 1), shape: [4] } }, bn);
    close(conv.kernel.data, [1, 2, 3, 4, 1, 2, 3, 4]);
    close(conv.bias.data, [1, 2, 3, 4]);
  });

  test('a channel count that does not fit the kernel is refused', () => {
    const bn = { mean: f32(0, 0, 0), variance: f32(1, 1, 1), epsilon: 0 };
    assert.throws(() => foldBatchNorm({ data: f32(1, 2, 3, 4), shape: [1, 1, 1, 4] }, undefined, bn), /cannot fold a BatchNorm of 3 channels/);
  });
});

describe('planBatchNormFolding', () => {
  const bnParams = { momentum: 0.1, epsilon: 1e-5, affine: true };
  const conv = { filters: 4, kernel: 3, stride: 1, padding: 'same', pad: 0, dilation: 1, groups: 1, bias: false };

  test('folds conv → BN and dense → BN, not a conv with a second consumer, nor a BN after an add or a transposed conv', () => {
    const b = new GraphBuilder({ name: 'plan', input: [8, 8, 4], task: 'segmentation' });
    const x = b.input();
    const c1 = b.add('core/conv2d', conv, x, { label: 'c1' });
    const bn1 = b.add('norm/batchnorm', bnParams, c1, { label: 'bn1' }); // folds
    const c2 = b.add('core/conv2d', conv, bn1, { label: 'c2' });
    const bn2 = b.add('norm/batchnorm', bnParams, c2, { label: 'bn2' }); // c2 also feeds the add: no
    const sum = b.add('merge/add', {}, [bn2, c2], { label: 'sum' });
    const bn3 = b.add('norm/batchnorm', bnParams, sum, { label: 'bn3' }); // after an add: no
    const t = b.add('core/conv2d_transpose', { filters: 4, kernel: 2, stride: 2 }, bn3, { label: 't' });
    const bn4 = b.add('norm/batchnorm', bnParams, t, { label: 'bn4' }); // transposed conv: no
    const dw = b.add('core/depthwise_conv2d', {}, bn4, { label: 'dw' });
    const bn5 = b.add('norm/batchnorm', bnParams, dw, { label: 'bn5' }); // folds
    b.add('head/segment', { classes: 2 }, bn5);
    const analysis = analyze(b.build());
    assert.deepEqual(errorsOf(analysis).map((e) => e.message), []);
    const { nodes, edges } = analysis.expanded;
    const label = new Map(nodes.map((n) => [n.id, n.label]));
    const plan = [...planBatchNormFolding(nodes, edges)].map(([src, bn]) => `${label.get(src)}→${label.get(bn)}`);
    assert.deepEqual(plan.sort(), ['c1→bn1', 'dw→bn5']);
  });
});
