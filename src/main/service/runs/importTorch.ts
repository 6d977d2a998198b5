// Brings a network trained outside the lab (the exported train.py under torchrun on a cluster, or the runner's
// torch.pt) back as a run: its PyTorch state dict is mapped onto the graph's TF.js model (the PyTorch engine's
// weight map, so the layouts are the exporter's) and saved as the run's checkpoint, which Runs, Predict and
// Export open like any other. The graph and the dataset come from the user: a state dict holds neither.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fsp, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LabError } from '../../../shared/api';
import { errorsOf, analyze } from '../../../shared/graph/analyze';
import { adaptToDataset } from '../../../shared/graph/adapt';
import type { GraphDoc } from '../../../shared/graph/types';
import { trainConfigSchema } from '../../../shared/training/config';
import { compile } from '../../engine/compile/compile';
import { loadDataset } from '../../engine/data/registry';
import { exportPytorch } from '../../engine/export/pytorch/export';
import { decodeSafetensors } from '../../engine/export/pytorch/safetensors';
import { discoverTorch, PYTHON_ROOT } from '../../engine/torch/discover';
import { resolveDetectionConfig } from '../../engine/train/tasks/detection';
import { saveToMemory } from '../../engine/compile/artifacts';
import { buildWeightMap, tfWeightsFromTorch } from '../../engine/torch/weightMap';
import { checkpointModelFiles, writeCheckpoint } from '../../runs/checkpoints';
import { newRunId, RunStore } from '../../runs/runStore';
import { summaryOf, type RunRecord } from '../../../shared/runs/runRecord';
import type { RunSummary } from '../../../shared/api';

export interface ImportTorchArgs {
  /** The runs folder the run goes into. */
  runsDir: string;
  /** A .pt/.pth file, a .safetensors file, or a folder holding one (trained.pt, torch.pt, …). */
  checkpoint: string;
  /** The graph the weights were trained with (as exported). */
  graph: GraphDoc;
  /** The dataset it was trained on (its classes and normalisation; Predict and Export use them). */
  dataset: string;
  name?: string;
  /** Tests: a given interpreter instead of discovery. */
  python?: string;
}

const CANDIDATES = ['trained.pt', 'torch.pt', 'model.pt', 'checkpoint.pt', 'model.safetensors', 'weights.safetensors'];

/** The checkpoint file a path names (a folder: the first known name in it). */
export function checkpointFileOf(path: string): string {
  if (!existsSync(path)) throw new LabError(`no file or folder '${path}'`, 'not-found');
  if (!statSync(path).isDirectory()) return path;
  const found = CANDIDATES.map((n) => join(path, n)).find((f) => existsSync(f));
  if (!found) throw new LabError(`'${path}' holds none of ${CANDIDATES.join(', ')}: name the checkpoint file`, 'bad-args');
  return found;
}

/** A .pt file as .safetensors bytes, through the discovered Python's torch (python/netsmith_runner/convert.py). */
async function toSafetensors(file: string, python?: string): Promise<Uint8Array> {
  if (/\.safetensors$/i.test(file)) return new Uint8Array(await fsp.readFile(file));
  let interpreter = python;
  if (!interpreter) {
    const found = await discoverTorch();
    if (!found.ok) throw new LabError(`reading a PyTorch checkpoint needs PyTorch: ${found.reason}. ${found.howTo}`, 'no-engine');
    interpreter = found.python;
  }
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-import-'));
  const out = join(dir, 'state.safetensors');
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const env = { ...process.env, PYTHONPATH: [PYTHON_ROOT, process.env.PYTHONPATH].filter(Boolean).join(delimiter), PYTHONDONTWRITEBYTECODE: '1' };
      execFile(interpreter!, ['-m', 'netsmith_runner.convert', file, out], { env, maxBuffer: 1 << 20, timeout: 300_000 }, (err, stdout, stderr) => {
        const last = stdout.trim().split('\n').pop() ?? '';
        if (last.startsWith('{')) return resolve(last);
        reject(new LabError(`cannot read ${basename(file)} with PyTorch (${err?.message.split('\n')[0] ?? ''}${stderr.trim() ? `: ${stderr.trim().split('\n').pop()}` : ''})`, 'corrupt'));
      });
    });
    const result = JSON.parse(line) as { error?: string };
    if (result.error) throw new LabError(`${basename(file)} is not a PyTorch checkpoint the lab can read: ${result.error}`, 'corrupt');
    return new Uint8Array(await fsp.readFile(out));
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/** Every tensor the graph's PyTorch module has must be in the checkpoint with the same shape. */
function checkShapes(expected: Record<string, { shape: number[] }>, got: Record<string, { shape: number[] }>, graphName: string): void {
  const missing = Object.keys(expected).filter((k) => !got[k]);
  if (missing.length) {
    throw new LabError(`the checkpoint does not fit the graph '${graphName}': it has no ${missing.slice(0, 3).map((k) => `'${k}'`).join(', ')}${missing.length > 3 ? ` (and ${missing.length - 3} more)` : ''}. Import it with the graph it was trained with.`, 'bad-args');
  }
  for (const [k, t] of Object.entries(expected)) {
    const shape = got[k].shape;
    if (shape.length !== t.shape.length || shape.some((d, i) => d !== t.shape[i])) {
      throw new LabError(`the checkpoint does not fit the graph '${graphName}': '${k}' is [${shape.join(', ')}] but the graph needs [${t.shape.join(', ')}]. Import it with the graph (and dataset) it was trained with.`, 'bad-args');
    }
  }
}

