import { parentPort, workerData } from 'node:worker_threads';
import { withNormalization } from '../data/withNormalization';
import { applyFreeze } from '../train/frozen';
import { applyLrMultipliers } from '../train/lrMultipliers';
import { initFrom, resolveInitSource } from '../weights/initFrom';
import { folderResizeNote } from '../weights/initResize';
import * as tf from '@tensorflow/tfjs';
import type { LabEvent } from '../../../shared/api';
import { importReportOf, skippedHeadline, type SkippedFile } from '../../../shared/importReport';
import { adaptToDataset } from '../../../shared/graph/adapt';
import { trainConfigSchema } from '../../../shared/training/config';
import { taskMetricNames } from '../../../shared/training/metricNames';
import { checkpointModelFiles, readCheckpoint, writeCheckpoint, type CheckpointFiles } from '../../runs/checkpoints';
import { fallbackOps, selectBackend, tfjsPreference } from '../backend/select';
import { compile } from '../compile/compile';
import type { InitChoice } from '../compile/init';
import { isDataError } from '../data/errors';
import { loadDataset } from '../data/registry';
import { ParallelGradients, planParallel } from '../train/parallel';
import { probeTargets } from '../train/targets';
import { detectionWarnings, resolveDetectionConfig } from '../train/tasks/detection';
import { NonFiniteError, train, type Checkpoint, type ResumeState, type TrainerHooks, type TrainResult } from '../train/trainer';
import type { Compiled } from '../compile/compile';
import type { Dataset } from '../data/types';
import type { GraphDoc } from '../../../shared/graph/types';
import type { TrainConfig } from '../../../shared/training/config';
import { seedMathRandom } from '../train/seedRandom';
import { torchForAuto } from '../torch/auto';
import { primeDiscovery } from '../torch/discover';
import { trainWithTorch, type TorchEngineInfo } from '../torch/engine';
import type { TrainedData } from '../../../shared/runs/runRecord';
import type { FromWorker, ToWorker, WorkerStart } from './protocol';

const port = parentPort!;
const start = workerData as WorkerStart;
const post = (m: FromWorker): void => port.postMessage(m);

/** Step events are throttled (the latest wins); everything else is sent in the next flush. */
const STEP_INTERVAL_MS = 200;
let queue: LabEvent[] = [];
let pendingStep: LabEvent | undefined;
let lastStepSent = 0;
function emit(e: LabEvent): void {
  if (e.type === 'step') {
    pendingStep = e;
    if (performance.now() - lastStepSent < STEP_INTERVAL_MS) return;
    lastStepSent = performance.now();
    queue.push(pendingStep);
    pendingStep = undefined;
  } else queue.push(e);
  flush();
}
function flush(final = false): void {
  if (final && pendingStep) {
    queue.push(pendingStep);
    pendingStep = undefined;
  }
  if (queue.length === 0) return;
  post({ type: 'events', events: queue });
  queue = [];
}

let paused = false;
let stopRequested = false;
let wake: (() => void) | undefined;
port.on('message', (m: ToWorker) => {
  if (m.type === 'pause') paused = true;
  if (m.type === 'resume') paused = false;
  if (m.type === 'stop') stopRequested = true;
  wake?.();
});
async function gate(): Promise<'continue' | 'stop'> {
  while (paused && !stopRequested) await new Promise<void>((r) => (wake = r));
  return stopRequested ? 'stop' : 'continue';
}

