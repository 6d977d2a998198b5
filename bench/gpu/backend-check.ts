// Checks a tfjs backend against the cpu reference and trains on it: the tool for GPU machines.
//
//   npx tsx bench/gpu/backend-check.ts --backend webgpu [--parts numerics,train,throughput] [--templates a,b]
//     [--train-scale 0.5] [--compare wasm] [--json out.json]
//
// numerics: every template at a small input, same weights on both backends; forward outputs and
//   (for the trainable subset) the gradients of Σ out·R, compared relative to max(1, |ref|).
// train: the real trainer on the chosen backend (lenet/mnist, resnet_cifar/shapes, vit_tiny_cifar/shapes),
//   validation accuracy and wall time per epoch.
// throughput: larger networks (ResNet-18 at 64/128 px, MobileNetV2 at 96 px) on the backend and on --compare.
// On a machine without the backend it says why it did not load and exits 2.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { type BackendName, selectBackend } from '../../src/main/engine/backend/select';
import { compile } from '../../src/main/engine/compile/compile';
import { loadDataset } from '../../src/main/engine/data/registry';
import { train } from '../../src/main/engine/train/trainer';
import { adaptToDataset } from '../../src/shared/graph/adapt';
import type { GraphDoc } from '../../src/shared/graph/types';
import { TEMPLATES, templateById } from '../../src/shared/templates';
import { trainConfigSchema } from '../../src/shared/training/config';
import { atSmallInput, fixedRandom } from '../../tests/unit/engine/compile/harness';

const GRADIENT_TEMPLATES = new Set(['lenet_mnist', 'cnn_small', 'resnet_cifar', 'mobilenet_v2_cifar', 'mobilenet_v3_small', 'vit_tiny_cifar', 'unet_small', 'yolo_tiny', 'yolo_nano']);
const TRAIN_CASES = [
  { template: 'lenet_mnist', dataset: 'mnist', epochs: 2, train: 8000 },
  { template: 'resnet_cifar', dataset: 'shapes', epochs: 2, train: 8000 },
  { template: 'vit_tiny_cifar', dataset: 'shapes', epochs: 3, train: 8000 },
];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

interface Evaluated {
  outputs: Float32Array[];
  grads?: Map<string, Float32Array>;
  ms: number;
}

/** Forward (inference) and, optionally, gradients of Σ out·R, all read back to the CPU. */
async function evaluate(graph: GraphDoc, weights: Float32Array[] | undefined, withGrads: boolean): Promise<{ result: Evaluated; weights: Float32Array[] }> {
  const { model } = compile(graph, { seed: 1 });
  try {
    if (weights) model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i], w.shape)));
    // Async reads only: the webgpu backend cannot read synchronously in Node (its readSync needs OffscreenCanvas).
    const own = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
    const x = fixedRandom([2, ...graph.meta.input.shape], 3);
    const t0 = performance.now();
    const out = model.predict(x) as tf.Tensor | tf.Tensor[];
    const outs = await Promise.all((Array.isArray(out) ? out : [out]).map(async (o) => (await o.data()) as Float32Array));
    let grads: Map<string, Float32Array> | undefined;
    if (withGrads) {
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads: g, value } = tf.variableGrads(() => {
        const o = model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
        const list = Array.isArray(o) ? o : [o];
        return tf.addN(list.map((t, i) => t.mul(fixedRandom(t.shape, 97 + i)).sum())) as tf.Scalar;
      }, vars);
      value.dispose();
      // Variable names get unique suffixes per compile: match by position, report by layer weight name.
      grads = new Map(await Promise.all(model.trainableWeights.map(async (w, i) => [`${i}:${w.originalName}`, (await g[vars[i].name].data()) as Float32Array] as const)));
      tf.dispose(Object.values(g));
    }
    const ms = performance.now() - t0;
    tf.dispose([x, ...(Array.isArray(out) ? out : [out])]);
    return { result: { outputs: outs, grads, ms }, weights: own };
  } finally {
    model.dispose();
  }
}

function relErr(a: Float32Array, ref: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(a[i] - ref[i]) / Math.max(1, Math.abs(ref[i])));
  return worst;
}

const maxAbs = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/**
 * Gradient error relative to the variable's largest reference gradient, floored at 1e-3 of the model's largest:
 * some gradients are zero in exact arithmetic (a BatchNorm's β feeding a linear conv and another training-mode
 * BatchNorm, which removes any per-channel shift), and there only rounding noise is left to compare.
 */
function gradErr(a: Float32Array, ref: Float32Array, modelMax: number): number {
  const scale = Math.max(maxAbs(ref), 1e-3 * modelMax, 1e-12);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(a[i] - ref[i]) / scale);
  return worst;
}

/** Random masks differ between backends: compare gradients with dropout and drop-path off. */
function withoutDropout(graph: GraphDoc): GraphDoc {
  return { ...graph, nodes: graph.nodes.map((n) => (n.type === 'reg/dropout' || n.type === 'reg/droppath' ? { ...n, params: { ...n.params, rate: 0 } } : n)) };
}

