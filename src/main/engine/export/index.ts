import * as tf from '@tensorflow/tfjs';
import { adaptToDataset } from '../../../shared/graph/adapt';
import { restore } from '../../../shared/graph/restore';
import { networkSvg } from '../../../shared/graph/picture';
import type { GraphDoc } from '../../../shared/graph/types';
import type { RunRecord, TrainedData } from '../../../shared/runs/runRecord';
import { pickCheckpoint, readRunRecord } from '../../runs/runStore';
import { loadCheckpointModel } from '../compile/artifacts';
import { loadDataset } from '../data/registry';
import { ExportError } from './errors';
import { writeExportFolder, type ExportFiles } from './files';
import type { ModelSource } from './modelInfo';
import { onnxFiles } from './onnx/export';
import { pytorchFiles } from './pytorch/export';
import { tfjsFiles } from './tfjs/export';

export { ExportError } from './errors';
export { writeExportFolder, type ExportFiles } from './files';
export { modelInfo, type ModelInfoFile, type ModelSource } from './modelInfo';
export { exportOnnx, onnxSupported, onnxUnsupported, ONNX_OPSET } from './onnx/export';
export { exportPytorch, pytorchSupported, pytorchUnsupported } from './pytorch/export';

export const EXPORT_FORMATS = ['tfjs', 'onnx', 'pytorch', 'graph'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const projectFile = (graph: GraphDoc): string => JSON.stringify({ format: 'netsmith.project', graph }, null, 2) + '\n';

export interface ExportOptions {
  /** Conv-BN fusion: fold each BatchNorm into the conv/dense layer before it (ONNX, PyTorch, TF.js; see fuseBatchNorm.ts). */
  fuseBatchNorm?: boolean;
  /** What the model was trained on (class names, preprocessing): model-info.json, labels.txt, README, ONNX metadata. */
  source?: ModelSource;
}

/** The files of one export format for a graph and a model compiled from it (weights included). */
export async function exportFiles(format: ExportFormat, graph: GraphDoc, model: tf.LayersModel | undefined, trainConfig: unknown = {}, options: ExportOptions = {}): Promise<ExportFiles> {
  if (format === 'graph') return { 'project.json': projectFile(graph), 'network.svg': networkSvg(graph) };
  if (!model) throw new ExportError(`the ${format} export needs trained weights`);
  switch (format) {
    case 'tfjs':
      return tfjsFiles(graph, model, options);
    case 'onnx':
      return onnxFiles(graph, model, options);
    case 'pytorch':
      return pytorchFiles(graph, model, trainConfig, options);
  }
}

export interface RunExport {
  /** The graph as trained: adapted to the run's dataset (input shape, head classes). */
  graph: GraphDoc;
  source: ModelSource;
  /** The run's training settings (train.py uses them). */
  config: Record<string, unknown>;
  model?: tf.LayersModel;
  checkpoint?: string;
}

/**
 * Loads what an export of a run needs: its graph (run.json) and, for every format but 'graph', the model of a
 * finished checkpoint (`best`, else `last`, or the one named).
 */
export async function loadRun(runDir: string, opts: { needsWeights: boolean; checkpoint?: string; then?: string }): Promise<RunExport> {
  const record = await readRunRecord(runDir);
  const restored = restore(record.graph);
  if (!restored.ok) throw new ExportError(`the graph of run ${record.id} cannot be restored: ${restored.errors.map((e) => e.message).join('; ')}`);
  if (!opts.needsWeights) {
    const data = record.data ?? (await trainedDataOf(record));
    return { ...asTrained(restored.graph, record.dataset, data), config: record.config };
  }
  const ck = await pickCheckpoint(runDir, record, opts.checkpoint, opts.then ?? 'export');
  const model = await loadCheckpointModel(ck);
  const inShape = model.inputs[0].shape.slice(1).join('×');
  // An older run: its dataset, loaded again, describes the checkpoint only when the checkpoint takes its images.
  let data = record.data;
  if (!data) {
    const loaded = await trainedDataOf(record);
    if (loaded && loaded.shape.join('×') === inShape) data = loaded;
  }
  const { graph, source } = asTrained(restored.graph, record.dataset, data);
  if (inShape !== graph.meta.input.shape.join('×')) {
    model.dispose();
    throw new ExportError(`the checkpoint of run ${record.id} takes ${inShape} inputs but its graph says ${graph.meta.input.shape.join('×')}`);
  }
  return { graph, source, config: record.config, model, checkpoint: ck.name };
}

/** The graph as the worker trained it (adapted to the data: a no-op for runs that recorded it so) and its source. */
function asTrained(drawn: GraphDoc, dataset: string, data: TrainedData | undefined): { graph: GraphDoc; source: ModelSource } {
  if (!data) return { graph: drawn, source: { dataset } };
  return { graph: adaptToDataset(drawn, { name: dataset, shape: data.shape, classes: data.classes.length }).graph, source: { dataset, data, ...(data.resizeShorter ? { resizeShorter: data.resizeShorter } : {}) } };
}

/**
 * For runs from before run.json recorded their data: the dataset loaded again with the run's seed (same split,
 * same statistics), or nothing when it cannot be loaded any more.
 */
async function trainedDataOf(record: RunRecord): Promise<TrainedData | undefined> {
  try {
    const { dataset } = await loadDataset(record.dataset, { seed: Number(record.config.seed ?? 42) });
    return { shape: [...dataset.info.shape], classes: [...dataset.info.classes], norm: { mean: [...dataset.norm.mean], std: [...dataset.norm.std] } };
  } catch {
    return undefined;
  }
}

export interface ExportRunOptions {
  /** A checkpoint name; default: best, else last. */
  checkpoint?: string;
  /** Fold BatchNorm into the preceding convolution (ONNX, PyTorch, TF.js; ignored for 'graph'). */
  fuseBatchNorm?: boolean;
}

/** Exports a run's checkpoint into `outDir` (atomically: all files or none). */
export async function exportRun(runDir: string, format: ExportFormat, outDir: string, opts: ExportRunOptions = {}): Promise<{ dir: string; files: string[]; checkpoint?: string }> {
  const run = await loadRun(runDir, { needsWeights: format !== 'graph', checkpoint: opts.checkpoint });
  try {
    const files = await exportFiles(format, run.graph, run.model, run.config, { fuseBatchNorm: opts.fuseBatchNorm, source: run.source });
    const dir = await writeExportFolder(outDir, files);
    return { dir, files: Object.keys(files), checkpoint: run.checkpoint };
  } finally {
    run.model?.dispose();
  }
}
