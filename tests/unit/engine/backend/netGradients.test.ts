// End to end: the gradients of small networks on wasm (with our kernels)
// equal those on the cpu backend.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { randomArray } from './helpers';

type Params = Record<string, { shape: number[]; values: Float32Array }>;
type Net = (p: Record<string, tf.Variable>, x: tf.Tensor4D) => tf.Scalar;

function params(shapes: Record<string, number[]>, seed: number): Params {
  const out: Params = {};
  Object.entries(shapes).forEach(([name, shape], i) => {
    out[name] = { shape, values: randomArray(shape.reduce((a, b) => a * b, 1), seed + i, 0.4) };
  });
  return out;
}

async function gradients(backend: string, net: Net, p: Params, xShape: number[]): Promise<Record<string, Float32Array>> {
  await tf.setBackend(backend);
  const vars: Record<string, tf.Variable> = {};
  for (const [name, v] of Object.entries(p)) vars[name] = tf.variable(tf.tensor(v.values, v.shape), true, `${backend}_${name}`);
  const x = tf.tensor4d(randomArray(xShape.reduce((a, b) => a * b, 1), 5, 1), xShape as [number, number, number, number]);
  const { grads } = tf.variableGrads(() => net(vars, x), Object.values(vars));
  const out: Record<string, Float32Array> = {};
  for (const name of Object.keys(p)) out[name] = Float32Array.from(await grads[`${backend}_${name}`].data());
  tf.dispose([x, ...Object.values(grads), ...Object.values(vars)]);
  return out;
}

function assertClose(wasm: Record<string, Float32Array>, cpu: Record<string, Float32Array>): void {
  for (const name of Object.keys(cpu)) {
    const scale = Math.max(1e-3, ...Array.from(cpu[name], Math.abs));
    let diff = 0;
    for (let i = 0; i < cpu[name].length; i++) diff = Math.max(diff, Math.abs(wasm[name][i] - cpu[name][i]));
    assert.ok(diff / scale <= 1e-3, `${name}: max diff ${diff} (largest |grad| ${scale})`);
  }
}

const convNet: Net = (p, x) => {
  let h: tf.Tensor = tf.relu(tf.add(tf.conv2d(x, p.c1 as tf.Tensor4D, 1, 'same'), p.b1));
  h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'same');
  const { mean, variance } = tf.moments(h, [0, 1, 2]);
  h = tf.batchNorm(h, mean, variance, p.beta as tf.Tensor1D, p.gamma as tf.Tensor1D, 1e-3);
  h = tf.relu(tf.conv2d(h as tf.Tensor4D, p.c2 as tf.Tensor4D, 2, 'same'));
  h = tf.depthwiseConv2d(h as tf.Tensor4D, p.dw as tf.Tensor4D, 1, 'same');
  h = tf.add(h, tf.conv2d(tf.avgPool(h as tf.Tensor4D, 1, 1, 'same'), p.c3 as tf.Tensor4D, 1, 'valid'));
  const flat = tf.reshape(h, [x.shape[0], -1]);
  const logits = tf.add(tf.matMul(flat, p.fc), p.fcb);
  const labels = tf.oneHot(tf.tensor1d([1, 3, 0], 'int32'), 4);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
};
const convShapes = { c1: [3, 3, 2, 8], b1: [8], beta: [8], gamma: [8], c2: [3, 3, 8, 12], dw: [3, 3, 12, 2], c3: [1, 1, 24, 24], fc: [3 * 3 * 24, 4], fcb: [4] };

const attentionNet: Net = (p, x) => {
  const [b, h, w, c] = x.shape;
  const t = h * w;
  const tokens = tf.add(tf.reshape(x, [b, t, c]), p.pos);
  const mean = tf.mean(tokens, -1, true);
  const centered = tf.sub(tokens, mean);
  const ln = tf.mul(tf.div(centered, tf.sqrt(tf.add(tf.mean(tf.square(centered), -1, true), 1e-6))), tf.tile(p.g, [b, t, 1]));
  const qkv = tf.reshape(tf.matMul(tf.reshape(ln, [b * t, c]), p.qkv), [b, t, 3, 2, c / 2]);
  const [q, k, v] = tf.unstack(tf.transpose(qkv, [2, 0, 3, 1, 4])).map((z) => tf.reshape(z, [b * 2, t, c / 2]));
  const att = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 0.5));
  const y = tf.reshape(tf.transpose(tf.reshape(tf.matMul(att, v), [b, 2, t, c / 2]), [0, 2, 1, 3]), [b, t, c]);
  const emb = tf.gather(p.emb, tf.tensor1d([0, 2, 2], 'int32'));
  const pooled = tf.add(tf.mean(y, 1), emb);
  return tf.mean(tf.square(tf.matMul(pooled, p.out))) as tf.Scalar;
};
const attentionShapes = { pos: [1, 9, 4], g: [1, 1, 4], qkv: [4, 12], emb: [3, 4], out: [4, 5] };

before(async () => {
  await initWasmBackend();
});

describe('network gradients: wasm equals cpu', () => {
  it('conv net (conv stride 1 and 2, maxpool, batchnorm, depthwise, dense)', async () => {
    const p = params(convShapes, 40);
    assertClose(await gradients('wasm', convNet, p, [3, 11, 11, 2]), await gradients('cpu', convNet, p, [3, 11, 11, 2]));
  });
  it('attention net (layernorm, tile, batched matmul, transposes, gather)', async () => {
    const p = params(attentionShapes, 80);
    assertClose(await gradients('wasm', attentionNet, p, [3, 3, 3, 4]), await gradients('cpu', attentionNet, p, [3, 3, 3, 4]));
  });
});
