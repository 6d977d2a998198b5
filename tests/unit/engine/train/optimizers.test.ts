import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  createOptimizer,
  defaultOptimizerConfig,
  OptimizerConfigSchema,
  type OptimizerConfigInput,
} from '../../../../src/main/engine/train/optimizers';
import { l2Penalty } from '../../../../src/main/engine/train/regularization';
import { assertAllClose, assertClose, useCpu } from './approx';

// A single 1×2 weight θ0 = [1, −2] receives the fixed gradients g1, g2, g3 with lr = 0.1. The hand
// computations are in the comments; every row was also checked against torch.optim
// (tests/unit/engine/train/torch_reference.py, float32).

const G = [
  [0.5, -1],
  [0.1, 0.3],
  [-0.2, 0.4],
];
const LR = 0.1;

function trajectory(config: OptimizerConfigInput, grads: number[][] = G, lr = LR): number[] {
  const theta = tf.variable(tf.tensor2d([[1, -2]]));
  const opt = createOptimizer(config, [theta]);
  const out: number[] = [];
  for (const g of grads) {
    const grad = tf.tensor2d([g]);
    opt.applyGradients(new Map([[theta, grad]]), lr);
    grad.dispose();
    out.push(...theta.dataSync());
  }
  opt.dispose();
  theta.dispose();
  return out;
}

before(useCpu);

describe('SGD family', () => {
  it('plain SGD: θ ← θ − ηg', () => {
    // [1 − .05, −2 + .1] = [.95, −1.9]; [.94, −1.93]; [.96, −1.97]
    assertAllClose(trajectory({ name: 'sgd' }), [0.95, -1.9, 0.94, -1.93, 0.96, -1.97]);
  });

  it('momentum (PyTorch: v = μv + g, θ −= ηv)', () => {
    // v1 = g1 → θ1 = [.95, −1.9]; v2 = .9·[.5, −1] + [.1, .3] = [.55, −.6] → θ2 = [.895, −1.84]
    // v3 = .9·[.55, −.6] + [−.2, .4] = [.295, −.14] → θ3 = [.8655, −1.826]
    assertAllClose(trajectory({ name: 'momentum', momentum: 0.9 }), [0.95, -1.9, 0.895, -1.84, 0.8655, -1.826]);
  });

  it('Nesterov: θ −= η(g + μv)', () => {
    // step 1: g1 + .9·g1 = [.95, −1.9] → θ1 = [.905, −1.81]
    // step 2: [.1, .3] + .9·[.55, −.6] = [.595, −.24] → θ2 = [.8455, −1.786]
    // step 3: [−.2, .4] + .9·[.295, −.14] = [.0655, .274] → θ3 = [.83895, −1.8134]
    assertAllClose(trajectory({ name: 'nesterov', momentum: 0.9 }), [0.905, -1.81, 0.8455, -1.786, 0.83895, -1.8134]);
  });

  it('coupled weight decay adds λθ to the gradient', () => {
    // g1 + .1·θ0 = [.6, −1.2] → θ1 = [.94, −1.88]
    assertAllClose(trajectory({ name: 'sgd', weightDecay: 0.1 }), [0.94, -1.88, 0.9206, -1.8912, 0.931393981, -1.912287951], 1e-6);
  });

  it('rejects Nesterov without momentum', () => {
    assert.throws(() => OptimizerConfigSchema.parse({ name: 'nesterov', momentum: 0 }), /Nesterov/);
  });
});

