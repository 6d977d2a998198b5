// The PyTorch runner reads the same training-config vocabulary as the TF.js engine: for every TrainConfig
// optimizer, loss and clip mode, what configMap sends (optimizerConfig, lossConfig, config.clip) gives the same
// numbers in python/netsmith_runner (optim.py, losses.py) as in src/main/engine/train. Debian's torch, as in CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { PYTHON_ROOT } from '../../../../src/main/engine/torch/discover';
import { clipGradients } from '../../../../src/main/engine/train/clipping';
import { lossConfig, optimizerConfig } from '../../../../src/main/engine/train/configMap';
import { LossConfigSchema, makeLoss } from '../../../../src/main/engine/train/losses';
import { createOptimizer, OptimizerConfigSchema } from '../../../../src/main/engine/train/optimizers';
import { LOSSES, OPTIMIZERS, trainConfigSchema } from '../../../../src/shared/training/config';
import { assertAllClose, assertClose, useCpu } from '../train/approx';

await useCpu();

const PYTHON = '/usr/bin/python3';
const HARNESS = `
import json, sys, torch
from netsmith_runner.losses import make_loss
from netsmith_runner.optim import clip_gradients, make_optimizer
torch.set_default_dtype(torch.float32)
f32 = lambda v: torch.tensor(v, dtype=torch.float32)

def answer(req):
    if req['what'] == 'optimizer':
        theta = f32(req['theta']).requires_grad_(True)
        opt = make_optimizer(req['cfg'], [theta], [True], req['lr'])
        out = []
        for g in req['grads']:
            theta.grad = f32(g)
            opt.step()
            out += theta.detach().reshape(-1).tolist()
        return out
    if req['what'] == 'loss':
        return make_loss(req['cfg'])(f32(req['prediction']), f32(req['target'])).item()
    grads = [f32(g) for g in req['grads']]
    norm = clip_gradients(grads, req['clip'], torch.device('cpu'))
    return {'norm': norm.item(), 'grads': [g.reshape(-1).tolist() for g in grads]}

print(json.dumps([answer(r) for r in json.load(sys.stdin)]))
`;

/** Answers every request in one Python process (importing torch is the slow part). */
function runPython<T>(requests: unknown[]): T[] {
  const out = execFileSync(PYTHON, ['-c', HARNESS], { input: JSON.stringify(requests), env: { ...process.env, PYTHONPATH: PYTHON_ROOT }, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as T[];
}

const THETA = [[1, -2, 0.5]];
const GRADS = [
  [[0.5, -1, 0.2]],
  [[0.1, 0.3, -0.4]],
  [[-0.2, 0.4, 0.1]],
  [[0.3, -0.1, 0.05]],
];

test('every TrainConfig optimizer steps the same in the runner (torch.optim) as in the lab', () => {
  const cases = OPTIMIZERS.map((name) => {
    const config = trainConfigSchema.parse({ optimizer: { name, lr: 0.05, momentum: 0.8, beta1: 0.85, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.05 }, regularization: { l2: 0.01 } });
    const cfg = OptimizerConfigSchema.parse(optimizerConfig(config));
    assert.equal(cfg.name, name, 'the engine config keeps the TrainConfig name');
    const theta = tf.variable(tf.tensor2d(THETA));
    const opt = createOptimizer(cfg, [theta]);
    const lab: number[] = [];
    for (const g of GRADS) {
      opt.applyGradients(new Map([[theta, tf.tensor2d(g)]]), 0.05);
      lab.push(...theta.dataSync());
    }
    opt.dispose();
    theta.dispose();
    return { name, cfg, lab };
  });
  const torch = runPython<number[]>(cases.map(({ cfg }) => ({ what: 'optimizer', cfg, theta: THETA, grads: GRADS, lr: 0.05 })));
  cases.forEach(({ name, lab }, i) => assertAllClose(lab, torch[i], 1e-5, name));
});

test('every TrainConfig loss gives the same value in the runner as in the lab', () => {
  const prediction = [
    [2, -1, 0.5],
    [0.1, 0.2, -3],
    [-1, 1.5, 0.3],
    [0, 0, 0],
  ];
  const target = [
    [1, 0, 0],
    [0, 0, 1],
    [0, 1, 0],
    [0.2, 0.3, 0.5],
  ];
  const cases = LOSSES.map((name) => {
    const config = trainConfigSchema.parse({ loss: { name, labelSmoothing: 0.1, focalGamma: 1.5, focalAlpha: 0.5 } });
    const cfg = LossConfigSchema.parse(lossConfig(config, 'classification'));
    assert.equal(cfg.name, name === 'auto' ? 'cross_entropy' : name);
    const lab = tf.tidy(() => makeLoss(cfg)(tf.tensor2d(prediction), tf.tensor2d(target)).dataSync()[0]);
    return { name, cfg, lab };
  });
  const torch = runPython<number>(cases.map(({ cfg }) => ({ what: 'loss', cfg, prediction, target })));
  cases.forEach(({ name, lab }, i) => assertClose(torch[i], lab, 1e-5, name));
});

test("the runner clips gradients by the TrainConfig's clip ({ mode, value }) as the lab does", () => {
  const grads = [
    [6, -8],
    [0.5, 3],
  ];
  const clips = [
    { mode: 'none', value: 1 },
    { mode: 'norm', value: 5 },
    { mode: 'norm', value: 100 },
    { mode: 'value', value: 2.5 },
  ] as const;
  const torch = runPython<{ norm: number; grads: number[][] }>(clips.map((clip) => ({ what: 'clip', clip, grads })));
  clips.forEach((clip, i) => {
    const lab = tf.tidy(() => {
      const out = clipGradients({ a: tf.tensor1d(grads[0]), b: tf.tensor1d(grads[1]) }, clip);
      return { norm: out.globalNorm.dataSync()[0], grads: [...out.grads.values()].map((g) => Array.from(g.dataSync())) };
    });
    assertClose(torch[i].norm, lab.norm, 1e-5, `${clip.mode} norm`);
    assertAllClose(torch[i].grads.flat(), lab.grads.flat(), 1e-5, `${clip.mode} ${clip.value}`);
  });
});