async function main(): Promise<void> {
  const runId = start.runId;
  if (start.torch) primeDiscovery(start.torch);
  let config = trainConfigSchema.parse(start.config);
  seedMathRandom('run', config.seed);
  // The host restored and validated the graph once (RunRegistry.startRun); it is trained as given.
  const drawn = start.graph;
  // The TF.js backend also serves a PyTorch run: it builds the initial weights and scores the validation logits.
  const backend = await selectBackend({ prefer: tfjsPreference(config.backend) });
  tf.randomUniform([1]).dispose(); // initialises the backend before timing anything
  // The weights' own preprocessing (mean/std, and for folder images their resize and centre crop) replaces the dataset's.
  const initSource = config.initFrom ? await resolveInitSource(config.initFrom) : undefined;
  let loaded;
  try {
    loaded = await loadDataset(start.dataset, { seed: config.seed, ...(initSource?.crop ? { crop: initSource.crop } : {}) });
  } catch (err) {
    if (isDataError(err) && err.skipped?.length) reportSkipped(runId, err.skipped);
    throw err;
  }
  const { skipped, warnings } = loaded;
  let dataset = loaded.dataset;
  // A resumed run imported the same folder when it started: its log has the list already.
  if (!start.resumeFrom) {
    reportSkipped(runId, skipped);
    for (const w of warnings) emit({ type: 'log', runId, level: 'warning', message: w });
  }
  const resizeNote = initSource?.crop && folderResizeNote(dataset.info, initSource.crop);
  if (resizeNote && !start.resumeFrom) emit({ type: 'log', runId, level: 'info', message: resizeNote });

  if (drawn.meta.task !== dataset.info.task) {
    throw new Error(`the graph is a ${drawn.meta.task} network but ${dataset.info.name} is a ${dataset.info.task} dataset`);
  }
  const adapted = adaptToDataset(drawn, { name: dataset.info.name, shape: dataset.info.shape, classes: dataset.info.classes.length });
  for (const note of adapted.notes) emit({ type: 'log', runId, level: 'info', message: `Adapted the network: ${note}.` });
  const graph = adapted.graph;
  const toEngine = (name: string): InitChoice => name.replace('glorot', 'xavier') as InitChoice;
  const initByNode = Object.fromEntries(graph.nodes.filter((n) => n.init && n.init !== 'auto').map((n) => [n.id, toEngine(n.init!)]));
  const compileOptions = { init: toEngine(config.init), initByNode, seed: config.seed };
  const compiled = compile(graph, compileOptions);
  const outShape = compiled.model.outputs[0].shape;
  const classes = dataset.info.classes.length;
  if (graph.meta.task === 'classification' && outShape[outShape.length - 1] !== classes) {
    throw new Error(`the network's output has ${outShape[outShape.length - 1]} values per sample but ${dataset.info.name} has ${classes} classes: set the head's classes to ${classes}`);
  }
  // Detection: fix the anchors (k-means on the training boxes) and the decoding settings; run.json keeps them.
  const resolved = graph.meta.task === 'detection';
  if (resolved) {
    config = resolveDetectionConfig(dataset, config, compiled.model);
    for (const message of detectionWarnings(dataset, compiled.model)) emit({ type: 'log', runId, level: 'warning', message });
  }
  const names = taskMetricNames(graph.meta.task);

  // --- pretrained weights and frozen blocks (weights-import) ---
  if (initSource) {
    const source = initSource;
    // A resumed run has the weights in its checkpoint already; the preprocessing applies either way.
    if (!start.resumeFrom) {
      const init = await initFrom(source, compiled.model);
      emit({ type: 'log', runId, level: 'info', message: init.message });
    }
    if (source.norm) {
      dataset = withNormalization(dataset, source.norm);
      emit({ type: 'log', runId, level: 'info', message: `Images are normalised as the weights expect: mean ${source.norm.mean.map((v) => v.toFixed(3)).join(', ')}, std ${source.norm.std.map((v) => v.toFixed(3)).join(', ')} (not ${dataset.info.name}'s own statistics).` });
    }
  }
  const freeze = applyFreeze(compiled, graph, config.frozenBatchNorm);
  if (freeze.layers.length) emit({ type: 'log', runId, level: 'info', message: `Frozen: ${freeze.layers.length} layers, ${freeze.frozen.toLocaleString('en-US')} parameters fixed, ${freeze.trainable.toLocaleString('en-US')} trainable; BatchNorm in frozen blocks ${config.frozenBatchNorm === 'update' ? 'keeps updating its running statistics' : 'uses its running statistics'}.` });
  // --- end pretrained weights and frozen blocks ---
  const lrMultipliers = applyLrMultipliers(compiled, graph);
  if (lrMultipliers.layers) emit({ type: 'log', runId, level: 'info', message: `Learning-rate multipliers: ${lrMultipliers.text} (${lrMultipliers.layers} layers train at the scheduled rate × their block's multiplier).` });

  let resume: ResumeState | undefined;
  if (start.resumeFrom) {
    const ck = await readCheckpoint(start.resumeFrom);
    const topology = JSON.parse(ck.modelJson) as { weightSpecs: tf.io.WeightsManifestEntry[] };
    const weights = tf.io.decodeWeights(ck.weights.buffer.slice(ck.weights.byteOffset, ck.weights.byteOffset + ck.weights.byteLength) as ArrayBuffer, topology.weightSpecs);
    for (const v of compiled.model.weights) {
      const t = weights[v.originalName] ?? weights[v.name];
      if (!t) throw new Error(`the checkpoint has no value for ${v.name}`);
      v.write(t);
    }
    tf.dispose(Object.values(weights));
    resume = {
      epoch: ck.progress.epoch,
      step: ck.progress.step,
      best: ck.progress.best,
      ...(ck.progress.partial ? { partial: ck.progress.partial } : {}),
      optimizer: { name: ck.optimizer.name as never, step: ck.optimizer.step, slots: ck.optimizer.slots },
    };
  }

  if (config.backend === 'auto') {
    const pick = await torchForAuto(compiled, dataset.info.task);
    if (pick.use) config = { ...config, backend: 'torch' };
    if (pick.why) emit({ type: 'log', runId, level: 'info', message: pick.why });
  }
  if (config.backend === 'torch') return trainTorch(graph, compiled, dataset, config, resume, names);

  // Data parallelism (config.workers): helper threads compute a share of every batch.
  const plan = planParallel(config, { backend: backend.name, task: dataset.info.task });
  let parallel: ParallelGradients | undefined;
  if (plan.threads > 1) {
    try {
      parallel = await ParallelGradients.create({
        threads: plan.threads,
        replica: { graph, compile: compileOptions, config, dataset: dataset.info },
        variables: compiled.model.trainableWeights.map((w) => w.read() as tf.Variable),
      });
      emit({ type: 'log', runId, level: 'info', message: `Training on ${plan.reason}: each batch is split over the threads and their gradients averaged.` });
    } catch (err) {
      emit({ type: 'log', runId, level: 'warning', message: `Training on one thread: the data-parallel helpers did not start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).` });
    }
  } else {
    emit({ type: 'log', runId, level: 'info', message: `Training on one thread: ${plan.reason}.` });
  }
  const threads = parallel ? ` · ${parallel.threads} threads` : '';

  const label = `${backend.label}${threads}`;
  post({
    type: 'ready',
    backend: label,
    engine: { name: 'tfjs', backend: label, device: backend.device, version: tf.version.tfjs },
    fallbackOps: backend.fallbackOps,
    ...(resolved ? { config: config as unknown as Record<string, unknown> } : {}),
    graph,
    data: trainedData(dataset),
    stepsPerEpoch: stepsPerEpochOf(dataset, config),
  });
  const result = await train({
    model: compiled.model,
    dataset,
    config,
    probeTargets: probeTargets(compiled),
    resume,
    parallel,
    hooks: trainerHooks(runId, names, resume?.best),
  }).finally(() => parallel?.close());
  const used = fallbackOps();
  if (used.length) emit({ type: 'log', runId, level: 'warning', message: `ops that fell back to the slow cpu path: ${used.join(', ')}` });
  finishRun(result, names);
}

