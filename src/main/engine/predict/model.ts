/** A run's model ready to predict: checkpoint, dataset preprocessing, spatial layers, detection decoding. */
import * as tf from '@tensorflow/tfjs';
import { blockByType } from '../../../shared/blocks';
import { adaptToDataset } from '../../../shared/graph/adapt';
import { restore } from '../../../shared/graph/restore';
import type { GraphDoc } from '../../../shared/graph/types';
import type { PredictLayer } from '../../../shared/predict';
import { trainConfigSchema } from '../../../shared/training/config';
import type { RunRecord } from '../../../shared/runs/runRecord';
import type { CheckpointRef } from '../../runs/runStore';
import { loadCheckpointModel } from '../compile/artifacts';
import { nodeProbes } from '../compile/probes';
import type { EvalCrop } from '../data/image/resizeCrop';
import type { Dataset } from '../data/types';
import { recordedCrop } from '../weights/initResize';
import { setupDetector, type DetectorSetup } from '../train/tasks/detection';
import { PredictError } from './errors';

export interface LoadedRun {
  record: RunRecord;
  checkpoint: string;
  /** Identifies the checkpoint's files on disk (a run still training rewrites `best`). */
  stamp: string;
  model: tf.LayersModel;
  graph: GraphDoc;
  dataset: Dataset;
  inputShape: [number, number, number];
  /** Images are resized so their shorter side is this, then centre-cropped (a model folder's preprocessing, a run that cropped its folder images); absent: stretched. */
  resizeShorter?: number;
  layers: PredictLayer[];
  defaultGradcam?: string;
  defaultFeatures?: string;
  detector?: DetectorSetup;
  dispose(): void;
}

/** The model's H×W×C input; a model that does not take images is disposed and refused ('unsupported'). */
export function imageInputShape(model: tf.LayersModel, what: string): [number, number, number] {
  const inShape = model.inputs[0].shape;
  if (inShape.length !== 4) {
    model.dispose();
    throw new PredictError(`${what} does not take images (input ${JSON.stringify(inShape)})`, 'unsupported');
  }
  return inShape.slice(1) as [number, number, number];
}

/** `crop`: a run that cropped its folder images (run.json's data.resizeShorter) loads them cropped again. */
export type DatasetLoader = (id: string, seed: number, crop?: EvalCrop) => Promise<Dataset>;

export async function loadRunModel(record: RunRecord, ck: CheckpointRef, datasets: DatasetLoader): Promise<LoadedRun> {
  const restored = restore(record.graph);
  if (!restored.ok) throw new PredictError(`the graph of run ${record.id} cannot be restored: ${restored.errors.map((e) => e.message).join('; ')}`, 'unsupported');
  const config = trainConfigSchema.parse(record.config);
  const crop = recordedCrop(record.data);
  const dataset = await datasets(record.dataset, config.seed, crop);
  const model = await loadCheckpointModel(ck);
  const inputShape = imageInputShape(model, `the model of run ${record.id}`);
  const graph = adaptToDataset(restored.graph, { name: dataset.info.name, shape: dataset.info.shape, classes: dataset.info.classes.length }).graph;
  const { layers, defaultGradcam, defaultFeatures } = spatialLayers(model, graph);
  let detector: DetectorSetup | undefined;
  if (graph.meta.task === 'detection') {
    try {
      detector = setupDetector(dataset, config, model);
    } catch (err) {
      model.dispose();
      throw new PredictError(`the detection heads of run ${record.id} cannot be decoded: ${(err as Error).message}`, 'unsupported');
    }
  }
  return {
    record,
    checkpoint: ck.name,
    stamp: ck.stamp,
    model,
    graph,
    dataset,
    inputShape,
    ...(crop ? { resizeShorter: crop.shorter } : {}),
    layers,
    defaultGradcam,
    defaultFeatures,
    detector,
    dispose() {
      detector?.decoder.dispose();
      model.dispose();
    },
  };
}

const NOT_SPATIAL_FAMILIES = new Set(['io', 'head', 'detection']);

/**
 * The layers with a spatial output (node outputs, in network order) and the defaults: Grad-CAM at the last of
 * them before the first layer that is not spatial any more (global pooling, flatten, patch tokens), feature maps
 * at the first convolution.
 */
export function spatialLayers(model: tf.LayersModel, graph: GraphDoc): { layers: PredictLayer[]; defaultGradcam?: string; defaultFeatures?: string } {
  const shapeOf = (name: string): number[] => (model.getLayer(name).outputShape as (number | null)[]).slice(1) as number[];
  const isSpatial = (s: number[]): boolean => s.length === 3 && s[0] * s[1] > 1;
  let nodes: { name: string; type: string; family: string }[];
  try {
    nodes = nodeProbes(model, graph).map((p) => ({ name: p.output, type: p.type, family: p.family }));
  } catch {
    nodes = model.layers.map((l) => ({ name: l.name, type: l.getClassName(), family: 'conv' }));
  }
  const layers: PredictLayer[] = [];
  let defaultGradcam: string | undefined;
  let closed = false;
  for (const n of nodes) {
    if (n.family === 'io') continue;
    const shape = shapeOf(n.name);
    if (!isSpatial(shape) || NOT_SPATIAL_FAMILIES.has(n.family)) {
      if (!isSpatial(shape) && layers.length > 0) closed = true;
      continue;
    }
    layers.push({ name: n.name, type: n.type, shape });
    if (!closed) defaultGradcam = n.name;
  }
  const conv = nodes.find((n) => (blockByType(n.type)?.family ?? n.family) === 'conv' && layers.some((l) => l.name === n.name));
  return { layers, defaultGradcam, defaultFeatures: conv?.name ?? layers[0]?.name };
}