/** Imports the checkpoint as a new completed run; returns its summary. Nothing is left behind on failure. */
export async function importTorchRun(a: ImportTorchArgs): Promise<RunSummary> {
  const file = checkpointFileOf(a.checkpoint);
  const errors = errorsOf(analyze(a.graph));
  if (errors.length) throw new LabError(`The graph has errors: ${errors.map((e) => e.message).join('; ')}`, 'invalid-graph');
  const { dataset } = await loadDataset(a.dataset, { seed: 42 });
  if (a.graph.meta.task !== dataset.info.task) throw new LabError(`the graph is a ${a.graph.meta.task} network but ${dataset.info.name} is a ${dataset.info.task} dataset`, 'bad-args');
  const graph = adaptToDataset(a.graph, { name: dataset.info.name, shape: dataset.info.shape, classes: dataset.info.classes.length }).graph;
  const state = await toSafetensors(file, a.python);
  let tensors: ReturnType<typeof decodeSafetensors>;
  try {
    tensors = decodeSafetensors(state);
  } catch (err) {
    throw new LabError(`${basename(file)} cannot be read: ${(err as Error).message}`, 'corrupt');
  }
  const compiled = compile(graph, { seed: 42 });
  const model = compiled.model;
  try {
    checkShapes(decodeSafetensors(exportPytorch(graph, model).weights), tensors, graph.meta.name);
    const values = tfWeightsFromTorch(buildWeightMap(graph, model), state);
    model.weights.forEach((v, i) => v.write(tf.tensor(values[i], v.shape as number[])));
    let config = trainConfigSchema.parse({ backend: 'torch', epochs: 1 });
    if (graph.meta.task === 'detection') config = resolveDetectionConfig(dataset, config, model);
    const modelFiles = checkpointModelFiles(await saveToMemory(model));
    const store = new RunStore(a.runsDir);
    const id = newRunId();
    const now = new Date().toISOString();
    const record: RunRecord = {
      id,
      name: a.name ?? `${graph.meta.name} · imported ${basename(file)}`,
      createdAt: now,
      updatedAt: now,
      state: 'completed',
      dataset: a.dataset,
      epoch: 1,
      epochs: 1,
      step: 0,
      backend: 'PyTorch (imported)',
      fallbackOps: [],
      tags: ['imported'],
      checkpoints: { last: 'last' },
      config: config as unknown as Record<string, unknown>,
      graph,
      data: { shape: [...dataset.info.shape], classes: [...dataset.info.classes], norm: { mean: [...dataset.norm.mean], std: [...dataset.norm.std] } },
    };
    // run.json goes last: until it is there the folder is not a run (RunStore.has), so a crash leaves no half run.
    try {
      await writeCheckpoint(store.dir(id), 'last', {
        ...modelFiles,
        optimizer: { name: 'none', step: 0, slots: {} },
        progress: { epoch: 1, step: 0, metric: Number.NaN },
        extra: { 'torch.safetensors': state },
      });
      await store.appendEvents(id, [{ type: 'log', runId: id, level: 'info', message: `Imported from ${basename(file)} (PyTorch state dict, ${Object.keys(tensors).length} tensors).` }]);
      await store.create(record);
    } catch (err) {
      await store.discard(id);
      throw err;
    }
    return summaryOf(record);
  } finally {
    model.dispose();
  }
}