describe('adaptive optimizers', () => {
  it('Adagrad: G += g², θ −= η·g/(√G + ε)', () => {
    // step 1: g/|g| → θ1 = [.9, −1.9]; step 2: G = [.26, 1.09] → θ2 = [.9 − .01/√.26, −1.9 − .03/√1.09]
    //       = [.880388, −1.928735]
    assertAllClose(trajectory({ name: 'adagrad' }), [0.9, -1.9, 0.8803883791, -1.928734779, 0.9169031978, -1.964511871], 1e-6);
    assertAllClose(
      trajectory({ name: 'adagrad', lrDecay: 0.5, initialAccumulator: 0.1 }),
      [0.9154845476, -1.904653788, 0.9043734074, -1.9229877, 0.9201847911, -1.940200925],
      1e-6,
    ); // torch
  });

  it('RMSProp: s = αs + (1−α)g², θ −= η·g/(√s + ε)', () => {
    // step 1: s = .01·g1² = [.0025, .01], √s = [.05, .1] → θ1 = θ0 − .1·[10, −10] = [0, −1]
    // step 2: s = [.002575, .0108] → θ2 = [−.1·.1/.050744, −1 − .1·.3/.103923] = [−.197066, −1.288675]
    assertAllClose(trajectory({ name: 'rmsprop' }), [0, -1, -0.1970655769, -1.28867507, 0.1712110192, -1.649460316], 1e-5);
  });

  it('RMSProp centered with momentum', () => {
    assertAllClose(
      trajectory({ name: 'rmsprop', centered: true, momentum: 0.5 }),
      [-0.005037609022, -0.9949622154, -0.7059910297, -0.7817568779, -0.6872425079, -1.036056995],
      1e-5,
    ); // torch
  });

  it('Adam with bias correction', () => {
    // step 1: m̂ = g1, v̂ = g1² → θ1 = θ0 − .1·sign(g1) = [.9, −1.9]
    // step 2: m = [.055, −.06], v = [.00025975, .001089]; m̂ = m/.19 = [.289474, −.315789],
    //         v̂ = v/.001999 = [.129940, .544772] → θ2 = θ1 − .1·m̂/√v̂ = [.819696, −1.857215]
    assertAllClose(trajectory({ name: 'adam' }), [0.9, -1.9, 0.8196959496, -1.857215166, 0.7852605581, -1.849209309], 1e-6);
  });

  it('Adam with coupled L2 (weight_decay) differs from AdamW', () => {
    assertAllClose(trajectory({ name: 'adam', weightDecay: 0.1 }), [0.9, -1.9, 0.8136483431, -1.840070367, 0.7598997355, -1.805754185], 1e-6); // torch
  });

  it('AdamW: θ ← θ(1 − ηλ) then the Adam step', () => {
    // step 1: [1, −2]·(1 − .01) = [.99, −1.98], then −.1·sign(g1) → [.89, −1.88]
    assertAllClose(trajectory({ name: 'adamw', weightDecay: 0.1 }), [0.89, -1.88, 0.8007959723, -1.818415165, 0.7583526373, -1.792225122], 1e-6);
  });

  it('AMSGrad keeps the running max of v', () => {
    const shrinking = [
      [2, -2],
      [0.01, 0.01],
      [0.01, 0.01],
    ];
    assertAllClose(trajectory({ name: 'adam' }, shrinking), [0.9, -1.9, 0.8326228261, -1.833367229, 0.7802209854, -1.782180309], 1e-6); // torch
    assertAllClose(trajectory({ name: 'adam', amsgrad: true }, shrinking), [0.9, -1.9, 0.8326556683, -1.833399773, 0.7803049088, -1.782262802], 1e-6); // torch
  });
});

