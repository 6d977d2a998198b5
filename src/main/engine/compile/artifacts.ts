import * as tf from '@tensorflow/tfjs';
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
