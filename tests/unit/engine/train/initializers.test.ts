import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  computeFans,
  defaultInitializerConfig,
  initialValue,
  targetStd,
  toTfInitializer,
  type InitializerConfigInput,
  type KernelKind,
} from '../../../../src/main/engine/train/initializers';
import { assertClose, useCpu } from './approx';

before(useCpu);

function moments(t: tf.Tensor): { mean: number; variance: number; min: number; max: number } {
  const d = t.dataSync();
  let mean = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of d) {
    mean += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  mean /= d.length;
  let variance = 0;
  for (const x of d) variance += (x - mean) ** 2;
  return { mean, variance: variance / d.length, min, max };
}

describe('computeFans (tfjs layouts)', () => {
  it('dense [in, out]', () => {
    assert.deepEqual(computeFans([256, 10]), { fanIn: 256, fanOut: 10 });
  });
  it('conv HWIO: kh·kw·cin / kh·kw·cout', () => {
    assert.deepEqual(computeFans([3, 3, 16, 32]), { fanIn: 144, fanOut: 288 });
    assert.deepEqual(computeFans([5, 8, 4], 'conv'), { fanIn: 40, fanOut: 20 }); // conv1d [k, cin, cout]
  });
  it('depthwise [kh, kw, cin, mult]: one input channel per output', () => {
    assert.deepEqual(computeFans([3, 3, 32, 2], 'depthwise'), { fanIn: 9, fanOut: 18 });
  });
  it('transposed conv [kh, kw, cout, cin]', () => {
    assert.deepEqual(computeFans([4, 4, 8, 16], 'convTranspose'), { fanIn: 256, fanOut: 128 });
  });
  it('vectors use their length', () => {
    assert.deepEqual(computeFans([7]), { fanIn: 7, fanOut: 7 });
  });
});

describe('initializer statistics (seeded; tolerance ≫ sampling error)', () => {
  // Variance of a sample variance ≈ 2σ⁴/n (normal) or 0.8σ⁴/n (uniform): for n ≥ 73,728 its relative
  // standard error is ≤ 0.6%, so 4% is > 6σ; the seeds make the tests deterministic anyway.
  const cases: [string, InitializerConfigInput, number[], KernelKind | undefined, number][] = [
    ['He normal, dense', { kind: 'heNormal' }, [256, 512], undefined, 2 / 256],
    ['He uniform, dense', { kind: 'heUniform' }, [256, 512], undefined, 2 / 256],
    ['He normal, fan_out', { kind: 'heNormal', mode: 'fanOut' }, [256, 512], undefined, 2 / 512],
    ['Glorot normal, conv', { kind: 'glorotNormal' }, [3, 3, 64, 128], 'conv', 2 / (576 + 1152)],
    ['Glorot uniform, conv', { kind: 'glorotUniform' }, [3, 3, 64, 128], 'conv', 2 / (576 + 1152)],
    ['He normal, depthwise', { kind: 'heNormal' }, [3, 3, 4096, 2], 'depthwise', 2 / 9],
    ['normal(0.02)', { kind: 'normal', std: 0.02 }, [300, 300], undefined, 0.0004],
  ];
  for (const [name, config, shape, kind, variance] of cases) {
    it(`${name}: Var = ${variance.toPrecision(4)}`, () => {
      assertClose(targetStd(config, shape, kind) ** 2, variance, 1e-12);
      const m = moments(initialValue(config, shape, kind, 7));
      assertClose(m.variance, variance, 0.04, 'variance');
      assert.ok(Math.abs(m.mean) < 4 * Math.sqrt(variance / tf.util.sizeFromShape(shape)) + 1e-9, `mean ${m.mean}`);
    });
  }

  it('uniform bounds are ±gain·√(3/fan)', () => {
    const bound = Math.sqrt(6 / 256);
    const m = moments(initialValue({ kind: 'heUniform' }, [256, 512], undefined, 3));
    assert.ok(m.min >= -bound && m.max <= bound);
    assert.ok(m.max > 0.99 * bound);
  });

  it('leaky-ReLU gain √(2/(1+a²))', () => {
    assertClose(targetStd({ kind: 'heNormal', negativeSlope: 1 }, [100, 10]) ** 2, 1 / 100, 1e-12);
  });

  it('constants', () => {
    assert.deepEqual(Array.from(initialValue({ kind: 'zeros' }, [2, 2]).dataSync()), [0, 0, 0, 0]);
    assert.deepEqual(Array.from(initialValue({ kind: 'ones' }, [3]).dataSync()), [1, 1, 1]);
    assert.deepEqual(Array.from(initialValue({ kind: 'constant', value: 0.5 }, [2]).dataSync()), [0.5, 0.5]);
  });

  it('is reproducible with a seed', () => {
    const a = initialValue({ kind: 'glorotUniform' }, [4, 4], undefined, 42).dataSync();
    const b = initialValue({ kind: 'glorotUniform' }, [4, 4], undefined, 42).dataSync();
    assert.deepEqual(Array.from(a), Array.from(b));
  });

  it('has defaults', () => {
    assert.deepEqual(defaultInitializerConfig('heNormal'), { kind: 'heNormal', mode: 'fanIn', negativeSlope: 0 });
    assert.deepEqual(defaultInitializerConfig('normal'), { kind: 'normal', mean: 0, std: 0.01 });
  });
});

describe('tfjs initializer objects', () => {
  it('work as a layer kernelInitializer and survive a topology round trip', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [400],
          units: 300,
          kernelInitializer: toTfInitializer({ kind: 'heNormal' }, 'dense', 11),
          biasInitializer: toTfInitializer({ kind: 'constant', value: 0.1 }),
        }),
      ],
    });
    const [kernel, bias] = model.getWeights();
    assertClose(moments(kernel).variance, 2 / 400, 0.04, 'kernel variance');
    assert.deepEqual(Array.from(bias.dataSync()).slice(0, 2).map((x) => +x.toFixed(6)), [0.1, 0.1]);

    const json = model.toJSON(undefined, false);
    if (typeof json === 'string') throw new Error('expected a JSON object');
    assert.match(JSON.stringify(json), /NetsmithInitializer/);
    const restored = await tf.models.modelFromJSON(json);
    const [k2] = restored.getWeights();
    assertClose(moments(k2).variance, 2 / 400, 0.04, 'restored kernel variance');
    // same seed → same draw after deserialisation
    assertClose(k2.dataSync()[5], kernel.dataSync()[5], 1e-7);
  });

  it('gives a depthwise layer the depthwise fans', () => {
    const layer = tf.layers.depthwiseConv2d({
      kernelSize: 3,
      depthMultiplier: 2,
      depthwiseInitializer: toTfInitializer({ kind: 'heNormal' }, 'depthwise', 5),
      useBias: false,
    });
    layer.apply(tf.zeros([1, 8, 8, 2048]));
    const [w] = layer.getWeights();
    assert.deepEqual(w.shape, [3, 3, 2048, 2]);
    assertClose(moments(w).variance, 2 / 9, 0.04);
  });
});
