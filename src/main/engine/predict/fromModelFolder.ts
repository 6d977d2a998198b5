/** A lab model folder (modelFolder.ts) loaded for prediction like a run: its preprocessing and class names stand in for the dataset's. */
import { basename, resolve } from 'node:path';
import type { RunRecord } from '../../../shared/runs/runRecord';
import type { Dataset } from '../data/types';
import { loadModelFolderModel, readModelFolder, trainedDataOf, type ModelFolder } from '../modelFolder';
import { PredictError } from './errors';
import { imageInputShape, spatialLayers, type LoadedRun } from './model';

/** A run record describing a model folder (completed, no epochs), so predictions name it like a run. */
export function recordOfModelFolder(folder: ModelFolder): RunRecord {
  const now = folder.info.createdAt;
  return {
    id: basename(resolve(folder.dir)),
    name: folder.info.name,
    createdAt: now,
    updatedAt: now,
    state: 'completed',
    dataset: folder.info.source,
    epoch: 0,
    epochs: 1,
    step: 0,
    fallbackOps: [],
    checkpoints: {},
    config: {},
    graph: folder.graph,
    data: trainedDataOf(folder),
  };
}

export async function loadModelFolderRun(dir: string): Promise<LoadedRun> {
  const folder = await readModelFolder(dir);
  const data = trainedDataOf(folder);
  const dataset: Dataset = {
    info: { id: `model:${folder.dir}`, name: folder.info.name, task: folder.info.task, shape: data.shape, classes: data.classes, sizes: { train: 0, val: 0, test: 0 }, source: folder.info.source },
    norm: data.norm,
    split() {
      throw new PredictError(`${folder.info.name} is a model folder: it has no validation samples; give an image file`, 'bad-sample');
    },
  };
  const model = await loadModelFolderModel(folder);
  const inputShape = imageInputShape(model, `the model in ${dir}`);
  const { layers, defaultGradcam, defaultFeatures } = spatialLayers(model, folder.graph);
  return {
    record: recordOfModelFolder(folder),
    checkpoint: 'checkpoint',
    stamp: folder.info.createdAt,
    model,
    graph: folder.graph,
    dataset,
    inputShape,
    ...(folder.preprocessing.resizeShorter ? { resizeShorter: folder.preprocessing.resizeShorter } : {}),
    layers,
    defaultGradcam,
    defaultFeatures,
    dispose: () => model.dispose(),
  };
}
