import * as tf from '@tensorflow/tfjs';
import { readCheckpointModel } from '../../runs/checkpoints';
import { checkpointUnreadable, type CheckpointRef } from '../../runs/runStore';
import '../blocks'; // registers the custom layers a saved topology may name

/** The model's topology and weights in memory (no tfjs-node needed), with the weights in one buffer. */
export async function saveToMemory(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  const data = saved!.weightData;
  return { ...saved!, weightData: Array.isArray(data) ? tf.io.CompositeArrayBuffer.join(data) : data };
}

export function loadFromMemory(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/**
 * The model stored in a checkpoint folder: the one loader, for a run's checkpoint and a model folder's checkpoint/.
 * `unreadable` says whose checkpoint failed to load and why.
 */
export async function loadCheckpointFolder(dir: string, unreadable: (err: unknown) => Error): Promise<tf.LayersModel> {
  // A host that has not trained or predicted in this process has not started a backend yet (the highest
  // priority one, wasm, starts asynchronously), and building layers before it is ready throws.
  await tf.ready();
  try {
    const files = await readCheckpointModel(dir);
    return await loadFromMemory({ modelTopology: files.modelTopology, weightSpecs: files.weightSpecs as tf.io.WeightsManifestEntry[], weightData: files.weightData });
  } catch (err) {
    throw unreadable(err);
  }
}

/** The model of a run's checkpoint (Predict, exports, the attention view); missing or unreadable is a CheckpointError. */
export function loadCheckpointModel(ck: CheckpointRef): Promise<tf.LayersModel> {
  return loadCheckpointFolder(ck.dir, (err) => checkpointUnreadable(ck, err));
}
