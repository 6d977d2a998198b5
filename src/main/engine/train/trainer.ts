import * as tf from '@tensorflow/tfjs';
import { saveToMemory } from '../compile/artifacts';
import { EpochEnd } from './epochEnd';
import type { TrainConfig } from '../../../shared/training/config';
import type { EvaluationReport, LayerProbe } from '../../../shared/training/telemetry';
import { BatchIterator } from '../data/batch';
import { batchToTensors, disposeBatchTensors } from '../data/tensors';
import type { Dataset } from '../data/types';
import { clipGradients } from './clipping';
import { optimizerConfig, scheduleConfig } from './configMap';
import { headOfBatch, ownRows, type ParallelGradients } from './parallel';
import { lrScalesOf } from './lrMultipliers';
import { createOptimizer, type OptimizerState } from './optimizers';
import { buildProbeModel, collectProbe, type ProbeTarget } from './probes';
import { l1Penalty, regularizedWeights } from './regularization';
import { makeSchedule } from './schedules';
import { TASK_ADAPTERS } from './tasks';
import type { Evaluation } from './tasks/types';

export interface StepInfo {
  step: number;
  epoch: number;
  loss: number;
  accuracy: number;
  lr: number;
  gradNorm: number;
  samplesPerSec: number;
}

export interface EpochInfo {
  epoch: number;
  lr: number;
  seconds: number;
  train: { loss: number; accuracy: number };
  val: EvaluationReport;
  /** The task's headline metric on the validation split (accuracy, mAP@0.5, mIoU). */
  headline: number;
}

export interface Checkpoint {
  reason: 'epoch' | 'best' | 'final';
  /** Completed epochs. */
  epoch: number;
  step: number;
  /** Where a stop left the current epoch: batches done and their running sums (absent at an epoch's end). */
  partial?: PartialEpoch;
  artifacts: tf.io.ModelArtifacts;
  optimizer: OptimizerState;
  metric: number;
  /** Engine-specific files for the checkpoint folder (the PyTorch engine's torch.pt). */
  extra?: Record<string, Uint8Array>;
}

/** The part of an epoch done before a stop: its batches (in the epoch's seeded order) and the loss/metric sums. */
export interface PartialEpoch {
  batches: number;
  lossSum: number;
  accSum: number;
  seen: number;
}

export interface ResumeState {
  /** Completed epochs. */
  epoch: number;
  /** Optimizer steps done (the schedule's position). */
  step: number;
  optimizer: OptimizerState;
  best?: number;
  /** Set when the checkpoint was taken mid-epoch. */
  partial?: PartialEpoch;
}

/** Where a resumed run picks up: exactly at its step, or at the start of its epoch when that is impossible. */
export interface ResumeInfo {
  /** The step training continues after (the next step is step + 1). */
  step: number;
  /** The epoch it continues in (0-based). */
  epoch: number;
  /** Batches of that epoch already done. */
  batchInEpoch: number;
  stepsPerEpoch: number;
  exact: boolean;
  /** What happened, in words, for the run's log. */
  message: string;
}

export interface TrainerHooks {
  step?(info: StepInfo): void;
  epoch?(info: EpochInfo): void;
  probe?(layers: LayerProbe[], step: number, epoch: number): void;
  log?(level: 'info' | 'warning' | 'error', message: string): void;
  checkpoint?(c: Checkpoint): Promise<void>;
  /** Called once before the first step of a resumed run. */
  resumed?(info: ResumeInfo): void;
  /** Awaited before every step: resolves when training may go on (pause holds it), or says stop. */
  gate?(): Promise<'continue' | 'stop'>;
}

export interface TrainResult {
  reason: 'completed' | 'stopped' | 'early-stopped';
  epochs: number;
  steps: number;
  final?: Evaluation;
  best: number;
}

/** The loss or a gradient became NaN/Inf: names the step and the first layer (in network order) where it appeared. */
export class NonFiniteError extends Error {
  constructor(
    readonly step: number,
    readonly layer: string | undefined,
    readonly what: 'loss' | 'gradient',
  ) {
    super(
      `${what === 'loss' ? 'The loss' : 'A gradient'} became NaN/Inf at step ${step}${layer ? `, first in layer '${layer}'` : ''}. ` +
        'Lower the learning rate, add gradient clipping or BatchNorm, or check the data.',
    );
    this.name = 'NonFiniteError';
  }
}

