// The PyTorch engine: the same loop as trainer.ts (data, schedule, evaluation, early stopping, checkpoints in
// the lab), with the model and optimizer in a Python process that trains the module the PyTorch exporter
// writes. Batches are the TF.js runs' batches (same pipeline, splits, seeds and augmentation), streamed to it.
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { GraphDoc } from '../../../shared/graph/types';
import type { TrainConfig } from '../../../shared/training/config';
import type { LayerProbe } from '../../../shared/training/telemetry';
import { BatchIterator, type Batch } from '../data/batch';
import type { Dataset } from '../data/types';
import type { Compiled } from '../compile/compile';
import { exportPytorch, pytorchSupported } from '../export/pytorch/export';
import { lossConfig, optimizerConfig, scheduleConfig } from '../train/configMap';
import { LossConfigSchema } from '../train/losses';
import { OptimizerConfigSchema } from '../train/optimizers';
import { isBiasOrNormParam } from '../train/regularization';
import { makeSchedule } from '../train/schedules';
import { probeTargets } from '../train/targets';
import { EpochEnd } from '../train/epochEnd';
import { inferenceWhenFrozen } from '../train/frozenMode';
import { lrScalesOf } from '../train/lrMultipliers';
import { baseOfLayer } from '../compile/naming';
import type { Evaluation } from '../train/tasks/types';
import { saveToMemory } from '../compile/artifacts';
import { NonFiniteError, type Checkpoint, type ResumeState, type TrainerHooks, type TrainResult } from '../train/trainer';
import { nodeName } from '../../../shared/graph/analyze';
import { deviceLabel, discoverTorch, discoverTorchUncached, pickDevice, type TorchDeviceChoice } from './discover';
import { decodeProbe, torchProbeTargets } from './probes';
import { RunnerError, RunnerProcess } from './process';
import { torchTask, TORCH_TASKS } from './tasks';
import { buildWeightMap, tfWeightsFromTorch } from './weightMap';

export interface TorchEngineInfo {
  /** "PyTorch 2.5.1 · CUDA · NVIDIA H200" for the run record, the Train panel and the CLI. */
  label: string;
  torchVersion: string;
  device: string;
  python: string;
}

/** Why a graph cannot train on the PyTorch engine, or undefined. */
export function torchUnsupported(compiled: Compiled, task: string): string | undefined {
  if (!(TORCH_TASKS as readonly string[]).includes(task)) return `the PyTorch engine trains ${TORCH_TASKS.join(', ')} networks; this is a ${task} network (train it on TF.js)`;
  const missing = compiled.analysis.expanded.nodes.filter((n) => !pytorchSupported(n.type));
  if (missing.length) return `block '${nodeName(missing[0])}' (${missing[0].type}) has no PyTorch twin yet, so the PyTorch engine cannot train this network (train it on TF.js)`;
  return undefined;
}

export interface TorchTrainArgs {
  runDir: string;
  graph: GraphDoc;
  compiled: Compiled;
  dataset: Dataset;
  config: TrainConfig;
  resume?: ResumeState;
  /** The checkpoint folder resumed from (its torch.pt restores the optimizer exactly). */
  resumeFrom?: string;
  hooks: TrainerHooks & { ready?(info: TorchEngineInfo): void };
  /** Tests: a given interpreter instead of discovery. */
  python?: string;
}