/** The hooks both engines report through: events, checkpoints (epoch-N, best, last) and pause/stop. */
function trainerHooks(runId: string, names: ReturnType<typeof taskMetricNames>, resumedBest: number | undefined): TrainerHooks {
  let best = resumedBest;
  return {
    gate,
    step: (s) => emit({ type: 'step', runId, step: s.step, epoch: s.epoch + 1, loss: s.loss, accuracy: s.accuracy, metricName: names.step, lr: s.lr, samplesPerSec: s.samplesPerSec }),
    epoch: (e) => emit({ type: 'epoch', runId, epoch: e.epoch, lr: e.lr, seconds: e.seconds, train: e.train, val: e.val, headline: e.headline, metricName: names.headline }),
    probe: (layers, step, epoch) => emit({ type: 'probe', runId, step, epoch, layers }),
    log: (level, message) => emit({ type: 'log', runId, level, message }),
    resumed: (r) => {
      // A crash logs steps after the last checkpoint: they are trained again, and the marker says so.
      const repeated = start.loggedStep !== undefined && start.loggedStep > r.step ? start.loggedStep - r.step : 0;
      const message = repeated ? `${r.message} Steps ${r.step + 1}–${start.loggedStep} were logged after that checkpoint and are trained again: the curves keep the new ones.` : r.message;
      const exact = r.exact && repeated === 0;
      const { after, checkpoint } = start.resumed ?? { after: 'stop', checkpoint: 'last' };
      emit({ type: 'resume', runId, step: r.step, epoch: r.epoch + 1, batchInEpoch: r.batchInEpoch, stepsPerEpoch: r.stepsPerEpoch, exact, message, after, checkpoint });
      emit({ type: 'log', runId, level: exact ? 'info' : 'warning', message });
    },
    checkpoint: async (ck: Checkpoint) => {
      if (ck.reason === 'best') best = ck.metric;
      const name = ck.reason === 'best' ? 'best' : ck.reason === 'final' ? 'last' : `epoch-${ck.epoch}`;
      await writeCheckpoint(start.runDir, name, toFiles(ck, best));
      flush();
      post({ type: 'checkpoint', name, reason: ck.reason, epoch: ck.epoch, step: ck.step, metric: ck.metric });
    },
  };
}

