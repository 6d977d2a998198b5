import * as tf from '@tensorflow/tfjs';
import type { LayerProbe } from '../../../shared/training/telemetry';
import { histogram, meanStd } from './histogram';

/** What the probes watch, in network order. Built from the compiled model by `probeTargets` (train/targets.ts). */
export interface ProbeTarget {
  node: string;
  layer: string;
  kind: 'weights' | 'batchnorm' | 'activation';
  /** For activation targets: how to judge health (dead ReLUs, saturated sigmoid/tanh). */
  activation?: 'relu' | 'sigmoid' | 'tanh' | 'other';
}

/** At most this many values per tensor are downloaded for histograms (a strided sample beyond it). */
const SAMPLE = 4096;

function sample(t: tf.Tensor): tf.Tensor1D {
  const flat = t.reshape([-1]) as tf.Tensor1D;
  if (flat.size <= SAMPLE) return flat;
  const stride = Math.ceil(flat.size / SAMPLE);
  return tf.stridedSlice(flat, [0], [flat.size], [stride]) as tf.Tensor1D;
}

export interface ProbeModel {
  /** The model with extra outputs: activation-layer outputs and BatchNorm inputs, after the real outputs. */
  model: tf.LayersModel;
  outputCount: number;
  activationTargets: ProbeTarget[];
  bnTargets: ProbeTarget[];
}

export function buildProbeModel(model: tf.LayersModel, targets: readonly ProbeTarget[]): ProbeModel {
  const activationTargets = targets.filter((t) => t.kind === 'activation');
  const bnTargets = targets.filter((t) => t.kind === 'batchnorm');
  const extra: tf.SymbolicTensor[] = [
    ...activationTargets.map((t) => model.getLayer(t.layer).output as tf.SymbolicTensor),
    ...bnTargets.map((t) => model.getLayer(t.layer).input as tf.SymbolicTensor),
  ];
  const outputs = model.outputs;
  const probe = tf.model({ inputs: model.inputs, outputs: [...outputs, ...extra] });
  return { model: probe, outputCount: outputs.length, activationTargets, bnTargets };
}

/** tf.tidy for a function whose result holds tensors already kept with tf.keep (tidy's types want tensors only). */
function scoped<T>(f: () => T): T {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}

interface Pending {
  /** Tensors kept until the read; disposed by `read`. */
  keep: tf.Tensor[];
  read(): Promise<LayerProbe[]>;
}

/**
 * Collects one probe: everything is computed on the backend and downloaded in one pass of async reads (a GPU
 * backend cannot read synchronously in Node).
 * `extras` are the probe model's extra outputs of this step; `grads` the gradients by variable name.
 */