/** Trains on the PyTorch engine; resolves like trainer.train. The Python process never outlives it. */
export async function trainWithTorch(a: TorchTrainArgs): Promise<TrainResult & { engine: TorchEngineInfo }> {
  const { compiled, dataset, config } = a;
  const hooks = a.hooks;
  const model = compiled.model;
  const task = dataset.info.task;
  const unsupported = torchUnsupported(compiled, task);
  if (unsupported) throw new Error(unsupported);

  const found = a.python ? await discoverTorchUncached({ candidates: [a.python] }) : await discoverTorch();
  if (!found.ok) throw new Error(`${found.reason}. ${found.howTo}`);
  const device = pickDevice(found, config.device as TorchDeviceChoice);
  const torchDevice = device.kind === 'cuda' ? `cuda:${device.index}` : device.kind;
  const ranks = config.nproc > 1 ? ` · ${config.nproc} processes (DDP)` : '';
  const engine: TorchEngineInfo = { label: `${deviceLabel(device, found.rocm)} · torch ${found.torchVersion}${ranks}`, torchVersion: found.torchVersion, device: torchDevice, python: found.executable };

  // The module, its initial weights (the TF.js initialisation, so both engines start alike) and the map back.
  const work = join(a.runDir, 'torch');
  await fsp.mkdir(work, { recursive: true });
  const exported = exportPytorch(a.graph, model, { taps: true });
  const map = buildWeightMap(a.graph, model);
  await fsp.writeFile(join(work, 'model.py'), exported.modelPy);
  await fsp.writeFile(join(work, 'init.safetensors'), exported.weights);

  const variables = model.trainableWeights;
  const layerOfVariable = new Map<string, string>();
  for (const layer of model.layers) for (const w of layer.trainableWeights) layerOfVariable.set(w.name, layer.name);
  const lrScales = lrScalesOf(model);
  const optCfg = OptimizerConfigSchema.parse(optimizerConfig(config));
  const seen = new Set<string>();
  const params = variables.flatMap((v, i) => {
    const key = map.keyOf.get(v.name)!;
    if (seen.has(key)) return [];
    seen.add(key);
    const ruleOf = { name: (v.read() as tf.Variable).name, shape: v.shape as number[] };
    return [{ key, layer: layerOfVariable.get(v.name) ?? v.name, decay: optCfg.decayBiasAndNorm || !isBiasOrNormParam(ruleOf), l1: !isBiasOrNormParam(ruleOf), lrScale: lrScales[i] }];
  });
  const frozenBases = new Set(model.layers.filter((l) => inferenceWhenFrozen(l)).map((l) => baseOfLayer(l.name)));
  const targets = config.probeEvery > 0 ? torchProbeTargets(compiled, probeTargets(compiled), exported.nodeVars, map.keyOf) : [];

  const taskSpec = torchTask(dataset, config, model);
  const parallel = dataParallel(config.nproc, found.torchVersion, torchDevice);
  const proc = new RunnerProcess(found.python, { onStderr: (line) => hooks.log?.('info', `python: ${line}`), ...parallel.spawn });
  try {
    await proc.request({
      op: 'init',
      modelPy: join(work, 'model.py'),
      weights: join(work, 'init.safetensors'),
      className: exported.className,
      device: torchDevice,
      seed: config.seed,
      // NETSMITH_TORCH_TF32=0: full float32 math on CUDA (parity checks); TF32 stays on otherwise, as in PyTorch.
      exactMath: process.env.NETSMITH_TORCH_TF32 === '0',
      threads: device.kind === 'cpu' ? Math.max(1, Math.floor(cpuThreads() / config.nproc)) : undefined,
      task,
      params,
      optimizer: optCfg,
      loss: LossConfigSchema.parse(lossConfig(config, task)),
      l1: config.regularization.l1,
      clip: config.clip,
      probes: targets,
      // Frozen blocks that normalise with their running statistics: eval mode while the rest trains (train/frozen.ts).
      frozenModules: map.modules.filter((m) => frozenBases.has(m.base)).map((m) => m.name),
      ...taskSpec.init,
    });
    if (a.resume && a.resumeFrom && existsSync(join(a.resumeFrom, 'torch.pt'))) {
      await proc.request({ op: 'load', torch: join(a.resumeFrom, 'torch.pt') });
    } else if (a.resume) {
      hooks.log?.('warning', 'The checkpoint has no PyTorch optimizer state (it was written by TF.js): training resumes from its weights with a fresh optimizer.');
    }
    hooks.ready?.(engine);
    return { ...(await loop()), engine };
  } catch (err) {
    if (err instanceof RunnerError || err instanceof NonFiniteError) throw err;
    // The process died under us: its death is the better explanation.
    await Promise.race([proc.exitedPromise, new Promise((r) => setTimeout(r, 200))]);
    throw err;
  } finally {
    await proc.close();
    // The checkpoints hold these; model.py and the initial weights stay for reference.
    for (const f of ['state.pt', 'state.safetensors']) await fsp.rm(join(work, f), { force: true });
  }

  async function loop(): Promise<TrainResult> {
    const trainIter = new BatchIterator(dataset, 'train', { batchSize: config.batchSize, seed: config.seed, augment: config.augment, limit: config.trainLimit, dropLast: false });
    const stepsPerEpoch = trainIter.batches;
    const lrAt = makeSchedule(scheduleConfig(config, stepsPerEpoch), stepsPerEpoch * config.epochs, stepsPerEpoch);
    const classes = dataset.info.classes.length;
    let step = a.resume?.step ?? 0;
    const epochEnd = new EpochEnd(config, a.resume?.best);
    let last: Evaluation | undefined;
    const evalBatch = Math.max(config.batchSize, 128);
    const forward = async (batch: Batch): Promise<tf.Tensor[]> => {
      const { message, payload } = await proc.request({ op: 'eval', ...batchHeader(batch, classes) }, batchPayload(batch));
      const all = new Float32Array(payload!.buffer.slice(payload!.byteOffset, payload!.byteOffset + payload!.byteLength));
      let offset = 0;
      return (message.shapes as number[][]).map((shape) => {
        const size = shape.reduce((a, b) => a * b, 1);
        return tf.tensor(all.subarray(offset, (offset += size)), shape);
      });
    };

    for (let epoch = a.resume?.epoch ?? 0; epoch < config.epochs; epoch++) {
      const started = performance.now();
      let lossSum = 0;
      let accSum = 0;
      let seenSamples = 0;
      let windowStart = performance.now();
      let windowSamples = 0;
      let lr = lrAt(step);
      // One step in flight: batch k+1 goes down the pipe before step k's reply is read, so the lab prepares
      // the next batch while PyTorch trains.
      let inFlight: (() => Promise<void>) | undefined;
      const collect = async (): Promise<void> => {
        const f = inFlight;
        inFlight = undefined;
        if (f) await f();
      };
      let next = step;
      for (const batch of trainIter.epoch(epoch)) {
        if (hooks.gate && (await hooks.gate()) === 'stop') {
          await collect();
          return finish('stopped', epoch);
        }
        const s = next++;
        const rate = lrAt(s);
        const probing = targets.length > 0 && s % config.probeEvery === 0;
        const extra = taskSpec.batch(batch);
        await proc.send({ op: 'train', lr: rate, probe: probing, ...batchHeader(batch, classes), ...extra.header }, [...batchPayload(batch), ...extra.parts]);
        await collect();
        inFlight = async () => {
          const { message: m } = await proc.next();
          if (m.type === 'nonfinite') throw new NonFiniteError(s, (m.layer as string | null) ?? undefined, m.what === 'loss' ? 'loss' : 'gradient');
          if (probing) {
            const { message: pm, payload } = await proc.next();
            const layers: LayerProbe[] = decodeProbe(targets, pm.layout as [string, number][], payload ?? new Uint8Array(0));
            hooks.probe?.(layers, s, epoch);
          }
          step = s + 1;
          lr = rate;
          const lossValue = m.loss as number;
          const accValue = m.accuracy as number;
          lossSum += lossValue * batch.size;
          accSum += accValue * batch.size;
          seenSamples += batch.size;
          windowSamples += batch.size;
          const now = performance.now();
          hooks.step?.({ step, epoch, loss: lossValue, accuracy: accValue, lr, gradNorm: m.gradNorm as number, samplesPerSec: (windowSamples * 1000) / Math.max(1, now - windowStart) });
          if (now - windowStart > 2000) {
            windowStart = now;
            windowSamples = 0;
          }
        };
        await new Promise<void>((r) => setImmediate(r));
      }
      await collect();

      last = await taskSpec.evaluate(forward, dataset, { batchSize: evalBatch, limit: config.valLimit });
      const metric = epochEnd.metricOf(last);
      const { headline: _h, ...report } = last;
      hooks.epoch?.({ epoch: epoch + 1, lr, seconds: (performance.now() - started) / 1000, train: { loss: lossSum / seenSamples, accuracy: accSum / seenSamples }, val: report, headline: last.headline });
      if ((await epochEnd.after(epoch + 1, metric, hooks, checkpoint)) === 'stop') return finish('early-stopped', epoch + 1);
    }
    return finish('completed', config.epochs);

    /** The torch weights copied into the TF.js model (so Runs, Predict and Export read the usual checkpoint), plus torch.pt. */
    async function checkpoint(reason: Checkpoint['reason'], epoch: number, metric: number): Promise<Checkpoint> {
      const weightsFile = join(work, 'state.safetensors');
      const torchFile = join(work, 'state.pt');
      await proc.request({ op: 'save', weights: weightsFile, torch: torchFile });
      const values = tfWeightsFromTorch(map, new Uint8Array(await fsp.readFile(weightsFile)));
      model.weights.forEach((v, i) => v.write(tf.tensor(values[i], v.shape as number[])));
      return {
        reason,
        epoch,
        step,
        metric,
        artifacts: await saveToMemory(model),
        optimizer: { name: optCfg.name, step, slots: {} },
        extra: { 'torch.pt': new Uint8Array(await fsp.readFile(torchFile)) },
      };
    }

    async function finish(reason: TrainResult['reason'], epochs: number): Promise<TrainResult> {
      if (reason === 'stopped' && hooks.checkpoint) await hooks.checkpoint(await checkpoint('final', epochs, NaN));
      return { reason, epochs, steps: step, final: last, best: epochEnd.best };
    }
  }
}

