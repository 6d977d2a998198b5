import * as tf from '@tensorflow/tfjs';
import { checkpointUnreadable, readCheckpointModel, type CheckpointRef } from '../../runs/runStore';
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
 * The model of a run's checkpoint (the one reader: Predict, exports, the attention view). A checkpoint that is
 * missing or unreadable is a CheckpointError with a clear message.
 */
export async function loadCheckpointModel(ck: CheckpointRef): Promise<tf.LayersModel> {
  const files = await readCheckpointModel(ck);
  // A host that has not trained or predicted in this process has not started a backend yet (the highest
  // priority one, wasm, starts asynchronously), and building layers before it is ready throws.
  await tf.ready();
  try {
    return await loadFromMemory({ modelTopology: files.modelTopology, weightSpecs: files.weightSpecs as tf.io.WeightsManifestEntry[], weightData: files.weightData });
  } catch (err) {
    throw checkpointUnreadable(ck, err);
  }
}