/** The training loop: classification on a dataset, with probes, NaN guard, checkpoints and early stopping. */
export async function train(opts: {
  model: tf.LayersModel;
  dataset: Dataset;
  config: TrainConfig;
  probeTargets?: readonly ProbeTarget[];
  resume?: ResumeState;
  hooks?: TrainerHooks;
  /** Helper threads that compute a share of every batch (data parallelism; see parallel.ts). The caller closes them. */
  parallel?: ParallelGradients;
}): Promise<TrainResult> {
  const { model, dataset, config } = opts;
  const hooks = opts.hooks ?? {};
  const task = dataset.info.task;
  const factory = TASK_ADAPTERS[task];
  if (!factory) throw new Error(`training for ${task} is not available yet in this version`);
  const adapter = factory(dataset, config, model);

  const trainIter = new BatchIterator(dataset, 'train', { batchSize: config.batchSize, seed: config.seed, augment: config.augment, limit: config.trainLimit, dropLast: false });
  const stepsPerEpoch = trainIter.batches;
  const totalSteps = stepsPerEpoch * config.epochs;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // Blocks with a learning-rate multiplier (applyLrMultipliers) step at lr × it; the schedule keeps the ratios.
  const optimizer = createOptimizer(optimizerConfig(config), variables, { lrScales: lrScalesOf(model) });
  if (opts.resume) optimizer.setState(opts.resume.optimizer);
  const lrAt = makeSchedule(scheduleConfig(config, stepsPerEpoch), totalSteps, stepsPerEpoch);
  const l1Weights = config.regularization.l1 > 0 ? regularizedWeights(variables).map((v) => v as tf.Tensor) : [];
  const targets = opts.probeTargets ?? [];
  const probeModel = config.probeEvery > 0 && targets.length ? buildProbeModel(model, targets) : undefined;
  const layerOfVariable = new Map<string, string>();
  for (const layer of model.layers) for (const w of layer.trainableWeights) layerOfVariable.set((w.read() as tf.Variable).name, layer.name);

  const start = opts.resume ? resumePoint(opts.resume, stepsPerEpoch) : undefined;
  if (start) hooks.resumed?.(start.info);
  let step = start?.step ?? 0;
  const epochEnd = new EpochEnd(config, opts.resume?.best);
  let last: Evaluation | undefined;
  const evalBatch = Math.max(config.batchSize, 128);
  let partial: PartialEpoch | undefined;

  for (let epoch = start?.epoch ?? 0; epoch < config.epochs; epoch++) {
    const started = performance.now();
    const from = epoch === start?.epoch ? start.partial : undefined;
    let lossSum = from?.lossSum ?? 0;
    let accSum = from?.accSum ?? 0;
    let seen = from?.seen ?? 0;
    let batchInEpoch = from?.batches ?? 0;
    let windowStart = performance.now();
    let windowSamples = 0;
    let lr = lrAt(step);
    for (const batch of batchesFrom(trainIter, epoch, batchInEpoch)) {
      if (hooks.gate && (await hooks.gate()) === 'stop') {
        partial = batchInEpoch > 0 ? { batches: batchInEpoch, lossSum, accSum, seen } : undefined;
        return finish('stopped', epoch);
      }
      lr = lrAt(step);
      // Data parallelism: helpers compute the later rows while this thread computes the first share.
      const parallel = opts.parallel;
      const own = parallel && batch.size >= parallel.threads ? ownRows(batch.size, parallel.threads) : batch.size;
      const remote = own < batch.size ? parallel!.start(batch, own) : undefined;
      const t = batchToTensors(headOfBatch(batch, own));
      const probing = probeModel !== undefined && step % config.probeEvery === 0;
      let extras: tf.Tensor[] = [];
      let accuracy: tf.Scalar | undefined;
      let { value: loss, grads } = tf.variableGrads(() => {
        const out = (probing ? probeModel!.model : model).apply(t.x, { training: true }) as tf.Tensor | tf.Tensor[];
        const outs = Array.isArray(out) ? out : [out];
        if (probing) extras = outs.slice(probeModel!.outputCount).map((e) => tf.keep(e));
        const { loss: base, metric } = adapter.stepLoss(outs.slice(0, probing ? probeModel!.outputCount : outs.length), t);
        accuracy = tf.keep(metric);
        return l1Weights.length ? base.add(l1Penalty(l1Weights, config.regularization.l1)) : base;
      }, variables);
      if (remote) ({ loss, accuracy, grads } = combineShares(await remote, own / batch.size, loss, accuracy!, grads, variables));
      const clipped = clipGradients(grads, config.clip);
      const summary = tf.tidy(() => tf.stack([loss, accuracy!, clipped.globalNorm]));
      const [lossValue, accValue, gradNorm] = (await summary.data()) as Float32Array;
      summary.dispose();
      if (!Number.isFinite(lossValue) || !Number.isFinite(gradNorm)) {
        const layer = await firstNonFinite(grads, variables, layerOfVariable);
        tf.dispose([loss, accuracy!, clipped.globalNorm, ...extras, ...Object.values(grads), ...clipped.grads.values()]);
        disposeBatchTensors(t);
        throw new NonFiniteError(step, layer, Number.isFinite(lossValue) ? 'gradient' : 'loss');
      }
      const stats = probing ? optimizer.applyGradients(clipped.grads, lr, { stats: true }) : optimizer.applyGradients(clipped.grads, lr);
      parallel?.pushWeights();
      if (probing && hooks.probe) {
        const pending = collectProbe(model, targets, probeModel!, extras, Object.fromEntries(clipped.grads) as tf.NamedTensorMap, stats);
        hooks.probe(await pending.read(), step, epoch);
      }
      tf.dispose([loss, accuracy!, clipped.globalNorm, ...extras, ...Object.values(grads), ...clipped.grads.values()]);
      if (stats) tf.dispose([stats.updateNorms, stats.weightNorms]);
      disposeBatchTensors(t);

      step++;
      batchInEpoch++;
      lossSum += lossValue * batch.size;
      accSum += accValue * batch.size;
      seen += batch.size;
      windowSamples += batch.size;
      const now = performance.now();
      hooks.step?.({ step, epoch, loss: lossValue, accuracy: accValue, lr, gradNorm, samplesPerSec: (windowSamples * 1000) / Math.max(1, now - windowStart) });
      if (now - windowStart > 2000) {
        windowStart = now;
        windowSamples = 0;
      }
      await yieldToEvents();
    }

    last = await adapter.evaluate(model, dataset, 'val', { batchSize: evalBatch, limit: config.valLimit });
    const metric = epochEnd.metricOf(last);
    const info: EpochInfo = { epoch: epoch + 1, lr, seconds: (performance.now() - started) / 1000, train: { loss: lossSum / seen, accuracy: accSum / seen }, val: withoutPredictions(last), headline: last.headline };
    hooks.epoch?.(info);
    if ((await epochEnd.after(epoch + 1, metric, hooks, checkpoint)) === 'stop') return finish('early-stopped', epoch + 1);
  }
  return finish('completed', config.epochs);

  async function checkpoint(reason: Checkpoint['reason'], epoch: number, metric: number): Promise<Checkpoint> {
    return { reason, epoch, step, ...(reason === 'final' && partial ? { partial } : {}), metric, artifacts: await saveToMemory(model), optimizer: await optimizer.getStateAsync() };
  }

  async function finish(reason: TrainResult['reason'], epochs: number): Promise<TrainResult> {
    if (reason === 'stopped' && hooks.checkpoint) await hooks.checkpoint(await checkpoint('final', epochs, NaN));
    optimizer.dispose();
    return { reason, epochs, steps: step, final: last, best: epochEnd.best };
  }
}