/**
 * More than one process: torchrun (python/netsmith_runner/launch.py) starts `nproc` ranks on this machine, or as
 * NETSMITH_TORCHRUN_ARGS says (a multi-node job: its rendezvous options, this machine being --node_rank 0).
 * Debian's torch 1.13 torchrun fails on Python 3.11 (elastic/multiprocessing/api.py), so torch 2 is required.
 */
export function dataParallel(nproc: number, torchVersion: string, device: string): { spawn: { module?: string; args?: string[]; env?: NodeJS.ProcessEnv } } {
  if (nproc <= 1) return { spawn: {} };
  const major = Number(torchVersion.split('.')[0]);
  if (!(major >= 2)) throw new Error(`training on ${nproc} processes runs torchrun, which needs torch 2.0 or newer; the Python found has torch ${torchVersion} (whose torchrun fails on Python 3.11). Install torch 2 (pip install torch) or train on one process`);
  if (device === 'mps') throw new Error('Apple GPUs run one process: train with --nproc 1 on MPS');
  const extra = (process.env.NETSMITH_TORCHRUN_ARGS ?? '').split(/\s+/).filter(Boolean);
  const backend = device.startsWith('cuda') ? 'cpu:gloo,cuda:nccl' : 'gloo';
  return { spawn: { module: 'netsmith_runner.launch', args: ['--nproc_per_node', String(nproc), ...extra], env: { NETSMITH_DIST_BACKEND: backend } } };
}

/**
 * PyTorch's CPU threads: one core is left to the lab, which prepares the next batch meanwhile. OpenMP threads
 * that share cores collapse (measured on a busy 2-core machine: LeNet 2,352 samples/s on one thread, 465 on
 * two). NETSMITH_TORCH_THREADS overrides it.
 */
export function cpuThreads(): number {
  const asked = Number(process.env.NETSMITH_TORCH_THREADS);
  return Number.isInteger(asked) && asked > 0 ? asked : Math.max(1, availableParallelism() - 1);
}

function batchHeader(batch: Batch, classes: number): Record<string, unknown> {
  return { n: batch.size, shape: batch.shape, classes };
}

/** x (NHWC float32), y (soft class weights), labels (int32): the runner reads them in this order. */
function batchPayload(batch: Batch): Uint8Array[] {
  const bytes = (a: Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return [bytes(batch.x), bytes(batch.y), bytes(batch.labels)];
}