async function trainTorch(graph: GraphDoc, compiled: Compiled, dataset: Dataset, config: TrainConfig, resume: ResumeState | undefined, names: ReturnType<typeof taskMetricNames>): Promise<void> {
  const ready = (engine: TorchEngineInfo): void => {
    emit({ type: 'log', runId: start.runId, level: 'info', message: `Training on ${engine.label} (${engine.python}).` });
    post({
      type: 'ready',
      backend: engine.label,
      engine: { name: 'torch', backend: engine.label, device: engine.device, version: engine.torchVersion },
      fallbackOps: [],
      stepsPerEpoch: stepsPerEpochOf(dataset, config),
      config: config as unknown as Record<string, unknown>,
      graph,
      data: trainedData(dataset),
    });
  };
  const result = await trainWithTorch({ runDir: start.runDir, graph, compiled, dataset, config, resume, resumeFrom: start.resumeFrom, hooks: { ...trainerHooks(start.runId, names, resume?.best), ready } });
  finishRun(result, names);
}

/** Optimizer steps per epoch: counted here once, kept in run.json, shown by the dashboards as is. */
function stepsPerEpochOf(dataset: Dataset, config: TrainConfig): number {
  return Math.ceil(Math.min(dataset.split('train').length, config.trainLimit ?? Infinity) / config.batchSize);
}

/** What the run trained on, kept in run.json so exports and Predict describe the real input and classes. */
function trainedData(dataset: Dataset): TrainedData {
  const { resizeShorter } = dataset.info;
  return { shape: [...dataset.info.shape], classes: [...dataset.info.classes], norm: { mean: [...dataset.norm.mean], std: [...dataset.norm.std] }, ...(resizeShorter ? { resizeShorter } : {}) };
}

function finishRun(result: TrainResult, names: ReturnType<typeof taskMetricNames>): void {
  flush(true);
  const metrics: Record<string, number> = {};
  if (result.final) {
    metrics.val_loss = result.final.loss;
    metrics.val_accuracy = result.final.accuracy;
    if (result.final.top5 !== undefined) metrics.val_top5 = result.final.top5;
    if (names.key !== 'accuracy') metrics[`val_${names.key}`] = result.final.headline;
  }
  post({ type: 'done', reason: result.reason, epoch: result.epochs, step: result.steps, metrics });
  port.unref();
}

/** One log event lists every skipped file with its reason (metrics.jsonl, the run's page, the CLI). */
function reportSkipped(runId: string, skipped: readonly SkippedFile[]): void {
  if (skipped.length === 0) return;
  const report = importReportOf(skipped, []);
  emit({ type: 'log', runId, level: 'warning', message: `${skippedHeadline(report.skippedTotal)} while importing the dataset`, skipped: report.skipped, skippedTotal: report.skippedTotal });
}

function toFiles(ck: Checkpoint, best: number | undefined): CheckpointFiles {
  return {
    ...checkpointModelFiles(ck.artifacts),
    optimizer: ck.optimizer,
    progress: { epoch: ck.epoch, step: ck.step, metric: ck.metric, best, ...(ck.partial ? { partial: ck.partial } : {}) },
    extra: ck.extra,
  };
}

main().catch((err: unknown) => {
  flush(true);
  const message = err instanceof Error ? err.message : String(err);
  post({ type: 'failed', message, step: err instanceof NonFiniteError ? err.step : undefined });
  port.unref();
});