/** The batches of an epoch from batch `from` on, in the epoch's seeded order (a resumed epoch skips those done). */
function* batchesFrom(iter: BatchIterator, epoch: number, from: number): Generator<ReturnType<BatchIterator['batch']>> {
  if (from === 0) {
    yield* iter.epoch(epoch);
    return;
  }
  for (let b = from; b < iter.batches; b++) yield iter.batch(epoch, b);
}

/**
 * Where a resumed run continues. The data order is a function of (seed, epoch, batch) and the schedule a
 * function of the step, so a checkpoint taken mid-epoch continues at the exact next batch with the same
 * learning rate. When the checkpoint does not fit this run's epoch length (another batch size or sample limit)
 * the epoch restarts from its first batch and the step goes back to the epoch's start, and the message says so.
 */
export function resumePoint(r: ResumeState, stepsPerEpoch: number): { epoch: number; step: number; partial?: PartialEpoch; info: ResumeInfo } {
  const epochStart = r.epoch * stepsPerEpoch;
  const done = r.partial?.batches ?? r.step - epochStart;
  if (done === 0 && r.step === epochStart) {
    const message = r.step === 0 ? 'Resumed at the start: no step was trained before the stop.' : `Resumed after step ${r.step}, at the end of epoch ${r.epoch}: epoch ${r.epoch + 1} starts from its first batch.`;
    return { epoch: r.epoch, step: r.step, info: { step: r.step, epoch: r.epoch, batchInEpoch: 0, stepsPerEpoch, exact: true, message } };
  }
  if (done > 0 && done < stepsPerEpoch && r.step === epochStart + done) {
    const partial = r.partial ?? { batches: done, lossSum: 0, accSum: 0, seen: 0 };
    return {
      epoch: r.epoch,
      step: r.step,
      partial,
      info: { step: r.step, epoch: r.epoch, batchInEpoch: done, stepsPerEpoch, exact: true, message: `Resumed exactly after step ${r.step} (epoch ${r.epoch + 1}, batch ${done} of ${stepsPerEpoch}): the epoch continues with its remaining ${stepsPerEpoch - done} batches, in the same order, with the learning-rate schedule at step ${r.step}.` },
    };
  }
  return {
    epoch: r.epoch,
    step: epochStart,
    info: {
      step: epochStart,
      epoch: r.epoch,
      batchInEpoch: 0,
      stepsPerEpoch,
      exact: false,
      message: `The checkpoint (step ${r.step}) does not fit this run's ${stepsPerEpoch} steps per epoch: epoch ${r.epoch + 1} restarts from its first batch at step ${epochStart}, and the steps after it are trained again.`,
    },
  };
}