export function collectProbe(
  model: tf.LayersModel,
  targets: readonly ProbeTarget[],
  pm: ProbeModel,
  extras: readonly tf.Tensor[],
  grads: tf.NamedTensorMap,
  update?: { names: string[]; updateNorms: tf.Tensor1D; weightNorms: tf.Tensor1D },
): Pending {
  const keep: tf.Tensor[] = [];
  const keepT = <T extends tf.Tensor>(t: T): T => {
    keep.push(tf.keep(t));
    return t;
  };
  interface WeightRead {
    target: ProbeTarget;
    stats: tf.Tensor1D; // [gradNormSq, gradMax, weightNormSq]
    wSample: tf.Tensor1D;
    gSample?: tf.Tensor1D;
    updateIndex: number;
  }
  const weightReads: WeightRead[] = [];
  scoped(() => {
    for (const target of targets.filter((t) => t.kind === 'weights')) {
      const layer = model.getLayer(target.layer);
      const kernel = layer.trainableWeights[0];
      if (!kernel) continue;
      const w = kernel.read() as tf.Variable;
      const g = grads[w.name];
      const stats = tf.stack([g ? tf.sum(tf.square(g)) : tf.scalar(0), g ? tf.max(tf.abs(g)) : tf.scalar(0), tf.sum(tf.square(w))]) as tf.Tensor1D;
      weightReads.push({
        target,
        stats: keepT(stats),
        wSample: keepT(sample(w)),
        gSample: g ? keepT(sample(g)) : undefined,
        updateIndex: update ? update.names.indexOf(w.name) : -1,
      });
    }
  });

  const actReads = pm.activationTargets.map((target, i) => {
    const a = extras[i];
    return scoped(() => {
      const c = a.shape[a.shape.length - 1]!;
      const perChannelMax = tf.max(a.reshape([-1, c]), 0);
      const dead = target.activation === 'relu' ? tf.mean(tf.cast(tf.lessEqual(perChannelMax, 0), 'float32')) : tf.scalar(-1);
      const sat =
        target.activation === 'sigmoid'
          ? tf.mean(tf.cast(tf.logicalOr(tf.less(a, 0.02), tf.greater(a, 0.98)), 'float32'))
          : target.activation === 'tanh'
            ? tf.mean(tf.cast(tf.greater(tf.abs(a), 0.96), 'float32'))
            : tf.scalar(-1);
      return { target, flags: keepT(tf.stack([dead, sat]) as tf.Tensor1D), values: keepT(sample(a)) };
    });
  });

  const bnReads = pm.bnTargets.map((target, i) => {
    const x = extras[pm.activationTargets.length + i];
    return scoped(() => {
      const c = x.shape[x.shape.length - 1]!;
      const { mean, variance } = tf.moments(x.reshape([-1, c]), 0);
      return { target, mean: keepT(mean), variance: keepT(variance) };
    });
  });

  return {
    keep,
    async read(): Promise<LayerProbe[]> {
      const out: LayerProbe[] = [];
      const upd = update ? { u: await update.updateNorms.data(), w: await update.weightNorms.data() } : undefined;
      for (const r of weightReads) {
        const [g2, gmax, w2] = await r.stats.data();
        const probe: LayerProbe = {
          node: r.target.node,
          layer: r.target.layer,
          kind: 'weights',
          gradNorm: Math.sqrt(g2),
          gradMax: gmax,
          weightNorm: Math.sqrt(w2),
          weightHist: histogram(await r.wSample.data()),
        };
        if (r.gSample) probe.gradHist = histogram(await r.gSample.data());
        if (upd && r.updateIndex >= 0) probe.updateRatio = upd.u[r.updateIndex] / Math.max(1e-12, upd.w[r.updateIndex]);
        out.push(probe);
      }
      for (const r of actReads) {
        const [dead, sat] = await r.flags.data();
        const values = await r.values.data();
        out.push({
          node: r.target.node,
          layer: r.target.layer,
          kind: 'activation',
          activation: {
            ...meanStd(values),
            hist: histogram(values),
            ...(dead >= 0 ? { deadFraction: dead } : {}),
            ...(sat >= 0 ? { saturatedFraction: sat } : {}),
          },
        });
      }
      for (const r of bnReads) {
        const layer = model.getLayer(r.target.layer);
        const byName = new Map(layer.getWeights().map((w, i) => [layer.weights[i].originalName.split('/').pop()!, w]));
        const arr = async (name: string): Promise<number[] | undefined> => {
          const t = byName.get(name);
          return t ? Array.from(await t.data()) : undefined;
        };
        out.push({
          node: r.target.node,
          layer: r.target.layer,
          kind: 'batchnorm',
          batchnorm: {
            runningMean: (await arr('moving_mean')) ?? [],
            runningVar: (await arr('moving_variance')) ?? [],
            batchMean: Array.from(await r.mean.data()),
            batchVar: Array.from(await r.variance.data()),
            gamma: await arr('gamma'),
            beta: await arr('beta'),
          },
        });
      }
      tf.dispose(keep);
      return out;
    },
  };
}