describe('Optimizer behaviour', () => {
  it('takes a new learning rate every step', () => {
    const theta = tf.variable(tf.tensor2d([[1, -2]]));
    const opt = createOptimizer({ name: 'sgd' }, [theta]);
    opt.applyGradients({ [theta.name]: tf.tensor2d([[1, 1]]) }, 0.1);
    opt.applyGradients({ [theta.name]: tf.tensor2d([[1, 1]]) }, 0.01);
    assertAllClose(theta.dataSync(), [0.89, -2.11]);
  });

  it('excludes biases and norm parameters from weight decay by default', () => {
    const kernel = tf.variable(tf.tensor2d([[1, 1]]), true, 'dense_1/kernel');
    const bias = tf.variable(tf.tensor1d([1, 1]), true, 'dense_1/bias');
    const zero = new Map<tf.Variable, tf.Tensor>([
      [kernel, tf.zeros([1, 2])],
      [bias, tf.zeros([2])],
    ]);
    const opt = createOptimizer({ name: 'adamw', weightDecay: 0.5 }, [kernel, bias]);
    opt.applyGradients(zero, 0.1);
    assertAllClose(kernel.dataSync(), [0.95, 0.95]); // θ(1 − .1·.5)
    assertAllClose(bias.dataSync(), [1, 1]);
    const all = createOptimizer({ name: 'adamw', weightDecay: 0.5, decayBiasAndNorm: true }, [bias]);
    all.applyGradients(zero, 0.1);
    assertAllClose(bias.dataSync(), [0.95, 0.95]);
  });

  it('leaves variables without a gradient alone (frozen layers)', () => {
    const a = tf.variable(tf.tensor2d([[1, 2]]));
    const b = tf.variable(tf.tensor2d([[3, 4]]));
    const opt = createOptimizer({ name: 'adam' }, [a, b]);
    opt.applyGradients(new Map([[a, tf.tensor2d([[1, 1]])]]), 0.1);
    assertAllClose(b.dataSync(), [3, 4]);
    assert.equal(opt.getState().slots.t[1][0], 0);
    // b's first real step gets full bias correction: −η·sign(g)
    opt.applyGradients(new Map([[b, tf.tensor2d([[1, -1]])]]), 0.1);
    assertAllClose(b.dataSync(), [2.9, 4.1], 1e-6);
  });

  it('reports update and weight norms on request', () => {
    const theta = tf.variable(tf.tensor2d([[3, 4]]));
    const opt = createOptimizer({ name: 'sgd' }, [theta]);
    const stats = opt.applyGradients(new Map([[theta, tf.tensor2d([[6, 8]])]]), 0.1, { stats: true });
    assert.deepEqual(stats.names, [theta.name]);
    assertAllClose(stats.updateNorms.dataSync(), [1]); // ‖.1·[6, 8]‖
    assertAllClose(stats.weightNorms.dataSync(), [5]);
    assert.equal(opt.applyGradients(new Map([[theta, tf.tensor2d([[6, 8]])]]), 0.1), undefined);
  });

  it('saves and restores its state (checkpoint resume gives the same trajectory)', () => {
    const cfg: OptimizerConfigInput = { name: 'rmsprop', centered: true, momentum: 0.5 };
    const continuous = trajectory(cfg);
    const theta = tf.variable(tf.tensor2d([[1, -2]]));
    const first = createOptimizer(cfg, [theta]);
    for (const g of G.slice(0, 2)) first.applyGradients(new Map([[theta, tf.tensor2d([g])]]), LR);
    const state = first.getState();
    assert.equal(state.name, 'rmsprop');
    assert.equal(state.step, 2);
    assert.deepEqual(Object.keys(state.slots).sort(), ['gradAvg', 'momentum', 'squareAvg', 't']);
    first.dispose();
    const resumed = createOptimizer(cfg, [theta]);
    resumed.setState(state);
    resumed.applyGradients(new Map([[theta, tf.tensor2d([G[2]])]]), LR);
    assertAllClose(theta.dataSync(), continuous.slice(4), 1e-6);
    assert.throws(() => createOptimizer({ name: 'adam' }, [theta]).setState(state), /state is for rmsprop/);
  });

  it("resumes a momentum run from a checkpoint written when every SGD state was named 'sgd'", () => {
    const cfg: OptimizerConfigInput = { name: 'momentum', momentum: 0.9 };
    const continuous = trajectory(cfg);
    const theta = tf.variable(tf.tensor2d([[1, -2]]));
    const first = createOptimizer(cfg, [theta]);
    for (const g of G.slice(0, 2)) first.applyGradients(new Map([[theta, tf.tensor2d([g])]]), LR);
    const legacy = { ...first.getState(), name: 'sgd' as const };
    first.dispose();
    const resumed = createOptimizer(cfg, [theta]);
    resumed.setState(legacy);
    resumed.applyGradients(new Map([[theta, tf.tensor2d([G[2]])]]), LR);
    assertAllClose(theta.dataSync(), continuous.slice(4), 1e-6);
    // A plain-SGD optimizer has no momentum slot, so the same state does not fit it.
    assert.throws(() => createOptimizer({ name: 'sgd' }, [theta]).setState(legacy), /slots/);
  });

  it('getStateAsync equals getState', async () => {
    const theta = tf.variable(tf.tensor2d([[1, -2]]));
    const opt = createOptimizer({ name: 'adam' }, [theta]);
    opt.applyGradients(new Map([[theta, tf.tensor2d([[0.5, -1]])]]), 0.1);
    assert.deepEqual(await opt.getStateAsync(), opt.getState());
  });

  it('does not leak tensors per step', () => {
    const theta = tf.variable(tf.tensor2d([[1, -2]]));
    const grad = tf.tensor2d([[0.5, -1]]);
    const opt = createOptimizer({ name: 'adamw', amsgrad: true }, [theta]);
    opt.applyGradients(new Map([[theta, grad]]), 0.1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) opt.applyGradients(new Map([[theta, grad]]), 0.1);
    assert.equal(tf.memory().numTensors, before);
  });

  it('SGD weight decay λ equals adding the loss term (λ/2)·Σw² (same step)', () => {
    const w1 = tf.variable(tf.tensor2d([[1, -2]]));
    const w2 = tf.variable(tf.tensor2d([[1, -2]]));
    const data = (w: tf.Tensor) => tf.sum(w.mul(tf.tensor2d([[0.5, -1]]))) as tf.Scalar;
    const decayed = createOptimizer({ name: 'sgd', weightDecay: 0.1 }, [w1]);
    const penalised = createOptimizer({ name: 'sgd' }, [w2]);
    for (let i = 0; i < 3; i++) {
      decayed.applyGradients(tf.variableGrads(() => data(w1), [w1]).grads, 0.1);
      penalised.applyGradients(tf.variableGrads(() => data(w2).add(l2Penalty([w2], 0.1)) as tf.Scalar, [w2]).grads, 0.1);
    }
    assertAllClose(w1.dataSync(), Array.from(w2.dataSync()), 1e-6);
  });

  it('has defaults for every optimizer', () => {
    assert.deepEqual(defaultOptimizerConfig('adam'), {
      name: 'adam',
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      amsgrad: false,
      decayBiasAndNorm: false,
      weightDecay: 0,
    });
    assert.equal(defaultOptimizerConfig('adamw').weightDecay, 0.01);
    assert.equal(defaultOptimizerConfig('rmsprop').alpha, 0.99);
    assertClose(defaultOptimizerConfig('adagrad').epsilon, 1e-10, 0);
    assert.equal(defaultOptimizerConfig('momentum').momentum, 0.9);
    assert.equal(defaultOptimizerConfig('nesterov').momentum, 0.9);
  });
});