/**
 * This thread's share (loss, metric, gradients: means over its rows) weighted by its fraction of the batch,
 * plus the helpers' already-weighted shares: the batch means. Disposes the inputs it replaces.
 */
function combineShares(
  remote: { loss: number; metric: number; grads: Float32Array[] },
  fraction: number,
  loss: tf.Scalar,
  accuracy: tf.Scalar,
  grads: tf.NamedTensorMap,
  variables: readonly tf.Variable[],
): { loss: tf.Scalar; accuracy: tf.Scalar; grads: tf.NamedTensorMap } {
  const combined = tf.tidy(() => {
    const g: tf.NamedTensorMap = {};
    variables.forEach((v, i) => {
      const mine = grads[v.name];
      const theirs = tf.tensor(remote.grads[i], v.shape);
      g[v.name] = mine ? tf.add(tf.mul(mine, fraction), theirs) : theirs;
    });
    return {
      loss: tf.add(tf.mul(loss, fraction), remote.loss) as tf.Scalar,
      accuracy: tf.add(tf.mul(accuracy, fraction), Number.isNaN(remote.metric) ? 0 : remote.metric) as tf.Scalar,
      grads: g,
    };
  });
  tf.dispose([loss, accuracy, ...Object.values(grads)]);
  return combined;
}

function withoutPredictions(e: Evaluation): EvaluationReport {
  const { headline: _h, ...report } = e;
  return report;
}

async function firstNonFinite(grads: tf.NamedTensorMap, variables: readonly tf.Variable[], layerOf: Map<string, string>): Promise<string | undefined> {
  for (const v of variables) {
    const g = grads[v.name];
    if (!g) continue;
    const sum = tf.sum(g);
    const s = (await sum.data())[0];
    sum.dispose();
    if (!Number.isFinite(s)) return layerOf.get(v.name) ?? v.name;
  }
  return undefined;
}

/** Lets pause/stop messages and timers run between steps. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