async function numerics(backend: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const only = arg('templates', '').split(',').filter(Boolean);
  for (const t of TEMPLATES.filter((x) => only.length === 0 || only.includes(x.id))) {
    const graph = withoutDropout(atSmallInput(t.build()));
    const withGrads = GRADIENT_TEMPLATES.has(t.id);
    try {
      await tf.setBackend('cpu');
      const ref = await evaluate(graph, undefined, withGrads);
      await tf.setBackend(backend);
      await evaluate(graph, ref.weights, withGrads); // warm-up: shader compilation
      const got = await evaluate(graph, ref.weights, withGrads);
      const out = Math.max(...got.result.outputs.map((o, i) => relErr(o, ref.result.outputs[i])));
      let grad: number | undefined;
      let worstVar = '';
      if (got.result.grads && ref.result.grads) {
        grad = 0;
        const modelMax = Math.max(...[...ref.result.grads.values()].map(maxAbs));
        for (const [name, g] of ref.result.grads) {
          const e = gradErr(got.result.grads.get(name)!, g, modelMax);
          if (e > grad) [grad, worstVar] = [e, name];
        }
      }
      const row = { template: t.id, input: graph.meta.input.shape.join('×'), outputErr: out, gradErr: grad, worstVar, cpuMs: Math.round(ref.result.ms), backendMs: Math.round(got.result.ms) };
      rows.push(row);
      console.log(JSON.stringify(row));
    } catch (err) {
      const row = { template: t.id, error: err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 3).join(' | ') : String(err) };
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  return rows;
}

async function training(backend: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  await tf.setBackend(backend);
  const scale = Number(arg('train-scale', '1'));
  for (const base of TRAIN_CASES) {
    const c = { ...base, train: Math.round(base.train * scale), epochs: Math.max(1, Math.round(base.epochs * Math.min(1, scale * 2))) };
    const template = templateById(c.template)!;
    const { dataset } = await loadDataset(c.dataset, { sizes: { train: c.train, val: 1000, test: 1 } });
    const { graph } = adaptToDataset(template.build(), { name: dataset.info.name, shape: dataset.info.shape, classes: dataset.info.classes.length });
    const { model } = compile(graph, { seed: 1 });
    const config = trainConfigSchema.parse({ ...(template.recommended?.config ?? {}), epochs: c.epochs, probeEvery: 0, seed: 1 });
    const epochs: { epoch: number; seconds: number; val: number }[] = [];
    const t0 = performance.now();
    await train({ model, dataset, config, hooks: { epoch: (e) => epochs.push({ epoch: e.epoch, seconds: e.seconds, val: e.val.accuracy }) } });
    const row = { ...c, backend: tf.getBackend(), seconds: (performance.now() - t0) / 1000, epochs, samplesPerSec: (c.train * c.epochs) / ((performance.now() - t0) / 1000) };
    rows.push(row);
    console.log(JSON.stringify(row));
    model.dispose();
  }
  return rows;
}

/** Larger networks than the three of train-bench: where a GPU backend could pay for its per-op overhead. */
const THROUGHPUT_CASES: { template: string; size: number; batch: number }[] = [
  { template: 'resnet_cifar', size: 32, batch: 64 },
  { template: 'resnet18', size: 64, batch: 32 },
  { template: 'resnet18', size: 128, batch: 32 },
  { template: 'mobilenet_v2', size: 96, batch: 32 },
  { template: 'vit_tiny_cifar', size: 32, batch: 64 },
];

/** Training steps per second (Adam, cross-entropy, loss read back every step as the trainer does). */
async function throughput(backends: string[]): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const c of THROUGHPUT_CASES) {
    const base = templateById(c.template)!.build();
    const graph = { ...base, meta: { ...base.meta, input: { shape: [c.size, c.size, base.meta.input.shape[2]] as [number, number, number] } } };
    for (const backend of backends) {
      await tf.setBackend(backend);
      const { model } = compile(graph, { seed: 1 });
      const optimizer = tf.train.adam(1e-3);
      const x = fixedRandom([c.batch, c.size, c.size, graph.meta.input.shape[2]], 5);
      const classes = (model.outputs[0].shape[1] as number) ?? 10;
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: c.batch }, (_, i) => i % classes), 'int32'), classes);
      const step = async (): Promise<void> => {
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), true)!;
        await loss.data();
        loss.dispose();
      };
      try {
        for (let i = 0; i < 3; i++) await step();
        const steps = 8;
        const t0 = performance.now();
        for (let i = 0; i < steps; i++) await step();
        const seconds = (performance.now() - t0) / 1000;
        const row = { template: c.template, input: c.size, batch: c.batch, backend, samplesPerSec: Math.round((steps * c.batch) / seconds) };
        rows.push(row);
        console.log(JSON.stringify(row));
      } catch (err) {
        rows.push({ template: c.template, input: c.size, backend, error: err instanceof Error ? err.message.split('\n')[0] : String(err) });
        console.log(JSON.stringify(rows[rows.length - 1]));
      } finally {
        tf.dispose([x, y]);
        optimizer.dispose();
        model.dispose();
      }
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const backend = arg('backend', 'webgpu') as BackendName;
  const parts = arg('parts', 'numerics,train').split(',');
  const loaded = await selectBackend({ prefer: backend });
  console.log(JSON.stringify({ backend: loaded }));
  if (loaded.name !== backend) {
    console.error(`backend ${backend} did not load: ${loaded.tried.find((t) => t.name === backend)?.reason ?? 'unknown reason'}`);
    process.exit(2);
  }
  const tfName = tf.getBackend();
  const report: Record<string, unknown> = { backend: loaded };
  if (parts.includes('data')) {
    for (const c of TRAIN_CASES) console.log(JSON.stringify({ dataset: c.dataset, ...(await loadDataset(c.dataset, { sizes: { train: c.train, val: 1000, test: 1 } })).dataset.info.sizes }));
  }
  if (parts.includes('numerics')) report.numerics = await numerics(tfName);
  if (parts.includes('train')) report.train = await training(tfName);
  if (parts.includes('throughput')) {
    const others = arg('compare', 'wasm').split(',').filter(Boolean);
    for (const b of others) await selectBackend({ prefer: b as BackendName });
    report.throughput = await throughput([tfName, ...others]);
  }
  const out = arg('json', '');
  if (out) writeFileSync(out, JSON.stringify(report, null, 2));
}

await main();
