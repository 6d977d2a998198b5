import { LOADER_SOURCE } from './loaderSource.generated';

/**
 * netsmith-layers.js of a TF.js export: the custom layer classes (src/main/engine/blocks) as one ES module,
 * `@tensorflow/tfjs` left as an import, so the exported model loads with tf.loadLayersModel anywhere. Prebuilt by
 * buildLoader.ts into loaderSource.generated.ts, so exporting needs no bundler at run time.
 */
export function loaderModule(): string {
  return LOADER_SOURCE;
}
